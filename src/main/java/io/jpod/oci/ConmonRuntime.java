package io.jpod.oci;

import io.jpod.json.Json;
import io.jpod.sys.Clock;
import io.jpod.sys.ExecResult;
import io.jpod.sys.ProcessLauncher;
import io.jpod.sys.SpawnSpec;
import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The seed's OCIRuntime on conmon 2.1 and runc: conmon gets the sync pipe on fd 3 and the start pipe on fd 4,
 * reserved ports after them; runc is called directly for start, kill, delete, pause, resume, state, exec and
 * checkpoint.
 */
public final class ConmonRuntime implements OciRuntime {
    /** libpod's ContainerCreateTimeout. */
    public static final Duration CREATE_TIMEOUT = Duration.ofSeconds(240);

    private final RuntimeConfig config;
    private final ProcessLauncher launcher;
    private final Syscalls sys;
    private final Clock clock;
    private final ConmonCgroup cgroup;
    private final ProcessLabel label;
    private final Map<String, String> hostEnv;
    private final Consumer<String> warn;

    public ConmonRuntime(RuntimeConfig config, ProcessLauncher launcher, Syscalls sys, Clock clock,
                         ConmonCgroup cgroup, ProcessLabel label, Map<String, String> hostEnv, Consumer<String> warn) {
        this.config = config;
        this.launcher = launcher;
        this.sys = sys;
        this.clock = clock;
        this.cgroup = cgroup;
        this.label = label;
        this.hostEnv = Map.copyOf(hostEnv);
        this.warn = warn;
        try {
            Files.createDirectories(config.exitsDir());
            Files.createDirectories(config.socketsDir());
        } catch (IOException e) {
            throw new OciRuntimeException("cannot create the OCI runtime directories under " + config.tmpDir()
                    + ": " + e.getMessage() + "; check that it is writable", e);
        }
    }

    @Override
    public String name() { return config.runtimeName(); }

    public RuntimeConfig config() { return config; }

    /** conmon's argv for a create request: pure, golden-tested. */
    public ConmonArgs conmonArgs(CreateRequest r) {
        return new ConmonArgs(config.conmonPath().toString(), config.runtimePath().toString(),
                config.runtimeRoot() == null ? null : config.runtimeRoot().toString(), r.id(), r.name(),
                r.bundle().toString(), r.pidFile().toString(), r.conmonPidFile().toString(), r.logPath().toString(),
                r.logSizeMax() >= 0 ? r.logSizeMax() : config.logSizeMax(), config.exitsDir().toString(), r.persistDir().toString(),
                config.socketsDir().toString(), r.exitCommand(),
                config.cgroupManager() == RuntimeConfig.CgroupManagerKind.SYSTEMD, r.terminal(), r.stdin(),
                config.noPivot(), config.logLevel(), r.restoreFrom() == null ? null : r.restoreFrom().toString());
    }

    /** The environment conmon runs with, and which of our fds it inherits at which number. */
    record ConmonLaunch(List<String> env, Map<Integer, Integer> fds) {}

    /** conmon's sync and start pipes on fds 3 and 4, and the runtime dir and home it passes on to runc. */
    private void addPipeEnv(List<String> env) {
        env.add("_OCI_SYNCPIPE=3");
        env.add("_OCI_STARTPIPE=4");
        env.add("XDG_RUNTIME_DIR=" + hostEnv.getOrDefault("XDG_RUNTIME_DIR", config.rootless() ? "" : "/run"));
        env.add("HOME=" + hostEnv.getOrDefault("HOME", "/root"));
    }

    ConmonLaunch launchPlan(int syncW, int startR, List<Integer> portFds, int slirpFd) {
        List<String> env = new ArrayList<>(config.conmonEnv());
        addPipeEnv(env);
        Map<Integer, Integer> fds = new HashMap<>();
        fds.put(3, syncW);
        fds.put(4, startR);
        int next = 5;
        // The bound ports leak into conmon: the container never uses them, but they stay busy for its life.
        for (int fd : portFds) fds.put(next++, fd);
        if (slirpFd >= 0) fds.put(next++, slirpFd);
        String notify = hostEnv.get("NOTIFY_SOCKET");
        if (notify != null) env.add("NOTIFY_SOCKET=" + notify);
        String listenFds = hostEnv.get("LISTEN_FDS");
        if (listenFds != null) {
            env.add("LISTEN_FDS=" + listenFds);
            env.add("LISTEN_PID=1");
            int n = parseInt(listenFds, 0);
            // Socket activation: systemd's fds start at 3 in our process.
            for (int i = 0; i < n; i++) fds.put(next++, 3 + i);
        }
        return new ConmonLaunch(env, fds);
    }

