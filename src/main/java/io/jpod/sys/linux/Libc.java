package io.jpod.sys.linux;

import io.jpod.sys.SysException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * glibc downcalls. Calls that set errno capture it; errno is only meaningful when rc == -1.
 */
final class Libc {
    private Libc() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static SysException error(String call, String subject, int errno) {
        return new SysException(call, subject, errno, strerror(errno));
    }

    /*
     * Every call goes through one shared downcall handle of the shape (addr, 6 x long) -> long, capturing errno.
     * Each distinct FunctionDescriptor costs the JVM a spun stub and a dozen lambda forms (~15-60 ms at start-up,
     * measured); one shape for all calls pays that once. Sound on x86-64 SysV: unused argument registers are
     * ignored by the callee, ints travel in 64-bit registers, RAX carries the vector count variadic callees
     * (fcntl) read, and int results are narrowed by the caller.
     */
    private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final class Errno {
        static final MethodHandle HANDLE = link(SHAPE);

        private static MethodHandle link(FunctionDescriptor shape) {
            String arch = System.getProperty("os.arch");
            if (!arch.equals("amd64") && !arch.equals("x86_64")) {
                throw new UnsupportedOperationException("jpod's libc calls assume the x86-64 calling convention; "
                        + arch + " needs a FunctionDescriptor per function in io.jpod.sys.linux.Libc");
            }
            return LINKER.downcallHandle(shape, Linker.Option.captureCallState("errno"));
        }
    }

    /** Scratch errno space for calls whose errno nobody reads. */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

    /** Initialises the linker and links the call shape; FfmWarmUp runs this on a second thread. */
    static void link() {
        MethodHandle h = Errno.HANDLE;
    }

    static MemorySegment fn(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Calls a C function whose errno nobody reads: at most six integer or pointer arguments. */
    static long call(MemorySegment fn, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) Errno.HANDLE.invokeExact(fn, SCRATCH.get(), a, b, c, d, e, f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a libc function capturing errno into state (read it only when the call reports failure). */
    static long callErrno(MemorySegment state, MemorySegment fn, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) Errno.HANDLE.invokeExact(fn, state, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** call() with arguments given as segments (passed as addresses) or numbers, padded to six. */
    static long callv(MemorySegment fn, Object... args) {
        long[] v = new long[6];
        for (int i = 0; i < args.length; i++) {
            v[i] = args[i] instanceof MemorySegment m ? m.address() : ((Number) args[i]).longValue();
        }
        return call(fn, v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    static final class Fn {
        static final MemorySegment KILL = fn("kill"), PIPE2 = fn("pipe2"), CLOSE = fn("close"), READ = fn("read"),
                WRITE = fn("write"), POLL = fn("poll"), FCNTL = fn("fcntl"), MOUNT = fn("mount"),
                UMOUNT2 = fn("umount2"), SOCKET = fn("socket"), CONNECT = fn("connect"), BIND = fn("bind"),
                LISTEN = fn("listen"), SHUTDOWN = fn("shutdown"), SETSOCKOPT = fn("setsockopt"),
                INET_PTON = fn("inet_pton"), WAITPID = fn("waitpid"), OPEN = fn("open"),
                STRERROR = fn("strerror");
    }

    static final class SpawnFn {
        static final MemorySegment SPAWN = fn("posix_spawn"), FA_INIT = fn("posix_spawn_file_actions_init"),
                FA_DESTROY = fn("posix_spawn_file_actions_destroy"), FA_DUP2 = fn("posix_spawn_file_actions_adddup2"),
                FA_OPEN = fn("posix_spawn_file_actions_addopen"),
                FA_CLOSEFROM = fn("posix_spawn_file_actions_addclosefrom_np"),
                FA_CHDIR = fn("posix_spawn_file_actions_addchdir_np"), ATTR_INIT = fn("posix_spawnattr_init"),
                ATTR_DESTROY = fn("posix_spawnattr_destroy"), ATTR_FLAGS = fn("posix_spawnattr_setflags"),
                ATTR_PGROUP = fn("posix_spawnattr_setpgroup"), ATTR_SIGMASK = fn("posix_spawnattr_setsigmask"),
                ATTR_SIGDEF = fn("posix_spawnattr_setsigdefault"), SIGEMPTY = fn("sigemptyset"),
                SIGFILL = fn("sigfillset"), SIGDEL = fn("sigdelset");
    }

    static String strerror(int errno) {
        try {
            long p = call(Fn.STRERROR, errno, 0, 0, 0, 0, 0);
            return MemorySegment.ofAddress(p).reinterpret(512).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static MemorySegment cstr(Arena a, String s) {
        return s == null ? MemorySegment.NULL : a.allocateFrom(s);
    }

    /** A NULL-terminated char*[] for argv/envp. */
    static MemorySegment cstrArray(Arena a, java.util.List<String> items) {
        MemorySegment arr = a.allocate(ValueLayout.ADDRESS, items.size() + 1L);
        for (int i = 0; i < items.size(); i++) arr.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(items.get(i)));
        arr.setAtIndex(ValueLayout.ADDRESS, items.size(), MemorySegment.NULL);
        return arr;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
