package io.jpod.sys.linux;

import io.jpod.sys.FileOps;
import io.jpod.sys.SysException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link FileOps} over glibc through FFM, on {@link Libc}'s shared call shape (one linked stub for all calls).
 */
@SuppressWarnings("restricted") // FFM downcalls are the point of this class; the JVM is started with native access
public final class LinuxFileOps implements FileOps {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;

    // mknod is a real symbol since glibc 2.33 (before, only __xmknod); mode_t and uid_t are 32-bit, dev_t 64-bit.
    private static final class Fn {
        static final MemorySegment MKNOD = Libc.fn("mknod"), LSETXATTR = Libc.fn("lsetxattr"),
                LGETXATTR = Libc.fn("lgetxattr"), UTIMENSAT = Libc.fn("utimensat"), LCHOWN = Libc.fn("lchown"),
                FCHMODAT = Libc.fn("fchmodat"), SYMLINK = Libc.fn("symlink"), FACCESSAT = Libc.fn("faccessat"),
                OPEN = Libc.fn("open"), WRITE = Libc.fn("write"), CLOSE = Libc.fn("close"),
                COPY_FILE_RANGE = Libc.fn("copy_file_range"), PREAD = Libc.fn("pread");
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) Libc.callErrno(st, Fn.MKNOD, cstr(a, path).address(), mode, makedev(major, minor), 0, 0, 0);
            check(rc, st, "mknod", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) Libc.callErrno(st, Fn.LSETXATTR, cstr(a, path).address(), cstr(a, name).address(), v.address(), value.length, 0, 0);
            check(rc, st, "lsetxattr", path + " " + name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public byte[] lgetxattr(Path path, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            MemorySegment p = cstr(a, path);
            MemorySegment n = cstr(a, name);
            // Ask for the size, then read; the value may grow in between, in which case ERANGE says retry.
            for (int attempt = 0; ; attempt++) {
                long size = Libc.callErrno(st, Fn.LGETXATTR, p.address(), n.address(), 0, 0, 0, 0);
                if (size < 0) {
                    int errno = errno(st);
                    if (errno == ENODATA) return null;
                    throw error("lgetxattr", path + " " + name, errno);
                }
                MemorySegment buf = a.allocate(Math.max(1, size));
                long got = Libc.callErrno(st, Fn.LGETXATTR, p.address(), n.address(), buf.address(), size, 0, 0);
                if (got >= 0) return buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
                int errno = errno(st);
                if (errno == ENODATA) return null;
                if (errno != ERANGE || attempt > 3) throw error("lgetxattr", path + " " + name, errno);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void utimensat(Path path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {
        Scratch sc = SCRATCH.get();
        MemorySegment c = sc.cpath(path);
        if (c == null) {
            try (Arena a = Arena.ofConfined()) {
                utimensat(path, cstr(a, path), a.allocate(JAVA_LONG, 4), state(a), atimeSec, atimeNsec, mtimeSec, mtimeNsec);
            }
            return;
        }
        utimensat(path, c, sc.times, sc.state, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    private static void utimensat(Path path, MemorySegment c, MemorySegment ts, MemorySegment st, long atimeSec,
                                  int atimeNsec, long mtimeSec, int mtimeNsec) {
        try {
            // struct timespec[2] = {tv_sec, tv_nsec} x 2 on LP64
            ts.setAtIndex(JAVA_LONG, 0, atimeSec);
            ts.setAtIndex(JAVA_LONG, 1, atimeNsec);
            ts.setAtIndex(JAVA_LONG, 2, mtimeSec);
            ts.setAtIndex(JAVA_LONG, 3, mtimeNsec);
            int rc = (int) Libc.callErrno(st, Fn.UTIMENSAT, AT_FDCWD, c.address(), ts.address(), AT_SYMLINK_NOFOLLOW, 0, 0);
            check(rc, st, "utimensat", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        pathCall(path, "lchown", Fn.LCHOWN, false, uid, gid, 0);
    }

    /** One path call through the scratch buffer (an arena for a path too long for it): fn(path, a, b, c) or fn(AT_FDCWD, path, a, b, c). */
    private static void pathCall(Path path, String name, MemorySegment fn, boolean atFdcwd, long x, long y, long z) {
        Scratch sc = SCRATCH.get();
        MemorySegment c = sc.cpath(path);
        try {
            if (c == null) {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment st = state(a);
                    long cp = cstr(a, path).address();
                    int rc = (int) (atFdcwd ? Libc.callErrno(st, fn, AT_FDCWD, cp, x, y, z, 0) : Libc.callErrno(st, fn, cp, x, y, z, 0, 0));
                    check(rc, st, name, path);
                }
                return;
            }
            int rc = (int) (atFdcwd ? Libc.callErrno(sc.state, fn, AT_FDCWD, c.address(), x, y, z, 0)
                    : Libc.callErrno(sc.state, fn, c.address(), x, y, z, 0, 0));
            check(rc, sc.state, name, path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void chmod(Path path, int mode) {
        pathCall(path, "chmod", Fn.FCHMODAT, true, mode & 07777, AT_SYMLINK_NOFOLLOW, 0);
    }

    @Override
    public void chmodCreated(Path path, int mode) {
        pathCall(path, "chmod", Fn.FCHMODAT, true, mode & 07777, 0, 0);
    }

    @Override
    public void symlink(String target, Path link) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) Libc.callErrno(st, Fn.SYMLINK, cstr(a, target).address(), cstr(a, link).address(), 0, 0, 0, 0);
            check(rc, st, "symlink", link + " -> " + target);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** glibc's gnu_dev_makedev: 12 bits of major and 8 of minor low, the rest high. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }

    /** strerror(3) text, e.g. "Operation not permitted". */
    static String strerror(int errno) {
        return Libc.strerror(errno);
    }

    /**
     * Per-thread native scratch for the calls an unpack makes per entry (lchown, chmod, utimensat, exists): an
     * Arena per call costs more than the syscall on a layer of thousands of small files.
     */
    private static final class Scratch {
        static final int PATH_MAX = 8192;
        final MemorySegment path = Arena.global().allocate(PATH_MAX);
        final MemorySegment state = Arena.global().allocate(Libc.CAPTURE);
        final MemorySegment times = Arena.global().allocate(JAVA_LONG, 4);

        /** The path as a C string in the scratch buffer, or null when it does not fit (the caller uses an arena). */
        MemorySegment cpath(Path p) {
            String s = p.toString();
            if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a NUL byte cannot be passed to libc: " + s.replace('\0', '@'));
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length + 1 > PATH_MAX) return null;
            MemorySegment.copy(b, 0, path, ValueLayout.JAVA_BYTE, 0, b.length);
            path.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
            return path;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final int F_OK = 0;
    private static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000;
    private static final int EINTR = 4;

    @Override
    public int createExclusive(Path path) {
        return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600, "open (create)");
    }

    @Override
    public int openRead(Path path) {
        return open(path, O_RDONLY | O_CLOEXEC, 0, "open");
    }

    private int open(Path path, int flags, int mode, String what) {
        Scratch sc = SCRATCH.get();
        MemorySegment c = sc.cpath(path);
        if (c == null) throw new IllegalArgumentException("path too long for open: " + path);
        try {
            int fd = (int) Libc.callErrno(sc.state, Fn.OPEN, c.address(), flags, mode, 0, 0, 0);
            if (fd < 0) throw error(what, path.toString(), errno(sc.state));
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A per-thread native buffer for writeAll: the bytes are copied in once, then written. */
    private static final ThreadLocal<MemorySegment> WRITE_BUF = ThreadLocal.withInitial(() -> Arena.global().allocate(1 << 16));

    @Override
    public void writeAll(int fd, byte[] b, int off, int len) {
        MemorySegment buf = WRITE_BUF.get();
        MemorySegment st = SCRATCH.get().state;
        try {
            while (len > 0) {
                int n = (int) Math.min(len, buf.byteSize());
                MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, n);
                int done = 0;
                while (done < n) {
                    long w = Libc.callErrno(st, Fn.WRITE, fd, buf.address() + done, n - done, 0, 0, 0);
                    if (w < 0) {
                        if (errno(st) == EINTR) continue;
                        throw error("write", "fd " + fd, errno(st));
                    }
                    done += (int) w;
                }
                off += n;
                len -= n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copyRange(int srcFd, long srcOffset, int dstFd, long len) {
        Scratch sc = SCRATCH.get();
        MemorySegment off = sc.times; // a loff_t the kernel advances
        try {
            off.setAtIndex(JAVA_LONG, 0, srcOffset);
            while (len > 0) {
                long n = Libc.callErrno(sc.state, Fn.COPY_FILE_RANGE, srcFd, off.address(), dstFd, 0, len, 0);
                if (n < 0) {
                    int e = errno(sc.state);
                    if (e == EINTR) continue;
                    // across file systems (EXDEV), or where the file system cannot (EOPNOTSUPP, ENOSYS, EINVAL)
                    if (e == 18 || e == 95 || e == 38 || e == 22) {
                        copyByHand(srcFd, off.getAtIndex(JAVA_LONG, 0), dstFd, len);
                        return;
                    }
                    throw error("copy_file_range", "fd " + srcFd + " -> fd " + dstFd, e);
                }
                if (n == 0) throw error("copy_file_range", "fd " + srcFd + ": the source ended early", 5);
                len -= n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void copyByHand(int srcFd, long offset, int dstFd, long len) throws Throwable {
        MemorySegment buf = WRITE_BUF.get();
        MemorySegment st = SCRATCH.get().state;
        while (len > 0) {
            long r = Libc.callErrno(st, Fn.PREAD, srcFd, buf.address(), Math.min(len, buf.byteSize()), offset, 0, 0);
            if (r < 0) {
                if (errno(st) == EINTR) continue;
                throw error("pread", "fd " + srcFd, errno(st));
            }
            if (r == 0) throw error("pread", "fd " + srcFd + ": the source ended early", 5);
            for (long done = 0; done < r; ) {
                long w = Libc.callErrno(st, Fn.WRITE, dstFd, buf.address() + done, r - done, 0, 0, 0);
                if (w < 0) {
                    if (errno(st) == EINTR) continue;
                    throw error("write", "fd " + dstFd, errno(st));
                }
                done += w;
            }
            offset += r;
            len -= r;
        }
    }

    @Override
    public void closeFd(int fd) {
        try {
            Libc.callErrno(SCRATCH.get().state, Fn.CLOSE, fd, 0, 0, 0, 0, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean existsNoFollow(Path path) {
        Scratch sc = SCRATCH.get();
        MemorySegment c = sc.cpath(path);
        if (c == null) return java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try {
            int rc = (int) Libc.callErrno(sc.state, Fn.FACCESSAT, AT_FDCWD, c.address(), F_OK, AT_SYMLINK_NOFOLLOW, 0, 0);
            if (rc == 0) return true;
            int e = errno(sc.state);
            if (e == 2 || e == 20) return false; // ENOENT, ENOTDIR
            throw error("faccessat", path.toString(), e);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment state(Arena a) {
        return a.allocate(Libc.CAPTURE);
    }

    private static int errno(MemorySegment state) {
        return Libc.errno(state);
    }

    private static void check(int rc, MemorySegment state, String call, Object subject) {
        if (rc == -1) throw error(call, String.valueOf(subject), errno(state));
    }

    private static SysException error(String call, String subject, int errno) {
        return new SysException(call, subject, errno, strerror(errno));
    }

    private static MemorySegment cstr(Arena a, Path p) {
        return cstr(a, p.toString());
    }

    // A NUL inside a Java string would silently truncate the C string and name a different file.
    private static MemorySegment cstr(Arena a, String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a NUL byte cannot be passed to libc: " + s.replace('\0', '@'));
        return a.allocateFrom(s, StandardCharsets.UTF_8);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
