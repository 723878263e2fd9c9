package io.jpod.sys.linux;

import io.jpod.sys.ExecResult;
import io.jpod.sys.ProcessLauncher;
import io.jpod.sys.SpawnSpec;
import io.jpod.sys.SysException;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * posix_spawn through FFM: extra fds land at fixed numbers (adddup2), everything else is closed
 * (addclosefrom_np: the JVM holds fds without CLOEXEC), the child gets its own process group, an empty signal
 * mask and default dispositions. ~1 ms per spawn, against ~2.3 ms for ProcessBuilder.
 */
public final class PosixSpawnLauncher implements ProcessLauncher {
    private static final short SETPGROUP = 0x02, SETSIGDEF = 0x04, SETSIGMASK = 0x08;
    private static final int O_RDONLY = 0, O_WRONLY = 1;
    private static final int ECHILD = 10;

    private final LinuxSyscalls sys = LinuxSyscalls.INSTANCE;

    public static final PosixSpawnLauncher INSTANCE = new PosixSpawnLauncher();

    private PosixSpawnLauncher() {}

    @Override
    public int spawn(SpawnSpec spec) {
        // Move every source fd out of the 0..maxTarget range first, so one dup2 cannot clobber another's source.
        Map<Integer, Integer> targets = new TreeMap<>(spec.fds());
        int maxTarget = targets.keySet().stream().mapToInt(Integer::intValue).max().orElse(2);
        int floor = Math.max(10, maxTarget + 1);
        Map<Integer, Integer> moved = new HashMap<>();
        List<Integer> temps = new ArrayList<>();
        try {
            for (var e : targets.entrySet()) {
                int high = sys.dupAbove(e.getValue(), floor);
                temps.add(high);
                moved.put(e.getKey(), high);
            }
            return doSpawn(spec, moved, Math.max(3, maxTarget + 1));
        } finally {
            for (int fd : temps) sys.close(fd);
        }
    }

    private int doSpawn(SpawnSpec spec, Map<Integer, Integer> moved, int closeFrom) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fa = a.allocate(512);
            MemorySegment attr = a.allocate(1024);
            MemorySegment sigset = a.allocate(256);
            int rc = (int) Libc.callv(Libc.SpawnFn.FA_INIT, fa);
            check(rc, "posix_spawn_file_actions_init");
            rc = (int) Libc.callv(Libc.SpawnFn.ATTR_INIT, attr);
            check(rc, "posix_spawnattr_init");
            try {
                MemorySegment devnull = a.allocateFrom("/dev/null");
                for (int std = 0; std <= 2; std++) {
                    if (!moved.containsKey(std)) {
                        rc = (int) Libc.callv(Libc.SpawnFn.FA_OPEN, fa, std, devnull, std == 0 ? O_RDONLY : O_WRONLY, 0);
                        check(rc, "posix_spawn_file_actions_addopen");
                    }
                }
                for (var e : moved.entrySet()) {
                    rc = (int) Libc.callv(Libc.SpawnFn.FA_DUP2, fa, (int) e.getValue(), (int) e.getKey());
                    check(rc, "posix_spawn_file_actions_adddup2");
                }
                rc = (int) Libc.callv(Libc.SpawnFn.FA_CLOSEFROM, fa, closeFrom);
                check(rc, "posix_spawn_file_actions_addclosefrom_np");
                if (spec.cwd() != null) {
                    rc = (int) Libc.callv(Libc.SpawnFn.FA_CHDIR, fa, a.allocateFrom(spec.cwd()));
                    check(rc, "posix_spawn_file_actions_addchdir_np");
                }
                short flags = (short) (SETSIGMASK | SETSIGDEF | (spec.newProcessGroup() ? SETPGROUP : 0));
                rc = (int) Libc.callv(Libc.SpawnFn.ATTR_FLAGS, attr, flags);
                check(rc, "posix_spawnattr_setflags");
                rc = (int) Libc.callv(Libc.SpawnFn.SIGEMPTY, sigset);
                rc = (int) Libc.callv(Libc.SpawnFn.ATTR_SIGMASK, attr, sigset);
                check(rc, "posix_spawnattr_setsigmask");
                rc = (int) Libc.callv(Libc.SpawnFn.SIGFILL, sigset);
                rc = (int) Libc.callv(Libc.SpawnFn.SIGDEL, sigset, 9);
                rc = (int) Libc.callv(Libc.SpawnFn.SIGDEL, sigset, 19);
                rc = (int) Libc.callv(Libc.SpawnFn.ATTR_SIGDEF, attr, sigset);
                check(rc, "posix_spawnattr_setsigdefault");
                if (spec.newProcessGroup()) {
                    rc = (int) Libc.callv(Libc.SpawnFn.ATTR_PGROUP, attr, 0);
                    check(rc, "posix_spawnattr_setpgroup");
                }
                MemorySegment pid = a.allocate(JAVA_INT);
                String prog = spec.argv().getFirst();
                rc = (int) Libc.callv(Libc.SpawnFn.SPAWN, pid, a.allocateFrom(prog), fa, attr,
                        Libc.cstrArray(a, spec.argv()), Libc.cstrArray(a, spec.env()));
                if (rc != 0) throw Libc.error("posix_spawn", prog, rc);
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) Libc.callv(Libc.SpawnFn.FA_DESTROY, fa);
                ignored = (int) Libc.callv(Libc.SpawnFn.ATTR_DESTROY, attr);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static void check(int rc, String call) {
        if (rc != 0) throw Libc.error(call, "", rc);
    }

