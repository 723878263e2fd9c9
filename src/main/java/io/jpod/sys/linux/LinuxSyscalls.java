package io.jpod.sys.linux;

import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@link Syscalls} through FFM downcalls into glibc. */
public final class LinuxSyscalls implements Syscalls {
    private static final int O_CLOEXEC = 0x80000;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    private static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = O_CLOEXEC;
    private static final int SOL_SOCKET = 1, SO_REUSEADDR = 2;
    private static final int F_DUPFD_CLOEXEC = 1030;

    public static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

    private LinuxSyscalls() {}


    @Override
    public boolean isatty(int fd) {
        return Libc.call(ISATTY, fd, 0, 0, 0, 0, 0) == 1;
    }

    private static final java.lang.foreign.MemorySegment ISATTY = Libc.fn("isatty");

    @Override
    public int kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.KILL, pid, signal, 0, 0, 0, 0);
            return rc == 0 ? 0 : Libc.errno(st);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int rc = (int) Libc.callErrno(st, Libc.Fn.PIPE2, fds.address(), O_CLOEXEC, 0, 0, 0, 0);
            if (rc != 0) throw Libc.error("pipe2", "", Libc.errno(st));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.CLOSE, fd, 0, 0, 0, 0, 0);
            if (rc != 0 && Libc.errno(st) != EINTR) throw Libc.error("close", "fd " + fd, Libc.errno(st));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Per-thread native buffer for read and write: attach streaming makes tens of thousands of calls. */
    private static final ThreadLocal<MemorySegment> IO_BUF = ThreadLocal.withInitial(() -> Arena.global().allocate(1 << 16));
    private static final ThreadLocal<MemorySegment> IO_ERRNO = ThreadLocal.withInitial(() -> Arena.global().allocate(Libc.CAPTURE));

    @Override
    public int write(int fd, byte[] data, int off, int len) {
        MemorySegment buf = IO_BUF.get(), st = IO_ERRNO.get();
        int n = Math.min(len, (int) buf.byteSize());
        MemorySegment.copy(data, off, buf, JAVA_BYTE, 0, n);
        while (true) {
            long rc = Libc.callErrno(st, Libc.Fn.WRITE, fd, buf.address(), n, 0, 0, 0);
            if (rc >= 0) return (int) rc;
            int e = Libc.errno(st);
            if (e != EINTR) throw Libc.error("write", "fd " + fd, e);
        }
    }

    @Override
    public int read(int fd, byte[] out, int off, int len) {
        MemorySegment buf = IO_BUF.get(), st = IO_ERRNO.get();
        int n = Math.min(len, (int) buf.byteSize());
        while (true) {
            long rc = Libc.callErrno(st, Libc.Fn.READ, fd, buf.address(), n, 0, 0, 0);
            if (rc >= 0) {
                MemorySegment.copy(buf, JAVA_BYTE, 0, out, off, (int) rc);
                return (int) rc;
            }
            int e = Libc.errno(st);
            if (e != EINTR) throw Libc.error("read", "fd " + fd, e);
        }
    }

    @Override
    public boolean pollIn(int fd, int timeoutMillis) {
        return pollAny(new int[] {fd}, timeoutMillis) >= 0;
    }

    /** Polls several fds for input; returns the index of the first ready one, or -1 on timeout. */
    int pollAny(int[] fds, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            MemorySegment pfd = a.allocate(8L * fds.length);
            for (int i = 0; i < fds.length; i++) {
                pfd.set(JAVA_INT, i * 8L, fds[i]);
                pfd.set(JAVA_SHORT, i * 8L + 4, (short) 1); // POLLIN
                pfd.set(JAVA_SHORT, i * 8L + 6, (short) 0);
            }
            while (true) {
                int rc = (int) Libc.callErrno(st, Libc.Fn.POLL, pfd.address(), fds.length, timeoutMillis, 0, 0, 0);
                if (rc == 0) return -1;
                if (rc > 0) {
                    for (int i = 0; i < fds.length; i++) {
                        if (pfd.get(JAVA_SHORT, i * 8L + 6) != 0) return i;
                    }
                    return -1;
                }
                int e = Libc.errno(st);
                if (e != EINTR) throw Libc.error("poll", "", e);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void mount(String source, String target, String fsType, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.MOUNT, Libc.cstr(a, source).address(), Libc.cstr(a, target).address(),
                    Libc.cstr(a, fsType).address(), flags, Libc.cstr(a, data).address(), 0);
            if (rc != 0) throw Libc.error("mount", target, Libc.errno(st));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.UMOUNT2, Libc.cstr(a, target).address(), flags, 0, 0, 0, 0);
            if (rc != 0) throw Libc.error("umount2", target, Libc.errno(st));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public int connectSeqpacket(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) throw new SysException("connect", path, ENAMETOOLONG, "socket path longer than 107 bytes");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int fd = (int) Libc.callErrno(st, Libc.Fn.SOCKET, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, 0, 0, 0);
            if (fd < 0) throw Libc.error("socket", "AF_UNIX", Libc.errno(st));
            MemorySegment addr = a.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
            int rc = (int) Libc.callErrno(st, Libc.Fn.CONNECT, fd, addr.address(), 110, 0, 0, 0);
            if (rc != 0) {
                int e = Libc.errno(st);
                close(fd);
                throw Libc.error("connect", path, e);
            }
            return fd;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final int ENAMETOOLONG = 36;
    private static final int O_WRONLY = 1, O_NONBLOCK = 0x800, ENXIO = 6;

    @Override
    public int openFifoWriter(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            MemorySegment p = a.allocateFrom(path);
            int fd = (int) Libc.callErrno(st, Libc.Fn.OPEN, p.address(), O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0, 0, 0, 0);
            if (fd >= 0) return fd;
            int e = Libc.errno(st);
            if (e == ENXIO || e == ENOENT) return -1;
            throw Libc.error("open", path, e);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static final MemorySegment FLOCK = Libc.fn("flock");

    @Override
    public int tryFlock(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            MemorySegment p = a.allocateFrom(path);
            int fd = (int) Libc.callErrno(st, Libc.Fn.OPEN, p.address(), 02 | 0100 | O_CLOEXEC, 0600, 0, 0, 0); // O_RDWR|O_CREAT
            if (fd < 0) throw Libc.error("open", path, Libc.errno(st));
            int rc = (int) Libc.callErrno(st, FLOCK, fd, 2 | 4, 0, 0, 0, 0); // LOCK_EX|LOCK_NB
            if (rc == 0) return fd;
            int e = Libc.errno(st);
            close(fd);
            if (e == 11) return -1; // EWOULDBLOCK: held by another process
            throw Libc.error("flock", path, e);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void shutdownWrite(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.SHUTDOWN, fd, 1, 0, 0, 0, 0);
            if (rc != 0) throw Libc.error("shutdown", "fd " + fd, Libc.errno(st));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public int bindPort(String protocol, String hostIp, int port) {
        boolean udp = switch (protocol) {
            case "tcp" -> false;
            case "udp" -> true;
            default -> throw new IllegalArgumentException("unknown protocol " + protocol + ": use tcp or udp");
        };
        boolean v6 = hostIp != null && hostIp.contains(":");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int family = v6 ? AF_INET6 : AF_INET;
            int fd = (int) Libc.callErrno(st, Libc.Fn.SOCKET, family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0, 0, 0, 0);
            if (fd < 0) throw Libc.error("socket", protocol, Libc.errno(st));
            try {
                MemorySegment one = a.allocateFrom(JAVA_INT, 1);
                Libc.callErrno(st, Libc.Fn.SETSOCKOPT, fd, SOL_SOCKET, SO_REUSEADDR, one.address(), 4, 0);
                MemorySegment addr;
                int len;
                String ip = hostIp == null || hostIp.isEmpty() ? (v6 ? "::" : "0.0.0.0") : hostIp;
                if (v6) {
                    addr = a.allocate(28);
                    addr.set(JAVA_SHORT, 0, (short) AF_INET6);
                    addr.set(JAVA_BYTE, 2, (byte) (port >> 8));
                    addr.set(JAVA_BYTE, 3, (byte) port);
                    int ok = (int) Libc.call(Libc.Fn.INET_PTON, AF_INET6, a.allocateFrom(ip).address(), addr.asSlice(8, 16).address(), 0, 0, 0);
                    if (ok != 1) throw new IllegalArgumentException("invalid IPv6 address " + ip);
                    len = 28;
                } else {
                    addr = a.allocate(16);
                    addr.set(JAVA_SHORT, 0, (short) AF_INET);
                    addr.set(JAVA_BYTE, 2, (byte) (port >> 8));
                    addr.set(JAVA_BYTE, 3, (byte) port);
                    int ok = (int) Libc.call(Libc.Fn.INET_PTON, AF_INET, a.allocateFrom(ip).address(), addr.asSlice(4, 4).address(), 0, 0, 0);
                    if (ok != 1) throw new IllegalArgumentException("invalid IPv4 address " + ip);
                    len = 16;
                }
                int rc = (int) Libc.callErrno(st, Libc.Fn.BIND, fd, addr.address(), len, 0, 0, 0);
                if (rc != 0) throw Libc.error("bind", ip + ":" + port + "/" + protocol, Libc.errno(st));
                if (!udp) {
                    rc = (int) Libc.callErrno(st, Libc.Fn.LISTEN, fd, 128, 0, 0, 0, 0);
                    if (rc != 0) throw Libc.error("listen", ip + ":" + port, Libc.errno(st));
                }
                return fd;
            } catch (Throwable t) {
                close(fd);
                throw t;
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }


    @Override
    public int dupAbove(int fd, int floor) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            int rc = (int) Libc.callErrno(st, Libc.Fn.FCNTL, fd, F_DUPFD_CLOEXEC, floor, 0, 0, 0);
            if (rc < 0) throw Libc.error("fcntl", "F_DUPFD_CLOEXEC fd " + fd, Libc.errno(st));
            return rc;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

}
