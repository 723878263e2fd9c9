package io.jpod.sys.linux;

import io.jpod.sys.NetNamespaces;
import io.jpod.sys.SysException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link NetNamespaces} through FFM: a fresh platform thread unshares its network namespace, binds
 * /proc/thread-self/ns/net on the file, and ends; the JVM's other threads never leave the host's namespace.
 */
public final class LinuxNetNamespaces implements NetNamespaces {
    public static final LinuxNetNamespaces INSTANCE = new LinuxNetNamespaces();
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final int MNT_DETACH = 2, EINVAL = 22, ENOENT = 2;
    private static final MemorySegment UNSHARE = Libc.fn("unshare"), IOCTL = Libc.fn("ioctl");
    private static final int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, IFF_UP = 1;

    private LinuxNetNamespaces() {}

    @Override
    public void create(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file); // fails if it exists: never bind over another namespace
        } catch (IOException e) {
            throw new SysException("create", file.toString(), ENOENT, "cannot create the namespace file: " + e.getMessage());
        }
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("jpod-netns").start(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = a.allocate(Libc.CAPTURE);
                int rc = (int) Libc.callErrno(st, UNSHARE, CLONE_NEWNET, 0, 0, 0, 0, 0);
                if (rc != 0) throw Libc.error("unshare", "CLONE_NEWNET", Libc.errno(st));
                loopbackUp(a, st);
                LinuxSyscalls.INSTANCE.mount("/proc/thread-self/ns/net", file.toString(), "none", MS_BIND, null);
            } catch (RuntimeException e) {
                failed.set(e);
            } catch (Throwable e) {
                failed.set(Libc.rethrow(e));
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed.get() != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the failure below says what matters
            }
            throw failed.get();
        }
    }

    /**
     * lo comes up with the namespace (as netavark does; the CNI bridge plugin leaves it down): 127.0.0.1 inside
     * the container, and for the containers that join it with --network container:.
     */
    private static void loopbackUp(Arena a, MemorySegment st) {
        int fd = (int) Libc.callErrno(st, Libc.Fn.SOCKET, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0, 0, 0);
        if (fd < 0) throw Libc.error("socket", "AF_INET", Libc.errno(st));
        try {
            MemorySegment ifr = a.allocate(40); // struct ifreq: the name, then a union whose first member is the flags
            ifr.setString(0, "lo");
            if (Libc.callErrno(st, IOCTL, fd, SIOCGIFFLAGS, ifr.address(), 0, 0, 0) != 0) throw Libc.error("ioctl", "SIOCGIFFLAGS lo", Libc.errno(st));
            ifr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 16, (short) (ifr.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 16) | IFF_UP));
            if (Libc.callErrno(st, IOCTL, fd, SIOCSIFFLAGS, ifr.address(), 0, 0, 0) != 0) throw Libc.error("ioctl", "SIOCSIFFLAGS lo", Libc.errno(st));
        } finally {
            Libc.call(Libc.Fn.CLOSE, fd, 0, 0, 0, 0, 0);
        }
    }

    @Override
    public void delete(Path file) {
        try {
            LinuxSyscalls.INSTANCE.umount2(file.toString(), MNT_DETACH);
        } catch (SysException e) {
            if (e.errno() != EINVAL && e.errno() != ENOENT) throw e; // not mounted (a half-made one) or gone
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SysException("unlink", file.toString(), ENOENT, e.getMessage());
        }
    }
}