    @Override
    public int waitFor(int pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            MemorySegment status = a.allocate(JAVA_INT);
            while (true) {
                int rc = (int) Libc.callErrno(st, Libc.Fn.WAITPID, pid, status.address(), 0, 0, 0, 0);
                if (rc == pid) {
                    int s = status.get(JAVA_INT, 0);
                    int sig = s & 0x7f;
                    return sig == 0 ? (s >> 8) & 0xff : 128 + sig;
                }
                int e = Libc.errno(st);
                if (e == 4) continue; // EINTR
                if (e == ECHILD) return -1;
                throw Libc.error("waitpid", String.valueOf(pid), e);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public ExecResult run(List<String> argv, List<String> env) {
        return run(argv, env, null);
    }

    @Override
    public ExecResult run(List<String> argv, List<String> env, byte[] stdin) {
        int[] out = sys.pipe();
        int[] err = sys.pipe();
        int[] in = stdin == null ? null : sys.pipe();
        int pid;
        try {
            pid = spawn(new SpawnSpec(argv, env, null, in == null ? Map.of(1, out[1], 2, err[1])
                    : Map.of(0, in[0], 1, out[1], 2, err[1]), false));
        } catch (SysException e) {
            sys.close(out[0]);
            sys.close(err[0]);
            if (in != null) sys.close(in[1]);
            throw e;
        } finally {
            sys.close(out[1]);
            sys.close(err[1]);
            if (in != null) sys.close(in[0]);
        }
        if (in != null) {
            // fed from its own thread: a child that writes before it reads must not deadlock against us
            Thread.ofPlatform().daemon().name("jpod-stdin-feed").start(() -> {
                try {
                    for (int off = 0; off < stdin.length; ) off += sys.write(in[1], stdin, off, stdin.length - off);
                } catch (SysException ignored) {
                    // the child stopped reading (EPIPE): its exit status says why
                } finally {
                    sys.close(in[1]);
                }
            });
        }
        // One thread polls both pipes, so neither can fill up while we block on the other.
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        boolean outOpen = true, errOpen = true;
        try {
            while (outOpen || errOpen) {
                int[] fds = outOpen && errOpen ? new int[] {out[0], err[0]} : new int[] {outOpen ? out[0] : err[0]};
                int i = sys.pollAny(fds, -1);
                if (i < 0) continue;
                int fd = fds[i];
                int n = sys.read(fd, buf, 0, buf.length);
                if (n == 0) {
                    if (fd == out[0]) outOpen = false; else errOpen = false;
                } else {
                    (fd == out[0] ? o : e).write(buf, 0, n);
                }
            }
        } finally {
            sys.close(out[0]);
            sys.close(err[0]);
        }
        int code = waitFor(pid);
        return new ExecResult(code, o.toByteArray(), e.toByteArray());
    }
}