    @Override
    public Created create(CreateRequest r) {
        List<Integer> toClose = new ArrayList<>();
        int[] sync = sys.pipe();
        int[] start = sys.pipe();
        toClose.add(sync[0]);
        toClose.add(start[1]);
        List<Integer> portFds = new ArrayList<>();
        int conmonPid;
        int slirpW = -1;
        try {
            if (config.reservePorts()) {
                for (PortMapping p : r.ports()) {
                    try {
                        portFds.add(sys.bindPort(p.protocol(), p.hostIp(), p.hostPort()));
                    } catch (SysException e) {
                        throw new OciRuntimeException("cannot reserve host port " + p.hostPort() + "/" + p.protocol()
                                + ": " + e.getMessage() + "; pick another host port or stop what uses it", e);
                    }
                }
            }
            if (config.rootless()) {
                int[] slirp = sys.pipe();
                toClose.add(slirp[0]);
                slirpW = slirp[1];
            }
            ConmonLaunch plan = launchPlan(sync[1], start[0], portFds, slirpW);
            SpawnSpec spec = new SpawnSpec(conmonArgs(r).argv(), plan.env(), r.bundle().toString(), plan.fds(), true);
            conmonPid = spawnLabelled(spec);
            io.jpod.sys.Trace.mark("conmon spawned");
        } catch (RuntimeException e) {
            // the child's ends are closed once, in finally: a second close would fail with EBADF (or hit a reused fd)
            closeAll(toClose);
            throw e instanceof SysException se && se.errno() == Syscalls.ENOENT
                    ? new OciRuntimeException("conmon not found at " + config.conmonPath()
                    + ": install it (apt-get install conmon) or set conmon_path", e) : e;
        } finally {
            // Our copies of the child's ends (and the ports: conmon holds them now) are not ours to keep.
            sys.close(sync[1]);
            sys.close(start[0]);
            for (int fd : portFds) sys.close(fd);
            if (slirpW >= 0) sys.close(slirpW);
        }
        try {
            String warning = cgroup.move(conmonPid, r.cgroupParent(), r.id());
            if (warning != null) warn.accept(warning);
            io.jpod.sys.Trace.mark("conmon in cgroup");
            // conmon blocks until this byte arrives: only now may it create the container.
            sys.write(start[1], new byte[] {0}, 0, 1);
            int rc = launcher.waitFor(conmonPid);
            io.jpod.sys.Trace.mark("conmon parent reaped");
            if (rc != 0) {
                String msg = new SyncPipe(sync[0]).readLine(Duration.ofMillis(200));
                throw new OciRuntimeException("conmon failed with exit status " + rc
                        + (msg == null ? "" : ": " + SyncMessage.parse(msg).message()));
            }
        } catch (RuntimeException e) {
            closeAll(toClose);
            throw e;
        }
        try {
            String line = new SyncPipe(sync[0]).readLine(CREATE_TIMEOUT, "container creation timeout: conmon sent no pid");
            if (line == null) {
                throw new OciRuntimeException("container create failed: conmon exited without reporting the container's pid");
            }
            SyncMessage m = SyncMessage.parse(line);
            if (m.failed()) {
                throw new OciRuntimeException(m.message() == null || m.message().isEmpty()
                        ? "container create failed" : cleanRuntimeMessage(m.message()));
            }
            return new Created(m.data(), readPidFile(r.conmonPidFile()));
        } catch (RuntimeException e) {
            // As libpod: a half-created container must not linger in the runtime.
            try {
                runRuntime(List.of("delete", "--force", r.id()));
            } catch (RuntimeException ignored) {
                // nothing to delete
            }
            throw e;
        } finally {
            closeAll(toClose);
        }
    }

