package io.jpod.engine;

import io.jpod.core.AttachStream;
import io.jpod.core.Container;
import io.jpod.core.ContainerRuntime;
import io.jpod.core.ContainerStatus;
import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.core.Layout;
import io.jpod.core.LogReader;
import io.jpod.image.Image;
import io.jpod.image.ImageStore;
import io.jpod.image.LayerUnpacker;
import io.jpod.oci.ConmonCgroup;
import io.jpod.oci.ConmonRuntime;
import io.jpod.oci.ProcessLabel;
import io.jpod.oci.RuntimeConfig;
import io.jpod.state.LockManager;
import io.jpod.state.SqliteStateStore;
import io.jpod.state.StateException;
import io.jpod.state.StateStore;
import io.jpod.sys.Clock;
import io.jpod.sys.ProcessLauncher;
import io.jpod.sys.Syscalls;
import io.jpod.sys.linux.LinuxFileOps;
import io.jpod.sys.linux.LinuxSyscalls;
import io.jpod.sys.linux.PosixSpawnLauncher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@link ContainerEngine} in this process: the engine core over SQLite, conmon and runc. */
public final class LocalEngine implements ContainerEngine {
    private final EngineConfig config;
    private final StateStore state;
    private final ContainerRuntime runtime;
    private final Syscalls sys;
    private final Clock clock;
    private final Consumer<String> warn;

    LocalEngine(EngineConfig config, StateStore state, ContainerRuntime runtime, Syscalls sys, Clock clock,
                Consumer<String> warn) {
        this.config = config;
        this.state = state;
        this.runtime = runtime;
        this.sys = sys;
        this.clock = clock;
        this.warn = warn;
    }

    /** Opens the engine on the real OS: FFM syscalls, posix_spawn, SQLite under config.root(). */
    public static LocalEngine open(EngineConfig config) {
        return open(config, msg -> System.err.println("WARN[0000] " + msg));
    }

    public static LocalEngine open(EngineConfig config, Consumer<String> warn) {
        io.jpod.sys.Trace.mark("open: start");
        RuntimeConfig.CgroupManagerKind cg;
        try {
            cg = RuntimeConfig.parseCgroupManager(config.cgroupManager());
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "jpod needs root: rootless containers are not built yet;"
                    + " run it with sudo");
        }
        Layout layout = new Layout(config.root(), config.runRoot());
        // Container configs hold environment variables (often secrets): the stores are root's alone, as podman's
        privateDir(config.root());
        privateDir(config.runRoot());
        Syscalls sys = LinuxSyscalls.INSTANCE;
        ProcessLauncher launcher = PosixSpawnLauncher.INSTANCE;
        StateStore state;
        io.jpod.sys.Trace.mark("open: before sqlite");
        try {
            state = SqliteStateStore.open(layout.database());
            io.jpod.sys.Trace.mark("open: sqlite open");
        } catch (StateException e) {
            throw new JpodException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
        }
        RuntimeConfig rc = new RuntimeConfig("runc", config.runtimePath(), layout.runcRoot(), config.conmonPath(),
                List.of(), cg, layout.runtimeTmp(), -1, false, true, conmonLogLevel(config.logLevel()), false);
        ConmonRuntime oci = new ConmonRuntime(rc, launcher, sys, Clock.SYSTEM,
                ConmonCgroup.forKind(cg, launcher, Path.of("/sys/fs/cgroup")), ProcessLabel.LINUX, config.hostEnv(), warn);
        ImageStore images = new ImageStore(layout.layers(), state, new LinuxFileOps());
        io.jpod.volume.VolumeStore volumes = new io.jpod.volume.VolumeStore(layout.volumes(), state, new LinuxFileOps(), sys);
        ContainerRuntime runtime = new ContainerRuntime(layout, state, new LockManager(layout.locks()), oci, images,
                volumes, sys, Clock.SYSTEM, warn, config.exitCommand(), cg == RuntimeConfig.CgroupManagerKind.SYSTEMD
                ? "machine.slice" : "/jpod_parent", cg == RuntimeConfig.CgroupManagerKind.SYSTEMD);
        runtime.setNetworking(new io.jpod.core.ContainerNetworking(layout, io.jpod.network.NetworkStore.host(layout.networks()),
                new io.jpod.network.CniRunner(List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")), layout.cniCache(), launcher),
                io.jpod.sys.linux.LinuxNetNamespaces.INSTANCE, io.jpod.network.IptablesFirewall.host(layout.firewallState(), launcher),
                new io.jpod.network.AardvarkDns(layout.runRoot().resolve("aardvark-dns"),
                Path.of("/usr/lib/podman/aardvark-dns"), launcher, sys), launcher));
        runtime.refreshAfterReboot();
        runtime.setEvents(new io.jpod.core.EventLog(layout.runRoot().resolve("events").resolve("events.log"), 1 << 20));
        io.jpod.sys.Trace.mark("engine open");
        return new LocalEngine(config, state, runtime, sys, Clock.SYSTEM, warn);
    }

