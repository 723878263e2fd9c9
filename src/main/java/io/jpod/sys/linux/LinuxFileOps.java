package io.jpod.sys.linux;

import io.jpod.sys.FileOps;
import io.jpod.sys.SysException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link FileOps} over glibc through FFM. The handles are static finals, so linking (tens of milliseconds) is paid
 * once per JVM, on first use of this class. Kept self-contained rather than sharing {@code Libc} so the layer
 * unpacker does not depend on the process-launching code's evolution.
 */
@SuppressWarnings("restricted") // FFM downcalls are the point of this class; the JVM is started with native access
public final class LinuxFileOps implements FileOps {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // mknod is a real symbol since glibc 2.33 (before, only __xmknod); mode_t and uid_t are 32-bit, dev_t 64-bit.
    private static final MethodHandle MKNOD = link("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle LSETXATTR = link("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LGETXATTR = link("lgetxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle UTIMENSAT = link("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle LCHOWN = link("lchown", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMODAT = link("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYMLINK = link("symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(() -> new UnsatisfiedLinkError("strerror")),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle link(String name, FunctionDescriptor fd) {
        MemorySegment fn = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libc has no " + name + "(); jpod needs glibc 2.33 or newer"));
        return LINKER.downcallHandle(fn, fd, Linker.Option.captureCallState("errno"));
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) MKNOD.invokeExact(st, cstr(a, path), mode, makedev(major, minor));
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
            int rc = (int) LSETXATTR.invokeExact(st, cstr(a, path), cstr(a, name), v, (long) value.length, 0);
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
                long size = (long) LGETXATTR.invokeExact(st, p, n, MemorySegment.NULL, 0L);
                if (size < 0) {
                    int errno = errno(st);
                    if (errno == ENODATA) return null;
                    throw error("lgetxattr", path + " " + name, errno);
                }
                MemorySegment buf = a.allocate(Math.max(1, size));
                long got = (long) LGETXATTR.invokeExact(st, p, n, buf, size);
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
            int rc = (int) UTIMENSAT.invokeExact(st, AT_FDCWD, cstr(a, path), ts, AT_SYMLINK_NOFOLLOW);
            check(rc, st, "utimensat", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) LCHOWN.invokeExact(st, cstr(a, path), uid, gid);
            check(rc, st, "lchown", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void chmod(Path path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) FCHMODAT.invokeExact(st, AT_FDCWD, cstr(a, path), mode & 07777, AT_SYMLINK_NOFOLLOW);
            check(rc, st, "chmod", path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void symlink(String target, Path link) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            int rc = (int) SYMLINK.invokeExact(st, cstr(a, target), cstr(a, link));
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
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    private static MemorySegment state(Arena a) {
        return a.allocate(Linker.Option.captureStateLayout());
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
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
