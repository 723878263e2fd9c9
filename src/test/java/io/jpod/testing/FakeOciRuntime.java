package io.jpod.testing;

import io.jpod.oci.CreateRequest;
import io.jpod.oci.ExecRequest;
import io.jpod.oci.OciRuntime;
import io.jpod.oci.OciRuntimeException;
import io.jpod.oci.RuntimeStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * An OCI runtime in memory that behaves like conmon + runc from the outside: create gives a live container pid and
 * conmon pid (in {@link FakeSyscalls}), a signal kills the container unless told to ignore it, and an exiting
 * container leaves conmon's exit file (a real file, so mtimes and Files.exists work) and takes conmon with it.
 * Every call is recorded in {@link #calls} as "verb [flags] id [args]".
 */
public final class FakeOciRuntime implements OciRuntime {
    private static final class Proc {
        int pid, conmonPid;
        boolean started, paused;
        final Set<Integer> ignored = new HashSet<>();
        boolean dieBeforeKill;
    }

    public final List<String> calls = new ArrayList<>();
    public final List<CreateRequest> creates = new ArrayList<>();
    public final List<ExecRequest> execs = new ArrayList<>();
    private final FakeSyscalls sys;
    private final Path exitsDir;
    private final Map<String, Proc> procs = new HashMap<>();
    private final Map<String, RuntimeStatus> stateOverride = new HashMap<>();
    private Function<ExecRequest, Integer> onExec = r -> 0;
    private RuntimeException failCreate;
    private RuntimeException failStart;
    private int nextPid = 1000;

    public FakeOciRuntime(FakeSyscalls sys, Path exitsDir) {
        this.sys = sys;
        this.exitsDir = exitsDir;
        try {
            Files.createDirectories(exitsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- scripting

    /** The container keeps running through this signal (a process that ignores SIGTERM; or SIGKILL, stuck in D state). */
    public void ignoreSignal(String id, int signal) { proc(id).ignored.add(signal); }

    /** The container exits on its own right before the next kill reaches it: runc then says "container not running". */
    public void dieBeforeNextKill(String id) { proc(id).dieBeforeKill = true; }

    /** The container's process exits with code: conmon writes the exit file and exits too. */
    public void exit(String id, int code) {
        Proc p = proc(id);
        try {
            Files.writeString(exitFile(id), Integer.toString(code));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sys.exitProcess(p.pid);
        sys.exitProcess(p.conmonPid);
    }

    /** conmon and the container vanish without an exit file (OOM killer, kill -9 of conmon, reboot). */
    public void vanish(String id) {
        Proc p = proc(id);
        sys.exitProcess(p.pid);
        sys.exitProcess(p.conmonPid);
    }

    public void stateOverride(String id, RuntimeStatus s) { stateOverride.put(id, s); }

    public void failCreate(RuntimeException e) { failCreate = e; }

    public void failStart(RuntimeException e) { failStart = e; }

    public void onExec(Function<ExecRequest, Integer> f) { onExec = f; }

    public int pid(String id) { return proc(id).pid; }

    public int conmonPid(String id) { return proc(id).conmonPid; }

    /** The calls whose verb is the given one, e.g. "kill". */
    public List<String> calls(String verb) {
        return calls.stream().filter(c -> c.equals(verb) || c.startsWith(verb + " ")).toList();
    }

    private Proc proc(String id) {
        Proc p = procs.get(id);
        if (p == null) throw new IllegalStateException("no container " + id + " in the fake runtime");
        return p;
    }

    // ---------------------------------------------------------------- OciRuntime

    @Override
    public String name() { return "fake-runc"; }

    @Override
    public Created create(CreateRequest r) {
        calls.add("create " + r.id());
        creates.add(r);
        if (failCreate != null) throw failCreate;
        Proc p = new Proc();
        p.pid = nextPid++;
        p.conmonPid = nextPid++;
        procs.put(r.id(), p);
        sys.spawnProcess(p.pid);
        sys.spawnProcess(p.conmonPid);
        return new Created(p.pid, p.conmonPid);
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        if (failStart != null) throw failStart;
        Proc p = proc(id);
        if (p.started) throw new OciRuntimeException("cannot start a container that has stopped");
        p.started = true;
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        calls.add("kill " + (all ? "--all " : "") + id + " " + signal);
        Proc p = procs.get(id);
        if (p != null && p.dieBeforeKill) {
            p.dieBeforeKill = false;
            exit(id, 0);
        }
        if (p == null || !sys.isLive(p.pid)) throw new OciRuntimeException("container not running");
        if (p.ignored.contains(signal)) return;
        if (p.paused && signal != 9) return; // a frozen process handles nothing but SIGKILL
        exit(id, 128 + signal);
    }

    @Override
    public void delete(String id, boolean force) {
        calls.add("delete " + (force ? "--force " : "") + id);
        Proc p = procs.get(id);
        if (p != null && sys.isLive(p.pid) && !force) throw new OciRuntimeException("cannot delete running container");
        if (p != null && force) {
            sys.exitProcess(p.pid);
            sys.exitProcess(p.conmonPid);
        }
        procs.remove(id);
    }

    @Override
    public void pause(String id) {
        calls.add("pause " + id);
        proc(id).paused = true;
    }

    @Override
    public void resume(String id) {
        calls.add("resume " + id);
        proc(id).paused = false;
    }

    @Override
    public RuntimeStatus state(String id) {
        calls.add("state " + id);
        RuntimeStatus o = stateOverride.get(id);
        if (o != null) return o;
        Proc p = procs.get(id);
        if (p == null || !sys.isLive(p.conmonPid) && !sys.isLive(p.pid)) return RuntimeStatus.notFound();
        if (!sys.isLive(p.pid)) return new RuntimeStatus(RuntimeStatus.Kind.STOPPED, 0);
        if (p.paused) return new RuntimeStatus(RuntimeStatus.Kind.PAUSED, p.pid);
        return new RuntimeStatus(p.started ? RuntimeStatus.Kind.RUNNING : RuntimeStatus.Kind.CREATED, p.pid);
    }

    @Override
    public OptionalInt exitCode(String id) {
        try {
            String s = Files.readString(exitFile(id)).strip();
            return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path exitFile(String id) { return exitsDir.resolve(id); }

    @Override
    public void removeExitFile(String id) {
        try {
            Files.deleteIfExists(exitFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The args of an exec request's process spec. */
    @SuppressWarnings("unchecked")
    public static List<String> args(ExecRequest r) {
        return (List<String>) ((Map<String, Object>) io.jpod.json.Json.parseObject(r.processJson())).get("args");
    }

    /** An exec request's process spec. */
    public static Map<String, Object> process(ExecRequest r) {
        return io.jpod.json.Json.parseObject(r.processJson());
    }

    /**
     * Starts an exec session: onExec gives its exit code (null: it runs on, its conmon alive). The exit file is
     * written as conmon would; beforeStart sees the attach socket's path when attaching.
     */
    @Override
    public ExecProcess exec(ExecRequest request, java.util.function.Consumer<Path> beforeStart) {
        calls.add("exec " + request.containerId() + " " + String.join(" ", args(request)));
        execs.add(request);
        if (request.attach()) beforeStart.accept(request.execDir().resolve("attach"));
        Integer code = onExec.apply(request);
        int pid = nextPid++, conmon = nextPid++;
        sys.spawnProcess(pid);
        sys.spawnProcess(conmon);
        try {
            Files.createDirectories(request.exitDir());
            Files.writeString(request.conmonPidFile(), Integer.toString(conmon));
            Files.writeString(request.pidFile(), Integer.toString(pid));
            if (code != null) {
                Files.writeString(ExecRequest.exitFile(request.execDir(), request.containerId()), code.toString());
                sys.exitProcess(pid);
                sys.exitProcess(conmon);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ExecProcess() {
            public int pid() { return pid; }
            public int waitExit() { return code == null ? -1 : code; }
            public void close() {}
        };
    }

    @Override
    public OptionalInt execExitCode(Path execDir, String containerId) {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(ExecRequest.exitFile(execDir, containerId)).strip()));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void checkpoint(String id, Path imagePath, Path workPath, boolean leaveRunning, boolean tcpEstablished) {
        calls.add("checkpoint " + (leaveRunning ? "--leave-running " : "") + (tcpEstablished ? "--tcp-established " : "") + id);
        try {
            Files.writeString(imagePath.resolve("pages-1.img"), "criu pages of " + id); // what CRIU leaves there
            Files.writeString(workPath.resolve("dump.log"), "dump log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!leaveRunning) exit(id, 0);
    }

    @Override
    public Optional<String> checkpointUnsupportedReason() {
        return canCheckpoint ? Optional.empty() : Optional.of("the fake runtime cannot checkpoint");
    }

    /** Whether checkpoint and restore work here (as where criu check passes). */
    public boolean canCheckpoint;

    @Override
    public Path attachSocket(String id) { return exitsDir.resolveSibling("socket").resolve(id).resolve("attach"); }
}