    private int spawnLabelled(SpawnSpec spec) {
        if (!label.enabled()) return launcher.spawn(spec);
        String wanted = ProcessLabel.conmonLabel(label.current());
        if (wanted == null) return launcher.spawn(spec);
        label.setExec(wanted);
        try {
            return launcher.spawn(spec);
        } finally {
            try {
                label.setExec(null);
            } catch (RuntimeException ignored) {
                // can't recover, as in libpod
            }
        }
    }

    /**
     * conmon's report of a failed create, worded as podman words it ("runc: runc create failed: ... : OCI runtime
     * attempted to invoke a command that was not found"), so scripts matching podman's errors keep working.
     */
    String cleanRuntimeMessage(String message) {
        // conmon forwards runc's stderr, a logfmt line (time="..." level=error msg="runc create failed: ..."): keep the msg
        String m = message.contains("msg=\"")
                ? runtimeError(new ExecResult(1, new byte[0], message.getBytes(StandardCharsets.UTF_8))).strip()
                : message.strip();
        if (!m.startsWith(config.runtimeName() + ":")) m = config.runtimeName() + ": " + m;
        return switch (exitCodeFor(m)) {
            case 127 -> m + ": OCI runtime attempted to invoke a command that was not found";
            case 126 -> m + ": OCI permission denied";
            default -> m;
        };
    }

