package io.jpod.testing;

import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Syscalls in memory. Processes are a set of live pids ({@link #spawnProcess}, {@link #exitProcess}); fds form a
 * table whose pipes carry bytes; close of an fd that is not open fails with EBADF as the kernel's does, so double
 * closes show up; mounts are recorded. Every call that matters lands in {@link #events} in order.
 */
public final class FakeSyscalls implements Syscalls {
    public static final int EBADF = 9;

    /** One end of a pipe, or a bound port. */
    private record Fd(Pipe pipe, boolean writeEnd, String port) {}

    /** A pipe's bytes and how many write ends (ours, or a child's copies) are still open. */
    private static final class Pipe {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int readPos;
        int writers = 1;

        int available() { return buf.size() - readPos; }
    }

    public final List<String> events = new ArrayList<>();
    public final List<String> mounts = new ArrayList<>();
    public final List<String> umounts = new ArrayList<>();
    public final List<int[]> kills = new ArrayList<>();
    private final Set<Integer> live = new HashSet<>();
    private final Set<String> mounted = new LinkedHashSet<>();
    private final Map<Integer, Fd> fds = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> sinks = new HashMap<>();
    private final FakeClock clock;
    private int nextFd = 100;

    public FakeSyscalls() {
        this(null);
    }

    /** With a clock, a poll that finds nothing lets its whole timeout pass on that clock. */
    public FakeSyscalls(FakeClock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------- processes

    public synchronized void spawnProcess(int pid) { live.add(pid); }

    public synchronized void exitProcess(int pid) { live.remove(pid); }

    public synchronized boolean isLive(int pid) { return live.contains(pid); }

    @Override
    public boolean isatty(int fd) {
        return false;
    }

    @Override
    public synchronized int kill(int pid, int signal) {
        kills.add(new int[] {pid, signal});
        if (pid <= 0 || !live.contains(pid)) return ESRCH;
        return 0;
    }

    // ---------------------------------------------------------------- fds and pipes

    @Override
    public synchronized int[] pipe() {
        Pipe p = new Pipe();
        int r = nextFd++, w = nextFd++;
        fds.put(r, new Fd(p, false, null));
        fds.put(w, new Fd(p, true, null));
        events.add("pipe " + r + " " + w);
        return new int[] {r, w};
    }

    @Override
    public synchronized void close(int fd) {
        Fd f = fds.remove(fd);
        if (f == null) throw new SysException("close", "fd " + fd, EBADF, "Bad file descriptor");
        if (f.pipe() != null && f.writeEnd()) f.pipe().writers--;
        events.add("close " + fd);
    }

    /** The fds still open: after an operation finishes this should hold only what it meant to keep. */
    public synchronized Set<Integer> openFds() { return new TreeSet<>(fds.keySet()); }

    /** Writes into a pipe through its write end as a child holding a copy would; works after our copy is closed. */
    public synchronized ChildEnd childEnd(int writeFd) {
        Fd f = requirePipe(writeFd, true);
        f.pipe().writers++;
        return new ChildEnd(f.pipe());
    }

    /** A child's copy of a pipe's write end. */
    public final class ChildEnd {
        private final Pipe pipe;
        private boolean open = true;

        private ChildEnd(Pipe pipe) { this.pipe = pipe; }

        public void write(String s) {
            synchronized (FakeSyscalls.this) {
                if (!open) throw new IllegalStateException("child end closed");
                pipe.buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        public void close() {
            synchronized (FakeSyscalls.this) {
                if (open) pipe.writers--;
                open = false;
            }
        }
    }

    private Fd requirePipe(int fd, boolean writeEnd) {
        Fd f = fds.get(fd);
        if (f == null || f.pipe() == null || f.writeEnd() != writeEnd) {
            throw new IllegalStateException("fd " + fd + " is not the " + (writeEnd ? "write" : "read") + " end of an open pipe");
        }
        return f;
    }

    @Override
    public synchronized int write(int fd, byte[] data, int off, int len) {
        events.add("write " + fd + " " + len);
        Fd f = fds.get(fd);
        if (f == null) {
            // not one of ours: a caller's fd (a terminal, a file); keep what was written to it
            sinks.computeIfAbsent(fd, k -> new ByteArrayOutputStream()).write(data, off, len);
            return len;
        }
        if (f.pipe() == null || !f.writeEnd()) throw new SysException("write", "fd " + fd, EBADF, "Bad file descriptor");
        f.pipe().buf.write(data, off, len);
        return len;
    }

    /** What was written to an fd that is not in our table (a caller's stdout or stderr). */
    public synchronized String written(int fd) {
        ByteArrayOutputStream b = sinks.get(fd);
        return b == null ? "" : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized int read(int fd, byte[] buf, int off, int len) {
        Fd f = fds.get(fd);
        if (f == null || f.pipe() == null || f.writeEnd()) throw new SysException("read", "fd " + fd, EBADF, "Bad file descriptor");
        Pipe p = f.pipe();
        if (p.available() == 0) {
            if (p.writers == 0) return 0;
            throw new IllegalStateException("read of fd " + fd + " would block forever in this single-threaded fake");
        }
        byte[] all = p.buf.toByteArray();
        int n = Math.min(len, p.available());
        System.arraycopy(all, p.readPos, buf, off, n);
        p.readPos += n;
        return n;
    }

    @Override
    public synchronized boolean pollIn(int fd, int timeoutMillis) {
        Fd f = fds.get(fd);
        if (f == null || f.pipe() == null) throw new SysException("poll", "fd " + fd, EBADF, "Bad file descriptor");
        if (f.pipe().available() > 0 || f.pipe().writers == 0) return true;
        if (clock == null) throw new IllegalStateException("poll of fd " + fd + " would wait and no clock was given");
        clock.advance(Duration.ofMillis(Math.max(timeoutMillis, 1)));
        return false;
    }

    @Override
    public synchronized int bindPort(String protocol, String hostIp, int port) {
        int fd = nextFd++;
        fds.put(fd, new Fd(null, false, protocol + "/" + hostIp + ":" + port));
        events.add("bind " + protocol + " " + port + " -> " + fd);
        return fd;
    }

    @Override
    public synchronized int connectSeqpacket(String path) {
        throw new SysException("connect", path, ENOENT, "No such file or directory");
    }

    @Override
    public synchronized int openFifoWriter(String path) {
        return -1; // no FIFO has a reader here
    }

    @Override
    public synchronized void shutdownWrite(int fd) {
        events.add("shutdown " + fd);
    }

    @Override
    public synchronized int dupAbove(int fd, int floor) {
        Fd f = fds.get(fd);
        if (f == null) throw new SysException("fcntl", "fd " + fd, EBADF, "Bad file descriptor");
        int n = Math.max(nextFd++, floor);
        fds.put(n, f);
        if (f.pipe() != null && f.writeEnd()) f.pipe().writers++;
        return n;
    }

    // ---------------------------------------------------------------- mounts

    @Override
    public synchronized void mount(String source, String target, String fsType, long flags, String data) {
        mounts.add(target);
        mounted.add(target);
        events.add("mount " + fsType + " " + target);
    }

    @Override
    public synchronized void umount2(String target, int flags) {
        umounts.add(target);
        events.add("umount " + target);
        if (!mounted.remove(target)) throw new SysException("umount2", target, EINVAL, "Invalid argument");
    }

    public synchronized boolean isMounted(String target) { return mounted.contains(target); }
}
