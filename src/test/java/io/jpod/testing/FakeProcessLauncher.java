package io.jpod.testing;

import io.jpod.sys.ExecResult;
import io.jpod.sys.ProcessLauncher;
import io.jpod.sys.SpawnSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Records every spawn and run; what a spawned program does (write to its fds, fail with ENOENT) and what a run
 * returns are scripted by the test. Spawns, waits and runs are appended to the fake syscalls' event log, so the
 * order of process and fd operations can be asserted together.
 */
public final class FakeProcessLauncher implements ProcessLauncher {
    /** One spawned process: its pid and what it was given. */
    public record Spawn(int pid, SpawnSpec spec) {}

    public final List<Spawn> spawned = new ArrayList<>();
    public final List<List<String>> ran = new ArrayList<>();
    public final List<List<String>> ranEnv = new ArrayList<>();
    private final FakeSyscalls sys;
    private final Map<Integer, Integer> exitCodes = new HashMap<>();
    private Consumer<Spawn> onSpawn = s -> { };
    private Function<List<String>, ExecResult> onRun = argv -> ok("");
    private int nextPid = 2000;

    public FakeProcessLauncher(FakeSyscalls sys) {
        this.sys = sys;
    }

    public static ExecResult ok(String stdout) {
        return new ExecResult(0, stdout.getBytes(), new byte[0]);
    }

    public static ExecResult fail(int code, String stderr) {
        return new ExecResult(code, new byte[0], stderr.getBytes());
    }

    /** What each spawned program does before spawn returns (it may throw, as posix_spawn does for ENOENT). */
    public FakeProcessLauncher onSpawn(Consumer<Spawn> handler) {
        this.onSpawn = handler;
        return this;
    }

    /** What each short command returns. */
    public FakeProcessLauncher onRun(Function<List<String>, ExecResult> handler) {
        this.onRun = handler;
        return this;
    }

    public FakeProcessLauncher exitCode(int pid, int code) {
        exitCodes.put(pid, code);
        return this;
    }

    /** The pid the next spawn gets. */
    public int nextPid() { return nextPid; }

    @Override
    public int spawn(SpawnSpec spec) {
        int pid = nextPid++;
        sys.events.add("spawn " + spec.argv().getFirst());
        Spawn s = new Spawn(pid, spec);
        onSpawn.accept(s);
        spawned.add(s);
        return pid;
    }

    @Override
    public int waitFor(int pid) {
        sys.events.add("wait " + pid);
        return exitCodes.getOrDefault(pid, 0);
    }

    /** What each run got on stdin (null when it got none), in order. */
    public final List<byte[]> ranStdin = new ArrayList<>();

    @Override
    public ExecResult run(List<String> argv, List<String> env, byte[] stdin) {
        ranStdin.add(stdin);
        return run(argv, env);
    }

    @Override
    public ExecResult run(List<String> argv, List<String> env) {
        sys.events.add("run " + String.join(" ", argv));
        ran.add(List.copyOf(argv));
        ranEnv.add(List.copyOf(env));
        return onRun.apply(argv);
    }
}