    private static int readPidFile(Path p) {
        try {
            return Integer.parseInt(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            try {
                sys.close(fd);
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    List<String> runtimeArgv(List<String> verbArgs) {
        List<String> argv = new ArrayList<>();
        argv.add(config.runtimePath().toString());
        if (config.runtimeRoot() != null) {
            argv.add("--root");
            argv.add(config.runtimeRoot().toString());
        }
        argv.addAll(verbArgs);
        return argv;
    }

    private List<String> runtimeEnv() {
        String runtimeDir = hostEnv.getOrDefault("XDG_RUNTIME_DIR", "/run");
        return List.of("XDG_RUNTIME_DIR=" + runtimeDir, "PATH=" + hostEnv.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    private ExecResult runRuntime(List<String> verbArgs) {
        try {
            return launcher.run(runtimeArgv(verbArgs), runtimeEnv());
        } catch (SysException e) {
            if (e.errno() == Syscalls.ENOENT) {
                throw new OciRuntimeException("OCI runtime " + config.runtimeName() + " not found at "
                        + config.runtimePath() + ": install it (apt-get install runc) or set runtime_path", e);
            }
            throw e;
        }
    }

    private void runOrThrow(String what, String id, List<String> verbArgs) {
        ExecResult r = runRuntime(verbArgs);
        if (!r.ok()) {
            throw new OciRuntimeException(what + " container " + id + ": " + config.runtimeName() + ": " + runtimeError(r));
        }
    }

    /** runc logs errors as logfmt lines (level=error msg="..."); keep just the message. */
    static String runtimeError(ExecResult r) {
        String e = r.err().isEmpty() ? r.out().strip() : r.err();
        int i = e.lastIndexOf("msg=\"");
        if (i >= 0) {
            int j = e.indexOf('"', i + 5);
            while (j > 0 && e.charAt(j - 1) == '\\') j = e.indexOf('"', j + 1);
            if (j > i) return e.substring(i + 5, j).replace("\\\"", "\"");
        }
        return e.isEmpty() ? "exit status " + r.exitCode() : e;
    }

    @Override
    public void start(String id) {
        runOrThrow("starting", id, List.of("start", id));
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        List<String> a = new ArrayList<>(List.of("kill"));
        if (all && !config.rootless()) a.add("--all");
        a.add(id);
        a.add(Integer.toString(signal));
        runOrThrow("sending signal " + signal + " to", id, a);
    }

    @Override
    public void delete(String id, boolean force) {
        // runc keeps a state dir per container under its root: without one there is nothing to delete, and a
        // runc process (~10 ms) is saved on every rm of a container that never ran or was cleaned up already.
        if (config.runtimeRoot() != null && !Files.exists(config.runtimeRoot().resolve(id))) return;
        ExecResult r = runRuntime(force ? List.of("delete", "--force", id) : List.of("delete", id));
        if (!r.ok() && !runtimeError(r).contains("does not exist")) {
            throw new OciRuntimeException("deleting container " + id + ": " + config.runtimeName() + ": " + runtimeError(r));
        }
    }

    @Override
    public void pause(String id) {
        runOrThrow("pausing", id, List.of("pause", id));
    }

    @Override
    public void resume(String id) {
        runOrThrow("resuming", id, List.of("resume", id));
    }

    @Override
    public RuntimeStatus state(String id) {
        ExecResult r = runRuntime(List.of("state", id));
        if (!r.ok()) {
            if (r.err().contains("does not exist") || r.err().contains("container not found")) return RuntimeStatus.notFound();
            throw new OciRuntimeException("getting container " + id + " state: " + runtimeError(r));
        }
        return parseState(id, r.out());
    }

    static RuntimeStatus parseState(String id, String json) {
        Map<String, Object> m = Json.parseObject(json);
        int pid = m.get("pid") instanceof Number n ? n.intValue() : 0;
        String status = String.valueOf(m.get("status"));
        RuntimeStatus.Kind k = switch (status) {
            case "created" -> RuntimeStatus.Kind.CREATED;
            case "running" -> RuntimeStatus.Kind.RUNNING;
            case "paused" -> RuntimeStatus.Kind.PAUSED;
            case "stopped" -> RuntimeStatus.Kind.STOPPED;
            default -> throw new OciRuntimeException("unrecognized status returned by runtime for container " + id + ": " + status);
        };
        return new RuntimeStatus(k, pid);
    }

    @Override
    public OptionalInt exitCode(String id) {
        try {
            String s = Files.readString(config.exitFile(id)).strip();
            if (s.isEmpty()) return OptionalInt.empty(); // conmon is mid-write
            return OptionalInt.of(Integer.parseInt(s));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            throw new OciRuntimeException("cannot read exit file " + config.exitFile(id) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path exitFile(String id) { return config.exitFile(id); }

    @Override
    public void removeExitFile(String id) {
        try {
            Files.deleteIfExists(config.exitFile(id));
        } catch (IOException e) {
            warn.accept("cannot remove exit file " + config.exitFile(id) + ": " + e.getMessage());
        }
    }

    /**
     * conmon's argv for an exec session, as podman builds it: the session's dir is conmon's bundle (attach socket,
     * ctl and winsz FIFOs), with its own exit dir (the exit file is named after the container) and log.
     */
    List<String> execConmonArgv(ExecRequest r) {
        List<String> a = new ArrayList<>(List.of(config.conmonPath().toString(), "--api-version", "1"));
        if (config.cgroupManager() == RuntimeConfig.CgroupManagerKind.SYSTEMD) a.add("-s");
        a.addAll(List.of("-c", r.containerId(), "-u", r.sessionId(), "-r", config.runtimePath().toString(),
                "-b", r.execDir().toString(), "-p", r.pidFile().toString(), "-n", r.containerName(),
                "--exit-dir", r.exitDir().toString(), "--persist-dir", r.execDir().resolve("persist").toString(),
                "-P", r.conmonPidFile().toString(), "-l", "k8s-file:" + r.logPath(),
                "--socket-dir-path", config.socketsDir().toString()));
        long max = r.logSizeMax() >= 0 ? r.logSizeMax() : config.logSizeMax();
        if (max >= 0) { a.add("--log-size-max"); a.add(Long.toString(max)); }
        if (!r.exitCommand().isEmpty()) {
            a.add("--exit-command"); a.add(r.exitCommand().getFirst());
            for (String arg : r.exitCommand().subList(1, r.exitCommand().size())) { a.add("--exit-command-arg"); a.add(arg); }
        }
        a.add("--log-level"); a.add(config.logLevel() == null ? "error" : config.logLevel());
        if ("debug".equals(config.logLevel())) a.add("--syslog");
        if (r.tty()) a.add("-t");
        if (r.stdin()) a.add("-i");
        if (r.attach()) a.add("--exec-attach");
        a.addAll(List.of("-e", "--exec-process-spec", r.processFile().toString()));
        if (config.runtimeRoot() != null) {
            a.addAll(List.of("--runtime-arg", "--root", "--runtime-arg", config.runtimeRoot().toString()));
        }
        return a;
    }

    @Override
    public ExecProcess exec(ExecRequest r, Consumer<Path> beforeStart) {
        try {
            Files.createDirectories(r.exitDir());
            // conmon writes persist/exit first and gives up (no exit file, no exit code) if it cannot
            Files.createDirectories(r.execDir().resolve("persist"));
            Files.writeString(r.processFile(), r.processJson());
        } catch (IOException e) {
            throw new OciRuntimeException("cannot prepare exec session " + r.sessionId() + " in " + r.execDir() + ": "
                    + e.getMessage(), e);
        }
        int[] sync = sys.pipe();
        int[] start = sys.pipe();
        int[] attach = r.attach() ? sys.pipe() : null;
        List<Integer> ours = new ArrayList<>(List.of(sync[0], start[1]));
        if (attach != null) ours.add(attach[0]);
        int conmonPid;
        try {
            List<String> env = new ArrayList<>(config.conmonEnv());
            addPipeEnv(env);
            Map<Integer, Integer> fds = new HashMap<>(Map.of(3, sync[1], 4, start[0]));
            if (attach != null) {
                env.add("_OCI_ATTACHPIPE=5");
                fds.put(5, attach[1]);
            }
            conmonPid = spawnLabelled(new SpawnSpec(execConmonArgv(r), env, r.execDir().toString(), fds, true));
            io.jpod.sys.Trace.mark("exec: conmon spawned");
        } catch (RuntimeException e) {
            closeAll(ours);
            throw e instanceof SysException se && se.errno() == Syscalls.ENOENT
                    ? new OciRuntimeException("conmon not found at " + config.conmonPath()
                    + ": install it (apt-get install conmon) or set conmon_path", e) : e;
        } finally {
            sys.close(sync[1]);
            sys.close(start[0]);
            if (attach != null) sys.close(attach[1]);
        }
        SyncPipe syncPipe = new SyncPipe(sync[0]);
        boolean ok = false;
        try {
            sys.write(start[1], new byte[] {0}, 0, 1);
            int rc = launcher.waitFor(conmonPid);
            if (rc != 0) {
                String msg = syncPipe.readLine(Duration.ofMillis(200));
                throw new OciRuntimeException("conmon failed with exit status " + rc
                        + (msg == null ? "" : ": " + SyncMessage.parse(msg).message()));
            }
            io.jpod.sys.Trace.mark("exec: conmon parent reaped");
            if (attach != null) {
                // conmon listens on the attach socket now; its runtime child waits for our second start byte
                String ready = new SyncPipe(attach[0]).readLine(CREATE_TIMEOUT, "exec timeout: conmon's attach socket was not ready");
                if (ready == null) throw execFailure(syncPipe.readLine(Duration.ofSeconds(5)));
                io.jpod.sys.Trace.mark("exec: attach socket ready");
                beforeStart.accept(config.attachSocket(r.sessionId()));
                sys.write(start[1], new byte[] {0}, 0, 1);
            }
            String line = syncPipe.readLine(CREATE_TIMEOUT, "exec timeout: conmon sent no pid");
            SyncMessage m = line == null ? null : SyncMessage.parse(line);
            if (m == null || m.failed()) throw execFailure(line);
            io.jpod.sys.Trace.mark("exec: process started");
            ok = true;
            return new ConmonExec(m.data(), syncPipe, r);
        } catch (RuntimeException e) {
            // conmon's runtime child dies with it (PDEATHSIG): nothing starts half-attached
            int daemon = readPidFile(r.conmonPidFile());
            if (daemon > 0) sys.kill(daemon, 9);
            throw e;
        } finally {
            sys.close(start[1]);
            if (attach != null) sys.close(attach[0]);
            if (!ok) sys.close(sync[0]);
        }
    }

    /** conmon's report of an exec that did not start: runc's message, and podman's 126/127 when it is the command. */
    private OciRuntimeException execFailure(String syncLine) {
        SyncMessage m = syncLine == null ? null : SyncMessage.parse(syncLine);
        if (m == null || m.message() == null || m.message().isBlank()) {
            return new OciRuntimeException("exec failed: conmon exited without starting the process");
        }
        String msg = cleanRuntimeMessage(m.message());
        int code = exitCodeFor(msg);
        return code == 125 ? new OciRuntimeException(msg) : new ExecFailedException(msg, code);
    }

    /** A running exec session: the sync pipe brings its exit code. */
    private final class ConmonExec implements ExecProcess {
        private final int pid;
        private final SyncPipe sync;
        private final ExecRequest request;
        private boolean closed;

        ConmonExec(int pid, SyncPipe sync, ExecRequest request) {
            this.pid = pid;
            this.sync = sync;
            this.request = request;
        }

        @Override
        public int pid() { return pid; }

        @Override
        public int waitExit() {
            String line = closed ? null : sync.readLine(null);
            if (line != null) {
                SyncMessage m = SyncMessage.parse(line);
                if (m.message() == null || m.message().isEmpty() || m.data() >= 0) return m.data();
            }
            // conmon went away without a word (killed): its exit file, if it got that far
            OptionalInt code = execExitCode(request.execDir(), request.containerId());
            return code.orElse(-1);
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            sys.close(sync.fd);
        }
    }

    @Override
    public OptionalInt execExitCode(Path execDir, String containerId) {
        Path f = ExecRequest.exitFile(execDir, containerId);
        try {
            String s = Files.readString(f).strip();
            return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            throw new OciRuntimeException("cannot read exit file " + f + ": " + e.getMessage(), e);
        }
    }

    /** conmon's pipes carry newline-ended JSON lines; one read may bring two (an exec's pid and exit code). */
    private final class SyncPipe {
        final int fd;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        SyncPipe(int fd) { this.fd = fd; }

        /** The next line, or null at EOF; null timeout waits for ever. */
        String readLine(Duration timeout) {
            return readLine(timeout, "conmon sent nothing");
        }

        String readLine(Duration timeout, String onTimeout) {
            long deadline = timeout == null ? Long.MAX_VALUE : clock.nanoTime() + timeout.toNanos();
            byte[] b = new byte[4096];
            while (true) {
                byte[] have = pending.toByteArray();
                for (int i = 0; i < have.length; i++) {
                    if (have[i] == '\n') {
                        pending.reset();
                        pending.write(have, i + 1, have.length - i - 1);
                        return new String(have, 0, i, StandardCharsets.UTF_8);
                    }
                }
                long left = timeout == null ? 60_000 : (deadline - clock.nanoTime()) / 1_000_000;
                if (left <= 0) throw new OciRuntimeException(onTimeout + " within " + timeout.toSeconds() + "s");
                if (!sys.pollIn(fd, (int) Math.min(left, Integer.MAX_VALUE))) continue;
                int n = sys.read(fd, b, 0, b.length);
                if (n == 0) {
                    if (pending.size() == 0) return null;
                    String last = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return last;
                }
                pending.write(b, 0, n);
            }
        }
    }

    static boolean isRuntimeExecError(String stderr) {
        return stderr.contains("level=error") && (stderr.contains("exec failed") || stderr.contains("unable to start container process"));
    }

    /** podman's mapping: a command that does not exist is 127, one that cannot be invoked 126. */
    public static int exitCodeFor(String runtimeMessage) {
        String m = runtimeMessage.toLowerCase(java.util.Locale.ROOT);
        if (!m.contains("exec")) return 125; // only the process's own exec failure maps to 126/127
        if (m.contains("executable file not found") || m.contains("no such file or directory")) return 127;
        if (m.contains("permission denied") || m.contains("is a directory") || m.contains("exec format error")) return 126;
        return 125;
    }

    /** The runtime could not start the exec'd process; {@link #exitCode} is podman's 126 or 127. */
    public static final class ExecFailedException extends OciRuntimeException {
        private final int exitCode;

        public ExecFailedException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() { return exitCode; }
    }

    @Override
    public void checkpoint(String id, Path imagePath, Path workPath, boolean leaveRunning, boolean tcpEstablished) {
        List<String> a = new ArrayList<>(List.of("checkpoint", "--image-path", imagePath.toString(),
                "--work-path", workPath.toString()));
        if (leaveRunning) a.add("--leave-running");
        if (tcpEstablished) a.add("--tcp-established");
        a.add(id);
        runOrThrow("checkpointing", id, a);
    }

    @Override
    public Optional<String> checkpointUnsupportedReason() {
        try {
            ExecResult r = launcher.run(List.of("criu", "check"), runtimeEnv());
            return r.ok() ? Optional.empty() : Optional.of("criu check failed: " + r.err());
        } catch (SysException e) {
            return Optional.of("criu is not installed: apt-get install criu");
        }
    }

    @Override
    public Path attachSocket(String id) {
        return config.attachSocket(id);
    }

    private static int parseInt(String s, int dflt) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
