package io.jpod.sys.linux;

import io.jpod.sys.Terminal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** termios through libc (tcgetattr, cfmakeraw, tcsetattr) and TIOCGWINSZ, with jpod's one FFM call shape. */
public final class LinuxTerminal implements Terminal {
    public static final LinuxTerminal INSTANCE = new LinuxTerminal();
    private static final int TERMIOS_SIZE = 60; // struct termios on x86-64 glibc
    private static final long TIOCGWINSZ = 0x5413;
    private static final int TCSANOW = 0;
    private static final MemorySegment TCGETATTR = Libc.fn("tcgetattr"), TCSETATTR = Libc.fn("tcsetattr"),
            CFMAKERAW = Libc.fn("cfmakeraw"), IOCTL = Libc.fn("ioctl"), ISATTY = Libc.fn("isatty");

    private LinuxTerminal() {}

    @Override
    public boolean isTerminal(int fd) {
        return Libc.call(ISATTY, fd, 0, 0, 0, 0, 0) == 1;
    }

    @Override
    public Restore makeRaw(int fd) {
        Arena arena = Arena.ofShared();
        MemorySegment saved = arena.allocate(TERMIOS_SIZE, 8);
        if (Libc.call(TCGETATTR, fd, saved.address(), 0, 0, 0, 0) != 0) {
            arena.close();
            return () -> { };
        }
        MemorySegment raw = arena.allocate(TERMIOS_SIZE, 8);
        MemorySegment.copy(saved, 0, raw, 0, TERMIOS_SIZE);
        Libc.call(CFMAKERAW, raw.address(), 0, 0, 0, 0, 0);
        Libc.call(TCSETATTR, fd, TCSANOW, raw.address(), 0, 0, 0);
        return () -> {
            Libc.call(TCSETATTR, fd, TCSANOW, saved.address(), 0, 0, 0);
            arena.close();
        };
    }

    @Override
    public int[] size(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 8);
            if (Libc.call(IOCTL, fd, TIOCGWINSZ, ws.address(), 0, 0, 0) != 0) return null;
            return new int[] {Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0)), Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2))};
        }
    }
}
