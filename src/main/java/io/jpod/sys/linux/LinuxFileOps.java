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
                FCHMODAT = Libc.fn("fchmodat"), SYMLINK = Libc.fn("symlink");
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            MemorySegment ts = a.allocate(JAVA_LONG, 4); // struct timespec[2] = {tv_sec, tv_nsec} x 2 on LP64
            ts.setAtIndex(JAVA_LONG, 0, atimeSec);
            ts.setAtIndex(JAVA_LONG, 1, atimeNsec);
            ts.setAtIndex(JAVA_LONG, 2, mtimeSec);
            ts.setAtIndex(JAVA_LONG, 3, mtimeNsec);
            int rc = (int) Libc.callErrno(st, Fn.UTIMENSAT, AT_FDCWD, cstr(a, path).address(), ts.address(), AT_SYMLINK_NOFOLLOW, 0, 0);
            check(rc, st, "utimensat", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) Libc.callErrno(st, Fn.LCHOWN, cstr(a, path).address(), uid, gid, 0, 0, 0);
            check(rc, st, "lchown", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void chmod(Path path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) Libc.callErrno(st, Fn.FCHMODAT, AT_FDCWD, cstr(a, path).address(), mode & 07777, AT_SYMLINK_NOFOLLOW, 0, 0);
            check(rc, st, "chmod", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void chmodCreated(Path path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) Libc.callErrno(st, Fn.FCHMODAT, AT_FDCWD, cstr(a, path).address(), mode & 07777, 0, 0, 0);
            check(rc, st, "chmod", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
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