    private static void privateDir(Path dir) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another jpod made it first
                }
            }
            if (!Files.getPosixFilePermissions(dir).equals(owner)) Files.setPosixFilePermissions(dir, owner);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "cannot prepare " + dir + ": " + e.getMessage()
                    + "; check that it is a writable directory", e);
        }
    }

    private static String conmonLogLevel(String l) {
        return switch (l == null ? "" : l) {
            case "debug", "trace" -> "debug";
            case "info" -> "info";
            case "warn", "warning" -> "warning";
            default -> "error";
        };
    }

    public ContainerRuntime runtime() { return runtime; }

    private void requireBinaries() {
        if (!Files.isExecutable(config.runtimePath())) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "OCI runtime runc not found at " + config.runtimePath()
                    + ": install it (apt-get install runc) or pass --runtime PATH");
        }
        if (!Files.isExecutable(config.conmonPath())) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "conmon not found at " + config.conmonPath()
                    + ": install it (apt-get install conmon) or pass --conmon PATH");
        }
    }

    @Override
    public Container create(CreateOptions o) {
        requireBinaries();
        String net = networkMode(o.network());
        boolean bridged = io.jpod.core.ContainerNetworking.bridged(net);
        if (o.init() && io.jpod.core.SpecGenerator.INIT_CANDIDATES.stream().noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            throw JpodException.invalid("--init needs catatonit, which is not installed: apt-get install catatonit");
        }
        var ports = new ArrayList<io.jpod.oci.PortMapping>();
        for (var p : o.publishAll() ? withExposedPorts(o) : o.ports()) {
            // -p 80: a free host port, held by conmon from the start as the others are
            ports.add(p.hostPort() != 0 ? p : new io.jpod.oci.PortMapping(p.hostIp(), freeHostPort(p.protocol()), p.containerPort(), p.protocol()));
        }
        if (!ports.isEmpty() && !bridged) {
            // as podman: with no network of its own (none, host) a container has nothing to publish ports into
            warn.accept("Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use");
            ports.clear();
        }
        List<io.jpod.volume.Volume> made = new ArrayList<>();
        try {
            List<io.jpod.core.MountSpec> mounts = volumeMounts(o, made);
            Container created = runtime.create(new ContainerRuntime.CreateSpec(o.name(), o.image(), o.entrypoint(), o.command(), o.env(),
                o.workDir(), o.user(), o.hostname(), o.labels(), o.stopSignal(), o.stopTimeout(), mounts,
                o.memoryBytes(), o.cpus(), o.pidsLimit(), o.capAdd(), o.capDrop(), o.privileged(), o.readOnly(),
                o.logMaxSize(), ports, o.autoRemove(), o.interactive(), o.tty(), net, o.init(), o.entrypointSet(),
                o.restartPolicy(), o.healthcheck(), o.healthcheckSet(), o.netOptions()));
            ev(created, "create");
            return created;
        } catch (RuntimeException e) {
            for (io.jpod.volume.Volume v : made) { // nothing half-made: volumes this create made go with it
                try {
                    runtime.volumes().delete(v);
                } catch (IOException | RuntimeException ignored) {
                    // best effort; an orphan volume is visible in volume ls
                }
            }
            throw e;
        }
    }

    /**
     * The stored network mode: the names of networks (the default network when none is given, as podman's;
     * "bridge" names it too; "a,b" is both), each checked to exist; or none, host, container:FULL-ID.
     */
    private String networkMode(String given) {
        String net = given == null || given.isEmpty() ? io.jpod.network.Network.DEFAULT : given;
        if (net.equals("none") || net.equals("host") || net.equals("private")) return net;
        if (net.startsWith("container:")) {
            String other = net.substring("container:".length());
            if (other.isEmpty()) throw JpodException.invalid("--network container: needs a container's name or ID: container:NAME");
            return "container:" + runtime.lookup(other).id();
        }
        if (net.equals("slirp4netns") || net.startsWith("slirp4netns:") || net.equals("pasta") || net.startsWith("ns:")) {
            throw JpodException.invalid("network mode \"" + net + "\" is not supported: use bridge, a network's name, none, host or container:NAME");
        }
        List<String> names = new ArrayList<>();
        for (String n : io.jpod.core.ContainerNetworking.networkNames(net)) {
            String name = n.equals(io.jpod.network.Network.DEFAULT) ? n : network(n).name(); // a name or an ID
            if (names.contains(name)) throw JpodException.invalid("network " + name + " is given twice in --network " + given);
            names.add(name);
        }
        return String.join(",", names);
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public io.jpod.volume.Volume createVolume(String name, Map<String, String> labels, Map<String, String> options) {
        try {
            io.jpod.volume.Volume v = runtime.volumes().create(name != null ? name : io.jpod.core.Names.newId(), labels,
                    options, name == null, clock.now());
            ev("volume", "create", v.name(), v.name());
            return v;
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (StateException e) {
            throw new JpodException(e.kind() == StateException.Kind.ALREADY_EXISTS ? ErrorCode.ALREADY_EXISTS : ErrorCode.INTERNAL,
                    e.getMessage(), e);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "creating volume " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<io.jpod.volume.Volume> volumes() {
        return runtime.volumes().list();
    }

    @Override
    public io.jpod.volume.Volume inspectVolume(String name) {
        return runtime.volumes().find(name).orElseThrow(() ->
                JpodException.notFound("no volume with name \"" + name + "\" found: no such volume"));
    }

    @Override
    public List<Report> removeVolumes(List<String> names, boolean force) {
        return each(names, n -> {
            io.jpod.volume.Volume v = inspectVolume(n);
            List<String> users = runtime.containersUsingVolume(v.name());
            if (!users.isEmpty()) {
                if (!force) {
                    throw JpodException.state("volume " + v.name() + " is being used by the following container(s): "
                            + String.join(", ", users) + ": volume is being used; remove the containers first, or use -f");
                }
                for (String cid : users) runtime.remove(cid, true);
            }
            try {
                runtime.volumes().delete(v);
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "removing volume " + v.name() + ": " + e.getMessage(), e);
            }
            ev("volume", "remove", v.name(), v.name());
            return v.name();
        });
    }

    @Override
    public List<String> pruneVolumes() {
        List<String> removed = new ArrayList<>();
        for (io.jpod.volume.Volume v : volumes()) {
            if (!runtime.containersUsingVolume(v.name()).isEmpty()) continue;
            try {
                runtime.volumes().delete(v);
                removed.add(v.name());
                ev("volume", "prune", v.name(), v.name());
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "removing volume " + v.name() + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    @Override
    public boolean volumeExists(String name) {
        return runtime.volumes().find(name).isPresent();
    }

    @Override
    public List<String> volumeUsers(String name) {
        inspectVolume(name);
        return runtime.containersUsingVolume(name);
    }

    /**
     * Turns -v NAME:/dst and -v /dst (anonymous) into mounts of volume directories, creating what is missing; the
     * volumes made here are added to {@code made}, so a failed create can take them back. (The image's VOLUMEs are
     * made by the runtime, which has the image resolved.)
     */
    private List<io.jpod.core.MountSpec> volumeMounts(CreateOptions o, List<io.jpod.volume.Volume> made) {
        List<io.jpod.core.MountSpec> out = new ArrayList<>();
        for (io.jpod.core.MountSpec m : o.mounts()) {
            if (!m.type().equals("volume")) {
                out.add(m);
                continue;
            }
            io.jpod.volume.Volume v;
            if (m.source().isEmpty()) {
                v = createVolume(null, Map.of(), Map.of());
                made.add(v);
            } else {
                Optional<io.jpod.volume.Volume> existing = runtime.volumes().find(m.source());
                if (existing.isPresent()) {
                    v = existing.get();
                } else {
                    v = createVolume(m.source(), Map.of(), Map.of());
                    made.add(v);
                }
            }
            out.add(new io.jpod.core.MountSpec("volume", v.mountpoint().toString(), m.destination(), m.options()));
        }
        return out;
    }

    // ------------------------------------------------------------------ events

    private io.jpod.core.EventLog eventLog() {
        return runtime.events();
    }

    private void ev(Container c, String status) {
        eventLog().append(runtime.event(c.config(), status, null));
    }

    private void ev(String type, String status, String id, String name) {
        eventLog().append(new io.jpod.core.EventLog.Event(clock.now(), type, status, id, name, null,
                name == null ? Map.of() : Map.of("name", name), null));
    }

    @Override
    public List<io.jpod.core.EventLog.Event> events(java.time.Instant since, java.time.Instant until) {
        return eventLog().read(since, until);
    }

    @Override
    public void followEvents(java.time.Instant since, java.time.Instant until,
                             java.util.function.Predicate<io.jpod.core.EventLog.Event> sink) {
        io.jpod.core.EventLog log = eventLog();
        long[] offset = {log.end()};
        if (since != null) {
            for (var e : log.read(since, until)) if (!sink.test(e)) return;
        }
        while (until == null || clock.now().isBefore(until)) {
            for (var e : log.readFrom(offset)) {
                if (until != null && e.time().isAfter(until)) return;
                if (!sink.test(e)) return;
            }
            nap(100);
        }
    }

    @Override
    public int run(CreateOptions options, Streams streams) {
        Container c = create(options);
        io.jpod.sys.Trace.mark("created");
        return attachAndWait(c.id(), new AttachOptions(options.interactive(), options.detachKeys(), options.sigProxy()),
                streams, true, options.autoRemove(), null);
    }

    /** Starts attached; a start that fails removes the container if we created it here (nothing half-made). */
    /** 128 + SIGPIPE: what a shell reports for a writer whose reader went away. */
    static final int BROKEN_PIPE = 141;

    private void forwardSignal(String id, int signal) {
        try {
            runtime.kill(id, signal);
        } catch (JpodException e) {
            // the container has just exited: nothing to deliver to
        }
    }

    private int attachAndWait(String id, AttachOptions options, Streams streams, boolean createdHere, boolean remove,
                              java.util.function.Consumer<Container> onStarted) {
        AtomicReference<AttachStream> attach = new AtomicReference<>();
        Container started;
        try {
            started = runtime.startAttached(id, created -> attach.set(AttachStream.connect(sys,
                    runtime.oci().attachSocket(created.id()).toString())));
            ev(started, "init");
            ev(started, "start");
            ev(started, "attach");
            startHealthTimer(started);
        } catch (RuntimeException e) {
            if (attach.get() != null) attach.get().close();
            if (createdHere) removeQuietly(id);
            throw e;
        }
        if (onStarted != null) onStarted.accept(started);
        return pumpUntilExit(started, attach.get(), options, streams, remove);
    }

    /** Streams an attached container until it exits (its exit code, removing it when asked) or the user detaches (0). */
    private int pumpUntilExit(Container started, AttachStream attached, AttachOptions options, Streams streams, boolean remove) {
        String id = started.id();
        boolean tty = started.config().tty();
        try (AttachStream a = attached;
             SignalProxy proxy = options.sigProxy() ? new SignalProxy(sig -> forwardSignal(id, sig)) : null) {
            if (!pump(a, options.stdin(), tty, streams, runtime.layout().bundle(id).resolve("ctl"), options.detachKeys())) return 0;
        } catch (IOException e) {
            // Our reader went away (`jpod run ... | head -1`). podman dies of SIGPIPE and leaves the container
            // running; waiting on would hang for ever on a container that never ends. With --rm nothing will
            // clean it up later, so it goes now; without, it keeps running detached, and we exit as SIGPIPE would.
            if (!remove) return BROKEN_PIPE;
            forwardSignal(id, 9);
            runtime.finishAttached(id, true);
            ev(started, "remove");
            return BROKEN_PIPE;
        }
        io.jpod.sys.Trace.mark("attach EOF");
        int code = runtime.finishAttached(id, remove);
        if (remove) ev(started, "remove");
        return code;
    }

    /**
     * Copies between the user's streams and a conmon attach socket until the process's output ends (true), or
     * the user types the detach keys (false: the process goes on). On a terminal with tty, the local terminal is
     * raw meanwhile and the process's terminal follows its size through conmon's ctl FIFO.
     */
    private boolean pump(AttachStream a, boolean stdin, boolean tty, Streams streams, Path ctl, DetachKeys keys) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
        io.jpod.sys.Terminal term = io.jpod.sys.linux.LinuxTerminal.INSTANCE;
        boolean onTerminal = tty && streams.inFd() >= 0 && term.isTerminal(streams.inFd());
        try (io.jpod.sys.Terminal.Restore raw = onTerminal ? term.makeRaw(streams.inFd()) : null;
             Resizer resizer = onTerminal ? new Resizer(ctl, streams.inFd(), term) : null) {
            if (stdin && streams.in() != null) {
                if (tty) a.forwardInput(streams.in(), keys.sequence(), () -> detached.set(true));
                else a.forwardInput(streams.in());
            }
            boolean ended = a.pumpOutput(streams.out(), streams.err(), tty ? detached::get : null);
            if (!ended) { // ctrl-p ctrl-q, as podman's
                streams.err().write("\n".getBytes());
                streams.err().flush();
            }
            return ended;
        }
    }

    /**
     * Keeps the container's terminal the size of ours: at start and on every SIGWINCH, "1 ROWS COLS" goes to
     * conmon's ctl FIFO in the bundle, as podman's AttachResize writes it.
     */
    private final class Resizer implements AutoCloseable {
        private final Path ctl;
        private final int fd;
        private final io.jpod.sys.Terminal term;
        private final sun.misc.Signal winch = new sun.misc.Signal("WINCH");
        private final sun.misc.SignalHandler previous;

        Resizer(Path ctl, int fd, io.jpod.sys.Terminal term) {
            this.ctl = ctl;
            this.fd = fd;
            this.term = term;
            resize();
            previous = sun.misc.Signal.handle(winch, s -> resize());
        }

        void resize() {
            int[] size = term.size(fd);
            if (size == null) return;
            int w = sys.openFifoWriter(ctl.toString()); // conmon (the reader) may be gone: never block on it
            if (w < 0) return;
            try {
                byte[] msg = ("1 " + size[0] + " " + size[1] + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                sys.write(w, msg, 0, msg.length);
            } catch (RuntimeException e) {
                // conmon went away meanwhile: nothing to resize
            } finally {
                sys.close(w);
            }
        }

        @Override
        public void close() {
            sun.misc.Signal.handle(winch, previous);
        }
    }

    private void removeQuietly(String id) {
        try {
            runtime.remove(id, true);
        } catch (JpodException e) {
            if (e.code() != ErrorCode.NOT_FOUND) throw e;
        }
    }

    @Override
    public Container runDetached(CreateOptions options) {
        Container c = create(options);
        try {
            Container started = runtime.start(c.id());
            ev(started, "init");
            ev(started, "start");
            startHealthTimer(started);
            return started;
        } catch (RuntimeException e) {
            removeQuietly(c.id());
            throw e;
        }
    }

    private List<Report> each(List<String> names, Function<String, String> op) {
        List<Report> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(Report.ok(n, op.apply(n)));
            } catch (JpodException e) {
                out.add(Report.failed(n, e));
            } catch (StateException e) {
                out.add(Report.failed(n, new JpodException(ErrorCode.INTERNAL, e.getMessage(), e)));
            }
        }
        return out;
    }

    private List<String> targets(List<String> names, boolean all, java.util.function.Predicate<Container> filter) {
        if (!all) return names;
        return runtime.list().stream().filter(filter).map(Container::id).toList();
    }

    @Override
    public List<Report> start(List<String> names) {
        requireBinaries();
        return each(names, n -> {
            Container c = runtime.start(n);
            ev(c, "init");
            ev(c, "start");
            startHealthTimer(c);
            return c.id();
        });
    }

    @Override
    public int startAttached(String nameOrId, AttachOptions options, Streams streams) {
        return startAttached(nameOrId, options, streams, null);
    }

    @Override
    public int startAttached(String nameOrId, AttachOptions options, Streams streams, java.util.function.Consumer<Container> started) {
        requireBinaries();
        Container c = runtime.lookup(nameOrId);
        AttachOptions o = options != null ? options : AttachOptions.defaults(c.config().stdin());
        return attachAndWait(c.id(), new AttachOptions(o.stdin() && c.config().stdin(), o.detachKeys(), o.sigProxy()),
                streams, false, c.config().autoRemove(), started);
    }

    @Override
    public int attach(String nameOrId, AttachOptions options, Streams streams) {
        Container c = runtime.lookup(nameOrId);
        if (c.status() != io.jpod.core.ContainerStatus.RUNNING) {
            throw JpodException.state("you can only attach to running containers: " + c.name() + " is "
                    + c.status().word() + (c.status() == io.jpod.core.ContainerStatus.PAUSED ? "; unpause it first" : "; start it with jpod start -a"));
        }
        AttachStream a = AttachStream.connect(sys, runtime.oci().attachSocket(c.id()).toString());
        ev(c, "attach");
        AttachOptions o = new AttachOptions(options.stdin() && c.config().stdin(), options.detachKeys(), options.sigProxy());
        return pumpUntilExit(c, a, o, streams, c.config().autoRemove());
    }

    @Override
    public List<Report> stop(List<String> names, boolean all, Integer timeout) {
        return each(targets(names, all, c -> c.status().isActive()), n -> {
            Container c = runtime.stop(n, timeout);
            ev(c, "stop");
            return c.id();
        });
    }

    @Override
    public List<Report> kill(List<String> names, boolean all, int signal) {
        return each(targets(names, all, c -> c.status().isActive()), n -> {
            Container c = runtime.kill(n, signal);
            ev(c, "kill");
            return c.id();
        });
    }

    @Override
    public List<Report> remove(List<String> names, boolean force) {
        return remove(names, force, false);
    }

    @Override
    public List<Report> remove(List<String> names, boolean force, boolean volumes) {
        return each(names, n -> {
            Container c = runtime.remove(n, force, volumes);
            ev(c, "remove");
            return c.id();
        });
    }

    @Override
    public List<Report> removeAll(boolean force) {
        return remove(runtime.list().stream().map(Container::id).toList(), force);
    }

    @Override
    public List<Report> pause(List<String> names, boolean all) {
        return each(targets(names, all, c -> c.status() == ContainerStatus.RUNNING), n -> {
            Container c = runtime.pause(n);
            ev(c, "pause");
            return c.id();
        });
    }

    @Override
    public List<Report> unpause(List<String> names, boolean all) {
        return each(targets(names, all, c -> c.status() == ContainerStatus.PAUSED), n -> {
            Container c = runtime.unpause(n);
            ev(c, "unpause");
            return c.id();
        });
    }

    @Override
    public List<Report> restart(List<String> names, boolean all, Integer timeout) {
        requireBinaries();
        return each(targets(names, all, c -> c.status().isActive()), n -> {
            runtime.stop(n, timeout);
            Container c = runtime.start(n);
            ev(c, "restart");
            startHealthTimer(c);
            return c.id();
        });
    }

    @Override
    public List<Report> waitFor(List<String> names) {
        return each(names, n -> Integer.toString(runtime.waitExit(n, Duration.ofMillis(250))));
    }

    @Override
    public List<Report> waitFor(List<String> names, java.util.Set<String> conditions, Duration interval) {
        for (String c : conditions) {
            if (!WAIT_CONDITIONS.contains(c)) {
                throw JpodException.invalid("unknown container state: " + c + ": use one of " + new java.util.TreeSet<>(WAIT_CONDITIONS));
            }
        }
        if (conditions.isEmpty() || conditions.stream().allMatch(c -> c.equals("stopped") || c.equals("exited"))) {
            return each(names, n -> Integer.toString(runtime.waitExit(n, interval)));
        }
        return each(names, n -> {
            while (true) {
                Container c = runtime.inspect(n);
                String word = switch (c.status()) {
                    case CONFIGURED -> "configured";
                    case CREATED -> "created";
                    case RUNNING -> "running";
                    case PAUSED -> "paused";
                    case STOPPED, EXITED -> "exited";
                    case REMOVING -> "removing";
                };
                boolean met = conditions.contains(word) || word.equals("exited") && conditions.contains("stopped")
                        || word.equals("created") && conditions.contains("initialized");
                if (!met && c.config().healthcheck() != null && c.status() == ContainerStatus.RUNNING) {
                    String h = io.jpod.core.HealthState.read(runtime.layout().healthFile(c.id())).status();
                    met = conditions.contains(h);
                }
                if (met) return word.equals("exited") ? Integer.toString(c.state().exitCode()) : "-1";
                nap(interval.toMillis());
            }
        });
    }

    @Override
    public Container inspect(String nameOrId) {
        return runtime.inspect(nameOrId);
    }

    @Override
    public List<Container> list() {
        return runtime.list();
    }

    @Override
    public Container rename(String nameOrId, String newName) {
        Container c = runtime.rename(nameOrId, newName);
        ev(c, "rename");
        return c;
    }

    @Override
    public int exec(String nameOrId, ExecOptions o, Streams s) {
        io.jpod.sys.Terminal term = io.jpod.sys.linux.LinuxTerminal.INSTANCE;
        int[] size = o.tty() && s.inFd() >= 0 && term.isTerminal(s.inFd()) ? term.size(s.inFd()) : null;
        return exec(nameOrId, o, s, size, null);
    }

    @Override
    public int exec(String nameOrId, ExecOptions o, Streams s, int[] size, java.util.function.Consumer<ExecSession> started) {
        AtomicReference<AttachStream> attach = new AtomicReference<>();
        ContainerRuntime.ExecStarted st = runtime.startExec(nameOrId, execSpec(o, o.tty() ? size : null),
                sock -> attach.set(AttachStream.connect(sys, sock.toString())));
        ev(st.container(), "exec");
        if (started != null) {
            boolean tty = o.tty();
            started.accept(new ExecSession() {
                @Override
                public String id() { return st.sessionId(); }

                @Override
                public void resize(int rows, int cols) {
                    if (tty) writeCtl(st.ctlFifo(), rows, cols);
                }
            });
        }
        try (AttachStream a = attach.get()) {
            if (!pump(a, o.interactive(), o.tty(), s, st.ctlFifo(), o.detachKeys())) {
                st.process().close(); // detached: the session runs on
                return 0;
            }
        } catch (IOException e) {
            st.process().close();
            return BROKEN_PIPE;
        }
        int code = runtime.finishExec(st);
        eventLog().append(runtime.event(st.container().config(), "exec_died", code));
        return code;
    }

    private static ContainerRuntime.ExecSpec execSpec(ExecOptions o, int[] consoleSize) {
        return new ContainerRuntime.ExecSpec(o.command(), o.env(), o.user(), o.workDir(), o.tty(), o.interactive(),
                o.detach(), o.privileged(), consoleSize);
    }

    private final io.jpod.core.ProcFs procFs = io.jpod.core.ProcFs.host();

    @Override
    public io.jpod.core.TopTable top(String nameOrId, List<String> descriptors) {
        Container c = runtime.lookup(nameOrId);
        if (c.status() != io.jpod.core.ContainerStatus.RUNNING && c.status() != io.jpod.core.ContainerStatus.PAUSED) {
            throw JpodException.state("top can only be used on running containers: " + c.name() + " is " + c.status().word());
        }
        try {
            return io.jpod.core.TopTable.of(procFs.processes(c.state().pid()), descriptors,
                    runtime.layout().merged(c.id()), Path.of("/"), clock.now(), procFs.bootTimeSeconds());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the processes of " + c.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StatsSample> stats(List<String> namesOrIds) {
        List<Container> cs = namesOrIds.isEmpty()
                ? runtime.list().stream().filter(c -> c.status() == io.jpod.core.ContainerStatus.RUNNING
                        || c.status() == io.jpod.core.ContainerStatus.PAUSED).toList()
                : namesOrIds.stream().map(runtime::lookup).toList();
        io.jpod.sys.Trace.mark("stats: listed");
        List<StatsSample> out = new ArrayList<>();
        try {
            long mem = procFs.hostMemory();
            for (Container c : cs) {
                if (!c.status().isActive() || c.state().pid() <= 0) {
                    out.add(new StatsSample(c, null, clock.now()));
                    continue;
                }
                try {
                    out.add(new StatsSample(c, procFs.usage(c.state().pid(), mem), clock.now()));
                } catch (IOException e) {
                    out.add(new StatsSample(c, null, clock.now())); // it exited while we looked
                }
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading container statistics: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String execDetached(String nameOrId, ExecOptions o) {
        ContainerRuntime.ExecStarted st = runtime.startExec(nameOrId, execSpec(o, null), null);
        st.process().close();
        ev(st.container(), "exec");
        return st.sessionId();
    }

    @Override
    public void cleanupExec(String nameOrId, String sessionId) {
        Container c = runtime.lookup(nameOrId);
        java.util.OptionalInt code = runtime.cleanupExec(c.id(), sessionId);
        eventLog().append(runtime.event(c.config(), "exec_died", code.isPresent() ? code.getAsInt() : null));
    }

    @Override
    public void logs(String nameOrId, LogReader.Options options, OutputStream out, OutputStream err) {
        Container c = runtime.lookup(nameOrId);
        Path log = runtime.layout().logPath(c.id());
        try {
            new LogReader(out, err, options).copy(log, () -> stillRunning(c), () -> nap(50));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the log of " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private boolean stillRunning(Container c) {
        Container now;
        try {
            now = runtime.lookup(c.id());
        } catch (JpodException e) {
            return false;
        }
        if (!now.status().isActive() && now.status() != ContainerStatus.CREATED && now.status() != ContainerStatus.CONFIGURED) return false;
        OptionalInt code = runtime.oci().exitCode(c.id());
        return code.isEmpty() && (now.status() == ContainerStatus.CONFIGURED || now.status() == ContainerStatus.CREATED
                || sys.alive(now.state().conmonPid()));
    }

    private static void nap(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void cleanup(String nameOrId, boolean remove) {
        Container c = runtime.lookup(nameOrId);
        runtime.cleanupExited(nameOrId, remove);
        ev(c, "cleanup");
        if (remove) {
            ev(c, "remove");
            return;
        }
        runtime.restartByPolicy(c.id()).ifPresent(r -> {
            ev(r, "restart");
            ev(r, "init");
            ev(r, "start");
            startHealthTimer(r);
        });
    }

    @Override
    public List<Container> boot() {
        requireBinaries();
        List<Container> started = runtime.startAtBoot();
        for (Container c : started) {
            ev(c, "init");
            ev(c, "start");
            startHealthTimer(c);
        }
        return started;
    }

    // ------------------------------------------------------------------ healthchecks

    /**
     * Runs the container's healthcheck once, in the container (an exec session, killed at the timeout), and records
     * the result in its health file; returns the new health. {@code timer}: a run from the container's check loop,
     * which ends when this throws {@link HealthLoopEnd}.
     */
    @Override
    public io.jpod.core.HealthState healthcheckRun(String nameOrId, boolean timer) {
        Container c;
        try {
            c = runtime.lookup(nameOrId);
        } catch (JpodException e) {
            if (timer && e.code() == ErrorCode.NOT_FOUND) throw new HealthLoopEnd();
            throw e;
        }
        io.jpod.core.HealthConfig cfg = c.config().healthcheck();
        if (cfg == null) {
            if (timer) throw new HealthLoopEnd();
            throw JpodException.invalid("container " + c.name() + " has no defined healthcheck");
        }
        if (c.status() != io.jpod.core.ContainerStatus.RUNNING) {
            if (timer) {
                if (c.status() == io.jpod.core.ContainerStatus.PAUSED) return io.jpod.core.HealthState.read(runtime.layout().healthFile(c.id()));
                throw new HealthLoopEnd();
            }
            throw JpodException.state("container " + c.name() + " is not running: start it to run its healthcheck");
        }
        java.time.Instant start = clock.now();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code;
        try {
            AtomicReference<AttachStream> attach = new AtomicReference<>();
            ContainerRuntime.ExecStarted st = runtime.startExec(c.id(), new ContainerRuntime.ExecSpec(cfg.argv(), List.of(),
                    null, null, false, false, false, false, null), sock -> attach.set(AttachStream.connect(sys, sock.toString())));
            int pid = st.process().pid();
            java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(cfg.timeout());
                    timedOut.set(true);
                    sys.kill(pid, 9);
                } catch (InterruptedException ignored) {
                    // finished in time
                }
            });
            try (AttachStream a = attach.get()) {
                a.pumpOutput(out, out);
            } catch (IOException e) {
                // output is best effort
            }
            code = runtime.finishExec(st);
            watchdog.interrupt();
            if (timedOut.get()) {
                code = 1;
                out.writeBytes(("healthcheck command exceeded timeout of " + io.jpod.core.TopTable.goDuration(cfg.timeout())).getBytes());
            }
        } catch (ContainerRuntime.StartFailedException e) {
            code = 1;
            out.writeBytes(e.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String output = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (output.length() > 4096) output = output.substring(0, 4096);
        io.jpod.core.HealthState.Check check = new io.jpod.core.HealthState.Check(start, clock.now(), code, output);
        Path file = runtime.layout().healthFile(c.id());
        io.jpod.core.HealthState next;
        synchronized (this) {
            boolean inStart = c.state().startedAt() != null
                    && start.isBefore(c.state().startedAt().plus(cfg.startPeriod()));
            next = io.jpod.core.HealthState.read(file).after(check, cfg, inStart);
            try {
                next.write(file);
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "recording the health of " + c.name() + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> attrs = new java.util.LinkedHashMap<>(c.config().labels());
        attrs.put("health_status", next.status());
        attrs.put("image", c.config().image());
        attrs.put("name", c.name());
        eventLog().append(new io.jpod.core.EventLog.Event(clock.now(), "container", "health_status", c.id(), c.name(),
                c.config().image(), attrs, null));
        return next;
    }

    /**
     * Starts the loop that runs the healthcheck every interval: a small sh process in its own session, so it
     * outlives this command, as podman's systemd timer would (this host has no systemd). It ends itself when the
     * container is gone (exit status 3 from a timer run); core kills it when it cleans the container up.
     */
    private void startHealthTimer(Container c) {
        io.jpod.core.HealthConfig cfg = c.config().healthcheck();
        if (cfg == null || config.exitCommand().isEmpty()) return;
        runtime.stopHealthTimer(c.id()); // one loop per container: a restart's new one replaces the old
        try {
            io.jpod.core.HealthState.starting().write(runtime.layout().healthFile(c.id()));
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                    "exec </dev/null >/dev/null 2>&1; while sleep \"$0\"; do \"$@\"; [ $? -eq 3 ] && exit 0; done",
                    String.format(java.util.Locale.ROOT, "%.3f", cfg.interval().toNanos() / 1e9)));
            argv.addAll(config.exitCommand());
            argv.addAll(List.of("healthcheck", "run", "--timer", c.id()));
            int pid = io.jpod.sys.linux.PosixSpawnLauncher.INSTANCE.spawn(new io.jpod.sys.SpawnSpec(argv,
                    List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "/", Map.of(), true));
            Files.createDirectories(runtime.layout().healthTimerPid(c.id()).getParent());
            Files.writeString(runtime.layout().healthTimerPid(c.id()), Integer.toString(pid));
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot start the healthcheck of " + c.name() + ": " + e.getMessage());
        }
    }

    @Override
    public Image importImage(InputStream tarball, String name, List<String> changes) {
        return importImage(() -> runtime.images().importTarball(tarball, name, changes, clock.now()), name);
    }

    @Override
    public Image importImage(Path file, String name, List<String> changes) {
        return importImage(() -> runtime.images().importTarballFile(file, name, changes, clock.now()), name);
    }

    private interface ImportStep {
        Image run() throws IOException;
    }

    private Image importImage(ImportStep step, String name) {
        try {
            Image img = step.run();
            ev("image", "import", img.id(), name);
            return img;
        } catch (LayerUnpacker.InvalidLayerException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "importing the image: " + e.getMessage(), e);
        } catch (StateException e) {
            throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
        }
    }

    @Override
    public List<Image> images() {
        return runtime.images().list();
    }

    // ------------------------------------------------------------------ registries

    private io.jpod.image.registry.RegistriesConf registriesConf() {
        String custom = config.hostEnv().get("CONTAINERS_REGISTRIES_CONF");
        Path file = custom != null && !custom.isEmpty() ? Path.of(custom) : io.jpod.image.registry.RegistriesConf.DEFAULT;
        try {
            return io.jpod.image.registry.RegistriesConf.load(file, custom != null && !custom.isEmpty() ? null
                    : Path.of("/etc/containers/registries.conf.d"));
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid("cannot read the registries configuration: " + e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private io.jpod.image.registry.AuthFile authFile(RegistryOptions o) {
        return io.jpod.image.registry.AuthFile.resolve(o.authFile(), config.hostEnv());
    }

    /** One client per registry host for this command, so a bearer token is fetched once. */
    private java.util.function.Function<String, io.jpod.image.registry.RegistryClient> clients(
            RegistryOptions o, io.jpod.image.registry.RegistriesConf conf) {
        Map<String, io.jpod.image.registry.RegistryClient> made = new java.util.concurrent.ConcurrentHashMap<>();
        return host -> made.computeIfAbsent(host, h -> {
            var entry = conf.find(h);
            if (entry != null && entry.blocked()) {
                throw JpodException.invalid("registry " + h + " is blocked in " + conf.source());
            }
            boolean insecure = entry != null && entry.insecure();
            io.jpod.image.registry.Credentials creds;
            try {
                creds = o.creds() != null ? io.jpod.image.registry.Credentials.parse(o.creds())
                        : authFile(o).lookup(h, null).orElse(null);
            } catch (IllegalArgumentException e) {
                throw JpodException.invalid(e.getMessage());
            } catch (IOException e) {
                throw JpodException.invalid(e.getMessage());
            }
            boolean verify = o.tlsVerify() != null ? o.tlsVerify() : !insecure;
            Path certDir = Path.of(o.certDir() != null ? o.certDir() : "/etc/containers/certs.d");
            return new io.jpod.image.registry.RegistryClient(h, new io.jpod.image.registry.RegistryClient.Options(
                    verify, insecure || !verify, certDir, creds, 3, config.runRoot().resolve("registries")));
        });
    }

    private static io.jpod.image.Platform platform(RegistryOptions o) {
        try {
            io.jpod.image.Platform p = o.platform() != null && !o.platform().isEmpty()
                    ? io.jpod.image.Platform.parse(o.platform()) : io.jpod.image.Platform.host();
            return new io.jpod.image.Platform(o.os() != null ? o.os() : p.os(),
                    o.arch() != null ? io.jpod.image.Platform.parse("x/" + o.arch()).architecture() : p.architecture(),
                    o.variant() != null ? o.variant() : p.variant());
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
    }

    @Override
    public List<Image> pull(String reference, RegistryOptions o, boolean allTags, io.jpod.image.Progress progress) {
        var conf = registriesConf();
        List<io.jpod.image.ImageRef> candidates;
        try {
            candidates = new io.jpod.image.Resolver(conf, System.console() != null).candidates(reference);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
        runtime.images().sweep();
        var puller = new io.jpod.image.ImagePuller(runtime.images(), clients(o, conf), clock::now);
        try {
            if (allTags) {
                io.jpod.image.ImageRef r = candidates.getFirst();
                if (r.digest() != null || !"latest".equals(r.tag()) && reference.contains(":")) {
                    throw JpodException.invalid("--all-tags takes a repository without a tag or digest: " + reference);
                }
                return puller.pullAllTags(r, platform(o), progress);
            }
            Image pulled = puller.pull(candidates, platform(o), progress);
            ev("image", "pull", pulled.id(), pulled.names().isEmpty() ? reference : pulled.names().getFirst());
            return List.of(pulled);
        } catch (io.jpod.image.registry.RegistryException e) {
            throw registryError(e, reference);
        } catch (LayerUnpacker.InvalidLayerException | io.jpod.image.BlobStore.ContentMismatchException e) {
            throw JpodException.invalid("pulling " + reference + ": " + e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "pulling " + reference + ": " + e.getMessage(), e);
        } catch (StateException e) {
            throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
        }
    }

    static JpodException registryError(io.jpod.image.registry.RegistryException e, String reference) {
        ErrorCode code = switch (e.kind()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case UNAUTHORIZED, DENIED, TLS -> ErrorCode.INVALID_ARGUMENT;
            case UNREACHABLE, TRANSIENT -> ErrorCode.UNAVAILABLE;
            case PROTOCOL -> ErrorCode.INTERNAL;
        };
        return new JpodException(code, e.getMessage(), e);
    }

    @Override
    public Image ensureImage(String reference, PullPolicy policy, RegistryOptions o, io.jpod.image.Progress progress) {
        Optional<Image> local = runtime.images().find(reference);
        if (local.isEmpty() && isLocalOnly(reference)) {
            // podman would try https://localhost:443; localhost/ names are where import and load put images
            throw JpodException.notFound(reference + ": image not known (localhost/ names are local images:"
                    + " import or load it, or pull it under its registry's name)");
        }
        switch (policy) {
            case NEVER -> {
                return local.orElseThrow(() -> JpodException.notFound(reference
                        + ": image not known, and --pull=never forbids pulling it"));
            }
            case MISSING -> {
                if (local.isPresent()) return local.get();
            }
            case NEWER -> {
                if (local.isPresent() && isLocalOnly(reference)) return local.get();
                try {
                    return pull(reference, o, false, progress).getFirst();
                } catch (JpodException e) {
                    if (local.isPresent()) return local.get(); // "newer" keeps a local image when the registry is out of reach
                    throw e;
                }
            }
            case ALWAYS -> { }
        }
        return pull(reference, o, false, progress).getFirst();
    }

    /** localhost/... names (no port) are made here (import, load, tag) and never come from a registry. */
    private static boolean isLocalOnly(String reference) {
        return reference.startsWith("localhost/");
    }

    @Override
    public String push(String source, String dest, RegistryOptions o, java.util.function.Consumer<String> progress) {
        Image img = inspectImage(source);
        var conf = registriesConf();
        io.jpod.image.ImageRef ref;
        try {
            ref = io.jpod.image.Resolver.normalize(io.jpod.image.ImageRef.parse(dest != null ? dest : source));
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
        try {
            String digest = new io.jpod.image.ImagePusher(runtime.images(), clients(o, conf)).push(img, ref, progress::accept).toString();
            ev("image", "push", img.id(), ref.qualified());
            return digest;
        } catch (io.jpod.image.registry.RegistryException e) {
            throw registryError(e, dest);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "pushing " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path login(String registry, String username, String password, RegistryOptions o) {
        String host = loginHost(registry);
        var conf = registriesConf();
        RegistryOptions withCreds = o.withCreds(username + ":" + password);
        try {
            clients(withCreds, conf).apply(host).ping();
            var file = authFile(o);
            file.store(host, new io.jpod.image.registry.Credentials(username, password));
            return file.path();
        } catch (io.jpod.image.registry.RegistryException e) {
            if (e.kind() == io.jpod.image.registry.RegistryException.Kind.UNAUTHORIZED) {
                throw JpodException.invalid("logging into \"" + host + "\": invalid username/password");
            }
            throw registryError(e, host);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "storing credentials: " + e.getMessage(), e);
        }
    }

    private List<io.jpod.image.ImageArchives.Item> saveItems(List<String> refs) {
        List<io.jpod.image.ImageArchives.Item> items = new ArrayList<>();
        for (String r : refs) {
            Image img = inspectImage(r);
            String named = runtime.images().nameMatching(img, r);
            items.add(new io.jpod.image.ImageArchives.Item(img, named == null ? List.of() : List.of(named)));
        }
        return items;
    }

    @Override
    public void save(List<String> refs, String format, OutputStream out, java.util.function.Consumer<String> progress) {
        io.jpod.image.ImageArchives.Format f;
        try {
            f = io.jpod.image.ImageArchives.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
        if (f == io.jpod.image.ImageArchives.Format.OCI_DIR) throw JpodException.invalid("oci-dir writes a directory: give it with -o DIR");
        var items = saveItems(refs);
        try {
            new io.jpod.image.ImageArchives(runtime.images(), clock::now).save(items, f, out, progress::accept);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "saving: " + e.getMessage(), e);
        }
    }

    @Override
    public void saveDir(List<String> refs, Path dir, java.util.function.Consumer<String> progress) {
        var items = saveItems(refs);
        try {
            new io.jpod.image.ImageArchives(runtime.images(), clock::now).saveDir(items, dir, progress::accept);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "saving to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> load(InputStream archive, java.util.function.Consumer<String> progress) {
        runtime.images().sweep();
        return loading(() -> new io.jpod.image.ImageArchives(runtime.images(), clock::now).load(archive, progress::accept));
    }

    @Override
    public List<String> loadDir(Path dir, java.util.function.Consumer<String> progress) {
        return loading(() -> new io.jpod.image.ImageArchives(runtime.images(), clock::now).loadDir(dir, progress::accept));
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static List<String> loading(IoCall<List<io.jpod.image.ImageArchives.Loaded>> call) {
        try {
            List<String> names = new ArrayList<>();
            for (var l : call.call()) for (String n : l.names()) if (!names.contains(n)) names.add(n);
            return names;
        } catch (LayerUnpacker.InvalidLayerException | io.jpod.image.BlobStore.ContentMismatchException e) {
            throw JpodException.invalid("loading the archive: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid("loading the archive: " + e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "loading the archive: " + e.getMessage(), e);
        }
    }

    @Override
    public List<io.jpod.core.ContainerRuntime.Change> diff(String nameOrId) {
        try {
            return runtime.diff(nameOrId);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading the changes of " + nameOrId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path mount(String nameOrId) {
        try {
            return runtime.mount(nameOrId);
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "mounting " + nameOrId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void unmount(String nameOrId) {
        runtime.unmount(nameOrId);
    }

    // ------------------------------------------------------------------ cp

    private interface TarSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Streams a tar from {@code source} (on its own thread) into a safe extraction under {@code dir}. */
    private static void pipe(TarSource source, Path dir) throws IOException {
        java.io.PipedInputStream in = new java.io.PipedInputStream(256 * 1024);
        java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
        IOException[] failed = {null};
        Thread writer = Thread.ofPlatform().daemon().name("cp-tar").start(() -> {
            try (out) {
                source.writeTo(out);
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        try {
            LayerUnpacker.extract(in, dir, new LinuxFileOps());
        } finally {
            in.close();
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failed[0] != null) throw failed[0];
    }

    private static Path existing(Path p, String src, String container) throws java.nio.file.NoSuchFileException {
        if (!io.jpod.core.ContainerFs.exists(p)) {
            throw new java.nio.file.NoSuchFileException("\"" + src + "\" could not be found on container " + container
                    + ": no such file or directory");
        }
        return p;
    }

    private static String lastName(String path) {
        String p = path;
        while (p.endsWith("/") && p.length() > 1) p = p.substring(0, p.length() - 1);
        String n = p.substring(p.lastIndexOf('/') + 1);
        return n.isEmpty() || n.equals("..") ? null : n;
    }

    private static boolean contentsOnly(String path) {
        return path.endsWith("/.");
    }

    private JpodException copyFailed(String what, IOException e) {
        if (e instanceof LayerUnpacker.InvalidLayerException) return JpodException.invalid(what + ": " + e.getMessage());
        return new JpodException(ErrorCode.INTERNAL, what + ": " + e.getMessage(), e);
    }

    @Override
    public void copyFromContainer(String container, String src, Path hostDest, boolean archive) {
        try {
            runtime.withContainerFs(container, fs -> {
                Path from = existing(fs.resolve(src, false), src, container);
                boolean srcDir = Files.isDirectory(from, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Path dir;
                String top;
                if (Files.isDirectory(hostDest)) {
                    dir = hostDest;
                    top = contentsOnly(src) && srcDir ? null : lastName(src);
                } else if (Files.exists(hostDest) && srcDir) {
                    throw new LayerUnpacker.InvalidLayerException("cannot copy directory " + src + " onto the file " + hostDest);
                } else {
                    Path parent = hostDest.toAbsolutePath().getParent();
                    if (parent == null || !Files.isDirectory(parent)) {
                        throw new LayerUnpacker.InvalidLayerException(hostDest + ": its directory does not exist");
                    }
                    if (contentsOnly(src) && srcDir) {
                        Files.createDirectory(hostDest);
                        dir = hostDest;
                        top = null;
                    } else {
                        dir = parent;
                        top = hostDest.getFileName().toString();
                    }
                }
                String name = top;
                pipe(out -> io.jpod.image.TreeArchiver.write(from, name, archive, out), dir);
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.notFound(e.getMessage() != null && e.getMessage().contains("could not be found") ? e.getMessage()
                    : "copying from " + container + ": " + e.getMessage() + ": no such file or directory");
        } catch (IOException e) {
            throw copyFailed("copying from " + container + ":" + src, e);
        }
    }

    @Override
    public void resize(String nameOrId, int rows, int cols) {
        Container c = runtime.lookup(nameOrId);
        if (!c.status().isActive()) throw JpodException.state("cannot resize container " + c.name() + ": it is " + c.status().word());
        if (!c.config().tty()) return;
        writeCtl(runtime.layout().bundle(c.id()).resolve("ctl"), rows, cols);
    }

    /** conmon's ctl FIFO: "1 ROWS COLS" resizes the terminal; a FIFO nobody reads (conmon gone) is nothing to do. */
    private void writeCtl(Path ctl, int rows, int cols) {
        if (rows <= 0 || cols <= 0 || rows > 0xFFFF || cols > 0xFFFF) throw JpodException.invalid("invalid terminal size " + rows + "x" + cols);
        int w = sys.openFifoWriter(ctl.toString());
        if (w < 0) return;
        try {
            byte[] msg = ("1 " + rows + " " + cols + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            sys.write(w, msg, 0, msg.length);
        } finally {
            sys.close(w);
        }
    }

    @Override
    public PathStat stat(String container, String path) {
        PathStat[] out = new PathStat[1];
        try {
            runtime.withContainerFs(container, fs -> {
                Path p = existing(fs.resolve(path, false), path, container);
                var a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int mode = 0;
                for (var perm : a.permissions()) mode |= 1 << (8 - perm.ordinal());
                String name = lastName(path) == null ? "/" : lastName(path);
                out[0] = new PathStat(name, a.size(), mode, a.isDirectory(), a.isSymbolicLink(), a.lastModifiedTime().toInstant(),
                        a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : "");
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.notFound(e.getMessage());
        } catch (IOException e) {
            throw copyFailed("reading " + container + ":" + path, e);
        }
        return out[0];
    }

    @Override
    public void copyFromContainer(String container, String src, OutputStream tar) {
        try {
            runtime.withContainerFs(container, fs -> {
                Path from = existing(fs.resolve(src, false), src, container);
                io.jpod.image.TreeArchiver.write(from, lastName(src) == null ? "." : lastName(src), true, tar);
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.notFound(e.getMessage());
        } catch (IOException e) {
            throw copyFailed("copying from " + container + ":" + src, e);
        }
    }

    @Override
    public void copyToContainer(String container, Path hostSrc, String dest, boolean archive) {
        if (!Files.exists(hostSrc, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw JpodException.invalid("\"" + hostSrc + "\" could not be found on the host: no such file or directory");
        }
        boolean srcDir = Files.isDirectory(hostSrc, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        try {
            runtime.withContainerFs(container, fs -> {
                Path to = fs.resolve(dest);
                Path dir;
                String top;
                if (Files.isDirectory(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    dir = to;
                    top = contentsOnly(hostSrc.toString()) && srcDir ? null : hostSrc.toAbsolutePath().normalize().getFileName().toString();
                } else if (io.jpod.core.ContainerFs.exists(to) && srcDir) {
                    throw new LayerUnpacker.InvalidLayerException("cannot copy directory " + hostSrc + " onto the file " + dest);
                } else {
                    if (dest.endsWith("/")) {
                        throw new java.nio.file.NoSuchFileException("\"" + dest + "\" could not be found on container "
                                + container + ": no such file or directory");
                    }
                    String parentPath = dest.substring(0, Math.max(dest.lastIndexOf('/'), 0));
                    Path parent = fs.resolve(parentPath.isEmpty() ? "/" : parentPath);
                    if (!Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new java.nio.file.NoSuchFileException("\"" + (parentPath.isEmpty() ? "/" : parentPath)
                                + "\" could not be found on container " + container + ": no such file or directory");
                    }
                    dir = parent;
                    top = lastName(dest);
                }
                String name = top;
                pipe(out -> io.jpod.image.TreeArchiver.write(hostSrc, name, archive, out), dir);
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.notFound(e.getMessage());
        } catch (IOException e) {
            throw copyFailed("copying to " + container + ":" + dest, e);
        }
    }

    @Override
    public void copyToContainer(String container, InputStream tar, String dest) {
        try {
            runtime.withContainerFs(container, fs -> {
                Path to = fs.resolve(dest);
                if (!Files.isDirectory(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new java.nio.file.NoSuchFileException("\"" + dest + "\" could not be found on container " + container
                            + " as a directory: a tar stream is extracted into a directory");
                }
                LayerUnpacker.extract(tar, to, new LinuxFileOps());
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.notFound(e.getMessage());
        } catch (IOException e) {
            throw copyFailed("copying to " + container + ":" + dest, e);
        }
    }

    @Override
    public void export(String nameOrId, OutputStream out) {
        try {
            runtime.withRootfs(nameOrId, root -> io.jpod.image.TreeArchiver.write(root, out));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "exporting " + nameOrId + ": " + e.getMessage(), e);
        }
    }

    /** "https://127.0.0.1:5000/v2/" and "127.0.0.1:5000" both name the registry 127.0.0.1:5000. */
    static String loginHost(String registry) {
        if (registry == null || registry.isBlank()) throw JpodException.invalid("no registry given: jpod login REGISTRY");
        return io.jpod.image.registry.AuthFile.normalize(registry.trim());
    }

    @Override
    public boolean logout(String registry, RegistryOptions o) {
        var file = authFile(o);
        try {
            if (registry == null) {
                file.removeAll();
                return true;
            }
            return file.remove(loginHost(registry));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "updating " + file.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Image inspectImage(String nameOrId) {
        return runtime.images().find(nameOrId).orElseThrow(() ->
                JpodException.notFound(nameOrId + ": image not known"));
    }

    @Override
    public List<Report> removeImages(List<String> names, boolean force) {
        return each(names, n -> {
            Image img = inspectImage(n);
            // podman: removing one name of an image that has others only untags it
            String named = runtime.images().nameMatching(img, n);
            if (named != null && img.names().size() > 1) {
                state.untagImage(img.id(), named);
                ev("image", "untag", img.id(), named);
                return img.id();
            }
            if (force) {
                for (String cid : state.containersUsingImage(img.id())) runtime.remove(cid, true);
            }
            try {
                runtime.images().remove(img);
            } catch (StateException e) {
                throw new JpodException(ErrorCode.INVALID_STATE, e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String name : img.names()) ev("image", "untag", img.id(), name);
            ev("image", "remove", img.id(), img.names().isEmpty() ? null : img.names().getFirst());
            return img.id();
        });
    }

    @Override
    public void tagImage(String nameOrId, String newName) {
        Image img = inspectImage(nameOrId);
        try {
            runtime.images().tag(img, newName);
        } catch (IllegalArgumentException e) {
            throw JpodException.invalid(e.getMessage());
        }
        ev("image", "tag", img.id(), newName);
    }

    @Override
    public void untagImage(String nameOrId, List<String> names) {
        Image img = inspectImage(nameOrId);
        List<String> targets = new ArrayList<>();
        if (names.isEmpty()) {
            targets.addAll(img.names());
        } else {
            for (String n : names) {
                String q;
                try {
                    q = io.jpod.image.ImageRef.parse(n).qualified();
                } catch (IllegalArgumentException e) {
                    throw JpodException.invalid(e.getMessage());
                }
                if (!img.names().contains(q)) throw JpodException.notFound(q + ": tag not known");
                targets.add(q);
            }
        }
        for (String t : targets) {
            state.untagImage(img.id(), t);
            ev("image", "untag", img.id(), t);
        }
    }

    @Override
    public List<String> pruneImages(boolean all) {
        List<String> removed = new ArrayList<>();
        for (Image img : images()) {
            if (!all && !img.names().isEmpty()) continue;
            if (!state.containersUsingImage(img.id()).isEmpty()) continue;
            try {
                runtime.images().remove(img);
                removed.add(img.id());
            } catch (StateException e) {
                // a container started using it meanwhile: it is not unused any more
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "pruning image " + img.id().substring(0, 12) + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    @Override
    public Map<String, Object> info() {
        // podman's JSON keys (templates also reach them by Go field name: {{.Host.LogDriver}})
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("arch", "amd64");
        host.put("cgroupManager", config.cgroupManager());
        host.put("cgroupVersion", Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1");
        host.put("conmon", Map.of("path", config.conmonPath().toString()));
        host.put("cpus", Runtime.getRuntime().availableProcessors());
        host.put("eventLogger", "none");
        host.put("hostname", hostname());
        host.put("kernel", read("/proc/sys/kernel/osrelease"));
        host.put("logDriver", "k8s-file");
        host.put("ociRuntime", Map.of("name", "runc", "path", config.runtimePath().toString()));
        host.put("os", "linux");
        m.put("host", host);
        List<Container> cs = list();
        Map<String, Object> store = new LinkedHashMap<>();
        Map<String, Object> cstore = new LinkedHashMap<>();
        cstore.put("number", cs.size());
        cstore.put("paused", cs.stream().filter(c -> c.status() == ContainerStatus.PAUSED).count());
        cstore.put("running", cs.stream().filter(c -> c.status() == ContainerStatus.RUNNING).count());
        cstore.put("stopped", cs.stream().filter(c -> !c.status().isActive()).count());
        store.put("containerStore", cstore);
        store.put("graphDriverName", "overlay");
        store.put("graphRoot", config.root().toString());
        store.put("imageStore", Map.of("number", images().size()));
        store.put("runRoot", config.runRoot().toString());
        m.put("store", store);
        m.put("registries", Map.of());
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("APIVersion", "0.1.0");
        version.put("Version", "0.1.0");
        version.put("OsArch", "linux/amd64");
        m.put("version", version);
        return m;
    }

    private static String hostname() {
        String h = read("/proc/sys/kernel/hostname");
        return h == null ? "" : h;
    }

    private static String read(String p) {
        try {
            return Files.readString(Path.of(p)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public List<Report> checkpoint(List<String> names, ContainerRuntime.CheckpointOptions o) {
        return each(names, n -> {
            Container c = runtime.checkpoint(n, o);
            ev(c, "checkpoint");
            return c.id();
        });
    }

    @Override
    public List<Report> restore(List<String> names, boolean keep) {
        requireBinaries();
        return each(names, n -> {
            Container c = runtime.restore(n, keep);
            ev(c, "restore");
            return c.id();
        });
    }

    @Override
    public Container restoreImport(Path archive, String name, boolean keep) {
        requireBinaries();
        Container c;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(archive))) {
            c = runtime.importCheckpoint(in, name, new LinuxFileOps());
        } catch (IOException e) {
            throw JpodException.invalid("cannot read checkpoint archive " + archive + ": " + e.getMessage());
        }
        ev(c, "create");
        try {
            Container r = runtime.restore(c.id(), keep);
            ev(r, "restore");
            return r;
        } catch (RuntimeException e) {
            removeQuietly(c.id()); // nothing half-made
            throw e;
        }
    }

    @Override
    public boolean containerExists(String nameOrId) {
        try {
            runtime.lookup(nameOrId);
            return true;
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NOT_FOUND) return false;
            throw e;
        }
    }

    @Override
    public boolean imageExists(String nameOrId) {
        return runtime.images().find(nameOrId).isPresent();
    }

    /**
     * -P: the image's ExposedPorts ("80/tcp") not already published, each on a free host port the kernel picks
     * (conmon then holds it for the container's life, so nothing takes it between here and the start).
     */
    private List<io.jpod.oci.PortMapping> withExposedPorts(CreateOptions o) {
        List<io.jpod.oci.PortMapping> out = new ArrayList<>(o.ports());
        Image img = runtime.images().find(o.image()).orElse(null);
        if (img == null || !(img.runConfig().get("ExposedPorts") instanceof Map<?, ?> exposed)) return out;
        for (Object k : exposed.keySet()) {
            String spec = String.valueOf(k);
            int slash = spec.indexOf('/');
            String proto = slash < 0 ? "tcp" : spec.substring(slash + 1);
            int port;
            try {
                port = Integer.parseInt(slash < 0 ? spec : spec.substring(0, slash));
            } catch (NumberFormatException e) {
                continue; // a range or junk in the image: podman skips what it cannot publish too
            }
            if (out.stream().anyMatch(p -> p.containerPort() == port && p.protocol().equals(proto))) continue;
            out.add(new io.jpod.oci.PortMapping("", freeHostPort(proto), port, proto));
        }
        return out;
    }

    private static int freeHostPort(String proto) {
        try {
            if (proto.equals("udp")) {
                try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
                    return s.getLocalPort();
                }
            }
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new JpodException(ErrorCode.UNAVAILABLE, "no free host port for -P: " + e.getMessage(), e);
        }
    }

    private io.jpod.network.NetworkStore networkStore() {
        if (runtime.networking() == null) throw new JpodException(ErrorCode.UNAVAILABLE, "networking is not set up here");
        return runtime.networking().networks();
    }

    @Override
    public io.jpod.network.Network networkCreate(String name, String subnet, String gateway, String ipRange, boolean internal, Map<String, String> labels,
                                                 boolean dns) {
        try {
            io.jpod.network.Network n = networkStore().create(name, subnet, gateway, ipRange, internal, labels, dns);
            ev("network", "create", n.id(), n.name());
            return n;
        } catch (IllegalArgumentException e) {
            throw e.getMessage().contains("already") ? new JpodException(ErrorCode.ALREADY_EXISTS, e.getMessage()) : JpodException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "creating the network: " + e.getMessage(), e);
        }
    }

    @Override
    public List<io.jpod.network.Network> networks() {
        try {
            networkStore().get(io.jpod.network.Network.DEFAULT); // made on first use, as podman's is always there
            return networkStore().list();
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "listing networks: " + e.getMessage(), e);
        }
    }

    @Override
    public io.jpod.network.Network network(String nameOrId) {
        try {
            return networkStore().get(nameOrId);
        } catch (IllegalArgumentException e) {
            throw JpodException.notFound(e.getMessage() + " (jpod network ls lists the networks; jpod network create makes one)");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading network " + nameOrId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean networkExists(String nameOrId) {
        try {
            network(nameOrId);
            return true;
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NOT_FOUND) return false;
            throw e;
        }
    }

    @Override
    public List<Report> networkRemove(List<String> names, boolean force) {
        return each(names, n -> {
            io.jpod.network.Network net = network(n);
            List<Container> users = runtime.list().stream().filter(c -> io.jpod.core.ContainerNetworking.networkNames(
                    c.config().networkMode()).contains(net.name())).toList();
            if (!users.isEmpty() && !force) {
                throw new JpodException(ErrorCode.INVALID_STATE, "network " + net.name() + " is being used by " + users.size()
                        + " container(s) (" + users.getFirst().name() + (users.size() > 1 ? ", ..." : "")
                        + "): remove them first or use -f, which removes them too");
            }
            for (Container c : users) {
                Container gone = runtime.remove(c.id(), true);
                ev(gone, "remove");
            }
            try {
                networkStore().remove(net.name());
                runtime.networking().dropBridge(net);
            } catch (IllegalArgumentException e) {
                throw JpodException.invalid(e.getMessage());
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "removing network " + net.name() + ": " + e.getMessage(), e);
            }
            ev("network", "remove", net.id(), net.name());
            return net.name();
        });
    }

    @Override
    public List<String> networkPrune() {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Container c : runtime.list()) used.addAll(io.jpod.core.ContainerNetworking.networkNames(c.config().networkMode()));
        List<String> pruned = new ArrayList<>();
        for (io.jpod.network.Network n : networks()) {
            if (n.name().equals(io.jpod.network.Network.DEFAULT) || used.contains(n.name())) continue;
            try {
                networkStore().remove(n.name());
                runtime.networking().dropBridge(n);
                pruned.add(n.name());
                ev("network", "remove", n.id(), n.name());
            } catch (IOException | IllegalArgumentException e) {
                warn.accept("pruning network " + n.name() + ": " + e.getMessage());
            }
        }
        return pruned;
    }

    @Override
    public String address(Container c) {
        if (!c.status().isActive() || !io.jpod.core.ContainerNetworking.bridged(c.config()) || runtime.networking() == null) return null;
        return runtime.networking().address(c.id());
    }

    @Override
    public List<io.jpod.core.ContainerNetworking.Endpoint> endpoints(Container c) {
        if (!c.status().isActive() || !io.jpod.core.ContainerNetworking.bridged(c.config()) || runtime.networking() == null) return List.of();
        return runtime.networking().endpoints(c.id());
    }

    @Override
    public void networkConnect(String network, String container, String ip, String mac, List<String> aliases) {
        io.jpod.network.Network net = network(network);
        io.jpod.core.NetworkOptions checked = io.jpod.core.NetworkOptions.of(ip, mac, aliases, List.of(), List.of(), List.of(), List.of(), false);
        Container c = runtime.connect(container, net.name(), checked.ip(), checked.mac(), checked.aliases());
        ev("network", "connect", net.id(), net.name() + " container=" + c.id());
    }

    @Override
    public void networkDisconnect(String network, String container) {
        io.jpod.network.Network net = network(network);
        Container c = runtime.disconnect(container, net.name());
        ev("network", "disconnect", net.id(), net.name() + " container=" + c.id());
    }

    @Override
    public List<Report> networkReload(List<String> containers, boolean all) {
        List<String> targets = all ? runtime.list().stream().filter(c -> c.status().isActive()).map(Container::id).toList() : containers;
        return each(targets, id -> {
            Container c = runtime.lookup(id);
            if (!c.status().isActive()) throw new JpodException(ErrorCode.INVALID_STATE, "container " + c.name() + " is not running");
            runtime.networking().reloadFirewall(c.config());
            return c.id();
        });
    }

    @Override
    public Layout layout() {
        return runtime.layout();
    }

    @Override
    public void close() {
        state.close();
    }
}
