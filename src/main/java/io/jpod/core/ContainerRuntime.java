package io.jpod.core;

import io.jpod.image.Image;
import io.jpod.image.ImageStore;
import io.jpod.oci.ConmonRuntime;
import io.jpod.oci.CreateRequest;
import io.jpod.oci.ExecRequest;
import io.jpod.oci.OciRuntime;
import io.jpod.oci.OciRuntimeException;
import io.jpod.oci.RuntimeStatus;
import io.jpod.state.ContainerRecord;
import io.jpod.state.LockManager;
import io.jpod.state.StateException;
import io.jpod.state.StateStore;
import io.jpod.sys.Clock;
import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The engine core. Every operation on a container: take its lock, sync from conmon's exit file, check the
 * state allows the operation, act through the OCI runtime, save. The runtime only observes; this class alone
 * changes container state.
 */
public final class ContainerRuntime {
    private static final int MNT_DETACH = 2;

    private final Layout layout;
    private final StateStore state;
    private final LockManager locks;
    private final OciRuntime oci;
    private final ImageStore images;
    private final io.jpod.volume.VolumeStore volumes;
    private final Syscalls sys;
    private final Clock clock;
    private final Consumer<String> warn;
    private final List<String> exitCommandBase;
    private final String cgroupParent;
    private final StopPolicy stopper;
    private final BundleWriter bundles;

    public ContainerRuntime(Layout layout, StateStore state, LockManager locks, OciRuntime oci, ImageStore images,
                            io.jpod.volume.VolumeStore volumes, Syscalls sys, Clock clock, Consumer<String> warn,
                            List<String> exitCommandBase, String cgroupParent, boolean systemdCgroups) {
        this.layout = layout;
        this.volumes = volumes;
        this.state = state;
        this.locks = locks;
        this.oci = oci;
        this.images = images;
        this.sys = sys;
        this.clock = clock;
        this.warn = warn;
        this.exitCommandBase = List.copyOf(exitCommandBase);
        this.cgroupParent = cgroupParent;
        this.stopper = new StopPolicy(oci, sys, clock, warn, layout);
        this.bundles = new BundleWriter(cgroupParent, systemdCgroups);
    }

    public ImageStore images() { return images; }

    public Layout layout() { return layout; }

    public OciRuntime oci() { return oci; }

    public io.jpod.volume.VolumeStore volumes() { return volumes; }

    private volatile EventLog events;
    private volatile ContainerNetworking networking;

    /** Bridge networking (CNI); without it only --network none and host work. */
    public void setNetworking(ContainerNetworking networking) {
        this.networking = networking;
    }

    public ContainerNetworking networking() { return networking; }

    public EventLog events() {
        return events;
    }

    /** Where "died" events go (the engine's log); none by default. */
    public void setEvents(EventLog events) {
        this.events = events;
    }

    /** Records "died" when an observation turns an active container into an exited one. */
    private void died(Container before, ContainerState after) {
        EventLog log = events;
        if (log == null || !before.status().isActive() || after.status().isActive()) return;
        log.append(event(before.config(), "died", after.exitCode()));
    }

    /** A container event with podman's attributes: image, name and the container's labels. */
    public EventLog.Event event(ContainerConfig cfg, String status, Integer exitCode) {
        java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>(cfg.labels());
        attrs.put("image", cfg.image());
        attrs.put("name", cfg.name());
        return new EventLog.Event(clock.now(), "container", status, cfg.id(), cfg.name(), cfg.image(), attrs, exitCode);
    }

    // ------------------------------------------------------------------ lookup

    public Container lookup(String nameOrId) {
        ContainerRecord r;
        try {
            r = state.lookupContainer(nameOrId).orElseThrow(() -> JpodException.notFound(
                    "no container with name or ID \"" + nameOrId + "\" found: no such container"));
        } catch (StateException e) {
            throw translate(e);
        }
        return toContainer(r);
    }

    static Container toContainer(ContainerRecord r) {
        ContainerConfig config = ContainerConfig.fromJson(r.configJson());
        // rename moves the indexed name only; the config JSON keeps the name the container was created with
        if (!config.name().equals(r.name())) config = config.withName(r.name());
        return new Container(config, ContainerState.fromJson(r.stateJson()));
    }

    static JpodException translate(StateException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> new JpodException(ErrorCode.NOT_FOUND, e.getMessage(), e);
            case ALREADY_EXISTS -> new JpodException(ErrorCode.ALREADY_EXISTS, e.getMessage(), e);
            case AMBIGUOUS -> new JpodException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
            case STORAGE -> new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
        };
    }

    /** Runs work holding the container's lock, on a freshly read and synced copy. */
    private <T> T locked(String nameOrId, java.util.function.Function<Container, T> work) {
        Container c = lookup(nameOrId);
        try (LockManager.Held h = locks.lock(c.id())) {
            Container fresh = state.container(c.id()).map(ContainerRuntime::toContainer).orElseThrow(() ->
                    JpodException.notFound("container " + nameOrId + " was removed meanwhile: no such container"));
            io.jpod.sys.Trace.mark("locked and read");
            return work.apply(sync(fresh));
        }
    }

    /**
     * All containers, synced with conmon's exit files (a stat per running container). Exits are recorded here,
     * but the cleanup (runc delete, unmount) is left to the next command that acts on the container: a ps after
     * 200 containers exited must not run runc 200 times.
     */
    public List<Container> list() {
        List<Container> out = new ArrayList<>();
        List<ContainerRecord> records = state.containers();
        io.jpod.sys.Trace.mark("list: records read");
        for (ContainerRecord r : records) {
            Container c = toContainer(r);
            if (needsSync(c)) {
                try (LockManager.Held h = locks.lock(c.id())) {
                    c = state.container(c.id()).map(ContainerRuntime::toContainer).orElse(null);
                    if (c == null) continue;
                    ContainerState observed = observe(c);
                    died(c, observed);
                    if (observed != c.state()) { // observe() returns the same instance when nothing changed
                        save(c.id(), observed);
                        c = new Container(c.config(), observed);
                    }
                }
            }
            out.add(c);
        }
        return out;
    }

    private boolean needsSync(Container c) {
        return switch (c.status()) {
            case RUNNING, PAUSED -> Files.exists(oci.exitFile(c.id())) || !sys.alive(c.state().conmonPid());
            default -> false;
        };
    }

    public Container inspect(String nameOrId) {
        return locked(nameOrId, c -> c);
    }

    // ------------------------------------------------------------------ sync

    /** Brings a container's state up to date with conmon's exit file, then cleans up an exited one. Holds the lock. */
    Container sync(Container c) {
        ContainerState s = observe(c);
        died(c, s);
        if (s.status() == ContainerStatus.STOPPED) s = cleanup(new Container(c.config(), s));
        // identity, not equals(): a record's first equals() bootstraps an invokedynamic (~12 ms, measured)
        if (s != c.state()) {
            save(c.id(), s);
            return new Container(c.config(), s);
        }
        return c;
    }

    /** The state conmon's exit file (or, with conmon gone, the runtime) says the container is in; saves nothing. */
    private ContainerState observe(Container c) {
        ContainerState s = c.state();
        if (s.status() == ContainerStatus.RUNNING || s.status() == ContainerStatus.PAUSED || s.status() == ContainerStatus.CREATED) {
            OptionalInt code = oci.exitCode(c.id());
            if (code.isPresent()) {
                s = s.exited(code.getAsInt(), exitTime(c.id()), Files.exists(layout.persistDir(c.id()).resolve("oom")));
            } else if (s.status() != ContainerStatus.CREATED && !sys.alive(s.conmonPid())) {
                s = fromRuntime(c, s);
            }
        }
        return s;
    }

    /** conmon is gone without an exit file: ask the runtime, as the seed's updateContainerStatus does. */
    private ContainerState fromRuntime(Container c, ContainerState s) {
        RuntimeStatus rs = oci.state(c.id());
        return switch (rs.kind()) {
            case NOT_FOUND -> s.exited(-1, clock.now(), false);
            case STOPPED -> {
                OptionalInt code = waitExitFile(c.id(), Duration.ofMillis(500));
                yield s.exited(code.orElse(-1), code.isPresent() ? exitTime(c.id()) : clock.now(), false);
            }
            case RUNNING -> s.withStatus(ContainerStatus.RUNNING);
            case PAUSED -> s.withStatus(ContainerStatus.PAUSED);
            case CREATED -> s.withStatus(ContainerStatus.CREATED);
        };
    }

    private Instant exitTime(String id) {
        try {
            return Files.getLastModifiedTime(oci.exitFile(id)).toInstant();
        } catch (IOException e) {
            return clock.now();
        }
    }

    /** Polls for the exit file with backoff (1 ms doubling to 100 ms), up to the timeout. */
    OptionalInt waitExitFile(String id, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long nap = 1;
        while (true) {
            OptionalInt code = oci.exitCode(id);
            if (code.isPresent() || clock.nanoTime() >= deadline) return code;
            sleep(Duration.ofMillis(nap));
            nap = Math.min(nap * 2, 100);
        }
    }

    private void sleep(Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private void save(String id, ContainerState s) {
        try {
            state.saveContainerState(id, s.toJson());
        } catch (StateException e) {
            throw translate(e);
        }
    }

    /** Tears down what a stopped container holds: the runtime's container, the rootfs mount, the exit file. */
    private ContainerState cleanup(Container c) {
        try {
            oci.delete(c.id(), true);
        } catch (OciRuntimeException e) {
            warn.accept("cleaning up container " + c.name() + ": " + e.getMessage());
        }
        detachNetwork(c);
        stopHealthTimer(c.id());
        unmountRootfs(c.id());
        oci.removeExitFile(c.id());
        try {
            Files.deleteIfExists(layout.persistDir(c.id()).resolve("oom"));
            Files.deleteIfExists(layout.persistDir(c.id()).resolve("exit"));
        } catch (IOException ignored) {
            // stale files are overwritten by the next start
        }
        return c.state().cleanedUp();
    }

    /**
     * Fills never-used volumes with the image's content at their mount points. The path inside the rootfs is walked
     * component by component: a symlink on the way (which could point anywhere on the host) means no copy-up.
     */
    private void copyUpVolumes(ContainerConfig cfg, Path merged) throws IOException {
        for (MountSpec m : cfg.mounts()) {
            if (!m.type().equals("volume")) continue;
            String name = volumes.nameOf(Path.of(m.source()));
            if (name == null) continue;
            volumes.ensureMounted(name); // a tmpfs or bind volume (volume create -o) gets its filesystem first
            Path p = merged;
            boolean safe = true;
            for (String part : m.destination().substring(1).split("/")) {
                if (part.isEmpty()) continue;
                p = p.resolve(part);
                if (Files.isSymbolicLink(p)) {
                    safe = false;
                    break;
                }
            }
            if (safe) volumes.copyUpOnce(name, p);
        }
    }

    /**
     * :U: the mount's source becomes the container user's (from its own passwd), recursively, as podman does at
     * each start. Symlinks are changed, never followed: nothing outside the source changes owner.
     */
    private void chownForU(ContainerConfig cfg, Path merged) throws IOException {
        UserResolver.User u = null;
        for (MountSpec m : cfg.mounts()) {
            if (!m.options().contains("U") || m.type().equals("tmpfs")) continue;
            if (u == null) u = UserResolver.resolve(merged, cfg.user());
            int uid = u.uid(), gid = u.gid();
            Files.walkFileTree(Path.of(m.source()), new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                    own(d);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                    own(f);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                private void own(Path p) throws IOException {
                    Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            });
        }
    }

    private void unmountRootfs(String id) {
        Path merged = layout.merged(id);
        try {
            sys.umount2(merged.toString(), MNT_DETACH);
        } catch (SysException e) {
            if (e.errno() != Syscalls.EINVAL && e.errno() != Syscalls.ENOENT) {
                warn.accept("unmounting " + merged + ": " + e.getMessage());
            }
        }
    }

    /**
     * Lets {@code reader} see the container's root filesystem (export): the live mount of a created, running or
     * paused container, else the overlay mounted for the duration and unmounted after. Holds the container's lock.
     */
    public void withRootfs(String nameOrId, IoConsumer<Path> reader) throws IOException {
        IOException[] failed = {null};
        locked(nameOrId, c -> {
            Path merged = layout.merged(c.id());
            boolean live = c.status() == ContainerStatus.CREATED || c.status() == ContainerStatus.RUNNING
                    || c.status() == ContainerStatus.PAUSED;
            boolean mountedHere = false;
            try {
                if (!live) {
                    mountOverlay(c);
                    mountedHere = true;
                }
                reader.accept(merged);
            } catch (IOException e) {
                failed[0] = e;
            } finally {
                if (mountedHere) unmountRootfs(c.id());
            }
            return null;
        });
        if (failed[0] != null) throw failed[0];
    }

    /**
     * Lets {@code work} read and write a container's files (cp), holding its lock: a running container is paused
     * meanwhile, so nothing inside can swap a path for a symlink between the check and the write; a stopped one has
     * its overlay mounted for the duration.
     */
    public void withContainerFs(String nameOrId, IoConsumer<ContainerFs> work) throws IOException {
        IOException[] failed = {null};
        locked(nameOrId, c -> {
            Path merged = layout.merged(c.id());
            boolean live = c.status() == ContainerStatus.CREATED || c.status() == ContainerStatus.RUNNING
                    || c.status() == ContainerStatus.PAUSED;
            boolean mountedHere = false, pausedHere = false;
            try {
                if (!live) {
                    mountOverlay(c);
                    mountedHere = true;
                } else if (c.status() == ContainerStatus.RUNNING) {
                    oci.pause(c.id());
                    pausedHere = true;
                }
                work.accept(new ContainerFs(merged, c.config().mounts()));
            } catch (IOException e) {
                failed[0] = e;
            } catch (OciRuntimeException e) {
                failed[0] = new IOException("pausing " + c.name() + " for the copy: " + e.getMessage(), e);
            } finally {
                if (mountedHere) unmountRootfs(c.id());
                if (pausedHere) {
                    try {
                        oci.resume(c.id());
                    } catch (OciRuntimeException e) {
                        warn.accept("resuming " + c.name() + " after the copy: " + e.getMessage() + "; run jpod unpause " + c.name());
                    }
                }
            }
            return null;
        });
        if (failed[0] != null) throw failed[0];
    }

    /** One filesystem change of a container against its image, as podman diff prints it ("A", "C" or "D"). */
    public record Change(String kind, String path) {}

    /**
     * The container's changes: what its overlay upper dir holds, compared with the image's layers. A whiteout
     * (a 0:0 character device) is a deletion; anything else is a change when a lower layer has the path, else an
     * addition. Nothing is followed: the upper dir is the container's to fill with anything.
     */
    public List<Change> diff(String nameOrId) throws IOException {
        Container c = lookup(nameOrId);
        Path upper = layout.upper(c.id());
        List<Change> out = new ArrayList<>();
        if (!Files.isDirectory(upper)) return out;
        List<Path> lowers = c.config().lowerDirs().stream().map(Path::of).toList();
        try (var walk = Files.walk(upper)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (p.equals(upper)) continue;
                String rel = upper.relativize(p).toString();
                java.util.Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                boolean whiteout = (mode & 0170000) == 0020000 && (Long) a.get("rdev") == 0;
                if (whiteout) {
                    out.add(new Change("D", "/" + rel));
                    continue;
                }
                boolean inLower = lowers.stream().anyMatch(l -> Files.exists(l.resolve(rel), java.nio.file.LinkOption.NOFOLLOW_LINKS));
                out.add(new Change(inLower ? "C" : "A", "/" + rel));
            }
        }
        // The placeholders runc makes for jpod's own mount points (and the user's) are not the container's doing,
        // as podman's diff leaves them out; a directory changed only by holding one goes too.
        java.util.Set<String> mountPoints = new java.util.HashSet<>(List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
                "/run/.containerenv"));
        c.config().mounts().forEach(m -> mountPoints.add(m.destination()));
        List<Change> kept = new ArrayList<>(out.stream().filter(ch -> !mountPoints.contains(ch.path())).toList());
        kept.removeIf(ch -> ch.kind().equals("C") && Files.isDirectory(upper.resolve(ch.path().substring(1)),
                java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && out.stream().anyMatch(o -> o.path().startsWith(ch.path() + "/"))
                && kept.stream().noneMatch(o -> o.path().startsWith(ch.path() + "/")));
        return kept;
    }

    /** mount: the container's merged rootfs, mounted if it is not (a stopped container's stays mounted until unmount). */
    public Path mount(String nameOrId) throws IOException {
        IOException[] failed = {null};
        Path p = locked(nameOrId, c -> {
            Path merged = layout.merged(c.id());
            if (io.jpod.sys.Fs.isMountPoint(merged)) return merged;
            try {
                mountOverlay(c);
            } catch (IOException e) {
                failed[0] = e;
            }
            return merged;
        });
        if (failed[0] != null) throw failed[0];
        return p;
    }

    /** unmount: unmounts a container's rootfs unless the container is using it. */
    public void unmount(String nameOrId) {
        locked(nameOrId, c -> {
            if (c.status() == ContainerStatus.CREATED || c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED) {
                throw JpodException.state("container " + c.name() + " is " + c.status().word()
                        + ": its root filesystem stays mounted while it is; stop it first");
            }
            unmountRootfs(c.id());
            return null;
        });
    }

    /** Mounts a container's overlay at its merged dir, for work on a container that is not running (export, cp, mount). */
    private void mountOverlay(Container c) throws IOException {
        Path merged = layout.merged(c.id());
        BundleWriter.mkdirs(layout.containerDir(c.id()), layout.upper(c.id()), layout.work(c.id()), merged);
        unmountRootfs(c.id());
        sys.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + String.join(":", c.config().lowerDirs())
                + ",upperdir=" + layout.upper(c.id()) + ",workdir=" + layout.work(c.id()));
    }

    /** An I/O step over a path. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    // ------------------------------------------------------------------ create

    /** Validated intent for a new container; the engine builds it from user options. */
    public record CreateSpec(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                             String workDir, String user, String hostname, Map<String, String> labels,
                             Integer stopSignal, Integer stopTimeout, List<MountSpec> mounts, long memoryBytes,
                             double cpus, long pidsLimit, List<String> capAdd, List<String> capDrop, boolean privileged,
                             boolean readOnly, long logMaxSize, List<io.jpod.oci.PortMapping> ports, boolean autoRemove,
                             boolean stdin, boolean tty, String networkMode, boolean init, boolean entrypointSet,
                             RestartPolicy restartPolicy, HealthConfig healthcheck, boolean healthcheckSet,
                             NetworkOptions netOptions) {
        public CreateSpec(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                          String workDir, String user, String hostname, Map<String, String> labels,
                          Integer stopSignal, Integer stopTimeout, List<MountSpec> mounts, long memoryBytes,
                          double cpus, long pidsLimit, List<String> capAdd, List<String> capDrop, boolean privileged,
                          boolean readOnly, long logMaxSize, List<io.jpod.oci.PortMapping> ports, boolean autoRemove,
                          boolean stdin, boolean tty, String networkMode, boolean init, boolean entrypointSet,
                          RestartPolicy restartPolicy, HealthConfig healthcheck, boolean healthcheckSet) {
            this(name, image, entrypoint, cmd, env, workDir, user, hostname, labels, stopSignal, stopTimeout, mounts,
                    memoryBytes, cpus, pidsLimit, capAdd, capDrop, privileged, readOnly, logMaxSize, ports, autoRemove,
                    stdin, tty, networkMode, init, entrypointSet, restartPolicy, healthcheck, healthcheckSet, NetworkOptions.NONE);
        }
    }

    public Container create(CreateSpec spec) {
        io.jpod.sys.Trace.mark("create: start");
        Image image = images.find(spec.image()).orElseThrow(() -> JpodException.notFound(
                spec.image() + ": image not known: import or pull it first (jpod images lists local images)"));
        String id = Names.newId();
        String name = spec.name();
        if (name == null || name.isEmpty()) {
            name = Names.generateName();
        } else {
            Names.validate(name);
        }
        Map<String, Object> rc = image.runConfig();
        List<String> entrypoint = spec.entrypointSet() ? spec.entrypoint() : image.runList("Entrypoint");
        List<String> cmd = !spec.cmd().isEmpty() ? spec.cmd() : (spec.entrypointSet() ? List.of() : image.runList("Cmd"));
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw JpodException.invalid("no command or entrypoint provided, and no CMD or ENTRYPOINT from image "
                    + spec.image() + ": give a command after the image name");
        }
        List<String> env = mergeEnv(image.runList("Env"), spec.env());
        String workDir = spec.workDir() != null ? spec.workDir() : blankTo(image.runString("WorkingDir"), "/");
        if (!workDir.startsWith("/")) throw JpodException.invalid("invalid working directory \"" + workDir + "\": it must be an absolute path");
        String user = spec.user() != null ? spec.user() : image.runString("User");
        int stopSignal = spec.stopSignal() != null ? spec.stopSignal()
                : image.runString("StopSignal").isEmpty() ? 15 : Signals.parse(image.runString("StopSignal"));
        Map<String, String> labels = new LinkedHashMap<>();
        if (rc.get("Labels") instanceof Map<?, ?> il) il.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        labels.putAll(spec.labels());
        long period = spec.cpus() > 0 ? 100_000 : 0;
        long quota = spec.cpus() > 0 ? Math.round(spec.cpus() * period) : 0;
        List<String> lowers = images.lowerDirs(image).stream().map(Path::toString).toList();
        String hostname = spec.hostname() != null && !spec.hostname().isEmpty() ? spec.hostname() : id.substring(0, 12);
        ContainerConfig config = new ContainerConfig(id, name, image.names().isEmpty() ? image.id() : image.names().getFirst(),
                image.id(), entrypoint, cmd, env, workDir, user, hostname, labels, stopSignal,
                spec.stopTimeout() != null ? spec.stopTimeout() : 10, clock.now(), lowers, spec.mounts(),
                spec.memoryBytes(), quota, period, spec.pidsLimit(), spec.capAdd(), spec.capDrop(), spec.privileged(),
                spec.readOnly(), spec.logMaxSize(), spec.ports(), spec.autoRemove(), spec.stdin(), spec.tty(),
                spec.networkMode() == null ? "none" : spec.networkMode(), spec.init(), cgroupParent, spec.restartPolicy(),
                spec.healthcheckSet() ? spec.healthcheck() : HealthConfig.fromImage(rc.get("Healthcheck")), spec.netOptions());
        if (networking != null) networking.validate(config);
        if (config.autoRemove() && config.restartPolicy().restarts()) {
            throw JpodException.invalid("the --rm option conflicts with --restart: a container cannot both be removed and restarted when it exits");
        }
        SpecGenerator.capabilities(config); // validates cap names before anything exists
        io.jpod.sys.Trace.mark("create: config built");
        List<io.jpod.volume.Volume> anonymous = new ArrayList<>();
        try {
            config = withImageVolumes(config, image, anonymous);
            boolean generated = spec.name() == null || spec.name().isEmpty();
            for (int attempt = 1; ; attempt++) {
                try {
                    state.addContainer(new ContainerRecord(id, config.name(), config.created().toEpochMilli(), image.id(),
                            config.toJson(), ContainerState.configured().toJson()));
                    break;
                } catch (StateException e) {
                    // a generated name that another container holds is drawn again, as podman does
                    if (generated && attempt < 20 && e.kind() == StateException.Kind.ALREADY_EXISTS) {
                        config = config.withName(Names.generateName());
                        continue;
                    }
                    throw createFailed(e, config.name());
                }
            }
        } catch (RuntimeException e) {
            for (io.jpod.volume.Volume v : anonymous) { // nothing half-made
                try {
                    volumes.delete(v);
                } catch (IOException | RuntimeException ignored) {
                    // an orphan anonymous volume shows in volume ls and goes with volume prune
                }
            }
            throw e;
        }
        io.jpod.sys.Trace.mark("create: row inserted");
        return new Container(config, ContainerState.configured());
    }

    /** The image's VOLUMEs that no mount covers become anonymous volumes, as podman makes them. */
    private ContainerConfig withImageVolumes(ContainerConfig config, Image image, List<io.jpod.volume.Volume> made) {
        if (!(image.runConfig().get("Volumes") instanceof Map<?, ?> vols) || vols.isEmpty()) return config;
        List<MountSpec> mounts = new ArrayList<>(config.mounts());
        for (Object dest : vols.keySet()) {
            String d = String.valueOf(dest);
            if (!d.startsWith("/") || mounts.stream().anyMatch(m -> m.destination().equals(d))) continue;
            try {
                io.jpod.volume.Volume v = volumes.create(Names.newId(), Map.of(), Map.of(), true, clock.now());
                made.add(v);
                mounts.add(new MountSpec("volume", v.mountpoint().toString(), d, List.of()));
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "creating an anonymous volume for " + d + ": " + e.getMessage(), e);
            }
        }
        return config.withMounts(mounts);
    }

    private static JpodException createFailed(StateException e, String name) {
        if (e.kind() != StateException.Kind.ALREADY_EXISTS) return translate(e);
        return new JpodException(ErrorCode.ALREADY_EXISTS, "creating container storage: the container name \""
                + name + "\" is already in use by another container: choose another name with --name, or remove it (jpod rm "
                + name + ")", e);
    }

    static List<String> mergeEnv(List<String> image, List<String> user) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("container", "podman"); // what systemd and friends look for to detect a podman container
        m.put("PATH", SpecGenerator.DEFAULT_PATH);
        m.put("TERM", "xterm");
        for (String e : image) put(m, e);
        for (String e : user) put(m, e);
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static void put(Map<String, String> m, String kv) {
        int i = kv.indexOf('=');
        if (i <= 0) {
            if (i == 0) throw JpodException.invalid("invalid environment variable \"" + kv + "\": the name is empty");
            String v = System.getenv(kv); // "-e NAME" passes the host's value through, as podman does
            if (v != null) m.put(kv, v);
            return;
        }
        m.put(kv.substring(0, i), kv.substring(i + 1));
    }

    private static String blankTo(String s, String d) {
        return s == null || s.isEmpty() ? d : s;
    }

    // ------------------------------------------------------------------ init / start

    /** Mounts the rootfs, writes the bundle and creates the container in the runtime. Holds the lock. */
    private Container init(Container c) {
        return init(c, null);
    }

    private Container init(Container c, Path restoreFrom) {
        String id = c.id();
        ContainerConfig cfg = c.config();
        Path merged = layout.merged(id);
        Path bundle = layout.bundle(id);
        Path persist = layout.persistDir(id);
        boolean mounted = false, attached = false, created = false;
        java.util.concurrent.CompletableFuture<ContainerNetworking.Attached> attaching = null;
        try {
            BundleWriter.mkdirs(layout.containerDir(id), layout.upper(id), layout.work(id), merged, bundle);
            BundleWriter.mkdirs(persist);
            clearStaleRuntimeContainer(id, persist);
            Files.deleteIfExists(persist.resolve("exit"));
            Files.deleteIfExists(persist.resolve("oom"));
            oci.removeExitFile(id);
            unmountRootfs(id);
            for (String l : cfg.lowerDirs()) {
                if (!Files.isDirectory(Path.of(l))) {
                    throw JpodException.notFound("layer " + l + " of image " + cfg.image()
                            + " is missing: the image was removed or damaged; re-import it and recreate the container");
                }
            }
            sys.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + String.join(":", cfg.lowerDirs())
                    + ",upperdir=" + layout.upper(id) + ",workdir=" + layout.work(id));
            mounted = true;
            io.jpod.sys.Trace.mark("rootfs mounted");
            copyUpVolumes(cfg, merged);
            chownForU(cfg, merged);
            ContainerNetworking.Attached net = null;
            if (ContainerNetworking.bridged(cfg)) {
                if (networking == null) throw JpodException.invalid("network " + cfg.networkMode() + ": bridge networking is not set up here");
                Path ns = networking.prepare(cfg);
                attached = true;
                if (restoreFrom != null) {
                    net = networking.connect(cfg, ns); // CRIU restores connections onto the addresses: they must be there
                } else {
                    // CNI's plugins fill the namespace while conmon and runc create the container in it (both take
                    // tens of ms, mostly in other processes); the address reaches /etc/hosts before the start
                    attaching = java.util.concurrent.CompletableFuture.supplyAsync(() -> networking.connect(cfg, ns),
                            r -> Thread.ofPlatform().name("jpod-attach").daemon().start(r));
                    net = new ContainerNetworking.Attached(ns, List.of(), networking.nameServer(cfg));
                }
            } else if (cfg.networkMode().startsWith("container:")) {
                net = joinedNetwork(cfg);
            }
            bundles.write(cfg, merged, bundle, net);
            // the previous run's exec sessions (their logs and exit codes) end with it
            if (Files.isDirectory(bundle.resolve("exec"))) {
                dropExecSessions(id);
                io.jpod.sys.Fs.deleteTree(bundle.resolve("exec"));
            }
            Path log = layout.logPath(id);
            // conmon's exit command removes --rm containers, applies restart policies, and gives back a bridged
            // container's address, namespace and port rules as soon as it exits: no daemon needed
            List<String> exitCommand = exitCommandBase.isEmpty() ? List.of()
                    : cfg.autoRemove() ? exitCommand(id, true)
                    : cfg.restartPolicy().restarts() || ContainerNetworking.bridged(cfg) ? exitCommand(id, false) : List.of();
            io.jpod.sys.Trace.mark("bundle written");
            OciRuntime.Created made = oci.create(new CreateRequest(id, cfg.name(), bundle, persist, log, cfg.tty(),
                    cfg.stdin(), exitCommand, cgroupParent, cfg.ports(), restoreFrom, cfg.logMaxSize()));
            created = true;
            io.jpod.sys.Trace.mark("conmon+runc create done");
            if (attaching != null) {
                net = join(attaching);
                attaching = null;
                if (!cfg.netOptions().noHosts()) BundleWriter.rewriteHosts(cfg, bundle, net.ip());
                io.jpod.sys.Trace.mark("network attached");
            }
            ContainerState s = c.state().created(made.pid(), made.conmonPid(), merged.toString());
            save(id, s);
            return new Container(cfg, s);
        } catch (IOException e) {
            undoInit(id, cfg, attaching, attached, mounted, created);
            throw new JpodException(ErrorCode.INTERNAL, "preparing container " + cfg.name() + ": " + e.getMessage(), e);
        } catch (OciRuntimeException e) {
            undoInit(id, cfg, attaching, attached, mounted, created);
            int code = ConmonRuntime.exitCodeFor(e.getMessage());
            throw new StartFailedException(e.getMessage(), code, e);
        } catch (RuntimeException e) {
            undoInit(id, cfg, attaching, attached, mounted, created);
            if (e instanceof SysException se) {
                throw new JpodException(ErrorCode.INTERNAL, "mounting the root filesystem of " + cfg.name() + ": "
                        + se.getMessage() + "; check that overlayfs is available (modprobe overlay)", e);
            }
            throw e;
        }
    }

    /**
     * A CLI killed between conmon's create and saving CREATED leaves a runtime container and its conmon behind;
     * delete them (and let the old conmon write its exit file) before creating anew under the same ID.
     */
    private void clearStaleRuntimeContainer(String id, Path persist) {
        int oldConmon = StopPolicy.readPid(persist.resolve("conmon.pid"));
        try {
            oci.delete(id, true);
        } catch (OciRuntimeException e) {
            warn.accept("removing a stale runtime container " + id + ": " + e.getMessage());
        }
        // Its own conmon runs a policy restart (the exit command) and waits for it, its exit file written and its
        // attach link gone already: waiting for it would only time out.
        boolean ourParent = ProcessHandle.current().parent().map(p -> p.pid() == oldConmon).orElse(false);
        if (oldConmon > 0 && !ourParent && sys.alive(oldConmon) && isConmonOf(oldConmon, id)) {
            stopper.waitGone(oldConmon, StopPolicy.KILL_TIMEOUT);
        }
        try {
            Files.deleteIfExists(persist.resolve("conmon.pid"));
        } catch (IOException ignored) {
            // conmon writes it anew
        }
    }

    /** Guards against pid reuse: the process must be a conmon for this container. */
    private static boolean isConmonOf(int pid, String id) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            return cmd.contains("conmon") && cmd.contains(id);
        } catch (IOException e) {
            return false;
        }
    }

    /** The runtime refused to run the container's process; {@link #exitCode} follows podman (126/127/125). */
    public static final class StartFailedException extends JpodException {
        private final int exitCode;

        StartFailedException(String message, int exitCode, Throwable cause) {
            super(ErrorCode.INVALID_STATE, message, cause);
            this.exitCode = exitCode;
        }

        public int exitCode() { return exitCode; }
    }

    /**
     * conmon's exit command: `jpod container cleanup [--rm] ID`, behind a small sh wrapper. While a jpod service
     * runs on this store it holds an flock on {@link Layout#serviceLock}; the wrapper then only leaves a note in
     * {@link Layout#exitNotes} for the service to clean up in-process, instead of starting a JVM per exiting
     * container (its CPU halved the API's container rate). Without a service, or flock(1), the JVM runs as before.
     */
    private List<String> exitCommand(String id, boolean rm) {
        List<String> jpod = new ArrayList<>(exitCommandBase);
        jpod.add("container");
        jpod.add("cleanup");
        if (rm) jpod.add("--rm");
        jpod.add(id);
        List<String> a = new ArrayList<>(List.of("/bin/sh", "-c", EXIT_WRAPPER, "jpod-exit", layout.serviceLock().toString(),
                layout.exitNotes().resolve(id).toString(), rm ? "rm" : "cleanup"));
        a.addAll(jpod);
        return a;
    }

    /** $1 the service's lock, $2 the note, $3 what to do; the rest is the jpod command to run when no service runs. */
    static final String EXIT_WRAPPER = "l=$1 f=$2 m=$3; shift 3; "
            + "if command -v flock >/dev/null && ! flock -n \"$l\" true 2>/dev/null && mkdir -p \"${f%/*}\" "
            + "&& printf %s \"$m\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"; then exit 0; fi; exec \"$@\"";

    /** Start: init if needed, then runc start. Returns the running container. */
    public Container start(String nameOrId) {
        return locked(nameOrId, c -> {
            if (c.status() == ContainerStatus.RUNNING) return c; // podman: starting a running container is a no-op
            return startLocked(byUser(c), null);
        });
    }

    /** Lets a caller act between init and runc start (connecting the attach socket, so no output is missed). */
    public interface BeforeStart {
        void created(Container c);
    }

    public Container startAttached(String nameOrId, BeforeStart hook) {
        return locked(nameOrId, c -> {
            if (c.status() == ContainerStatus.RUNNING) {
                throw JpodException.state("container " + c.name() + " is already running: use jpod attach");
            }
            return startLocked(byUser(c), hook);
        });
    }

    /** A user's start: a policy may restart it again, counting from zero. */
    private static Container byUser(Container c) {
        return new Container(c.config(), c.state().withStoppedByUser(false).withRestartCount(0));
    }

    /**
     * What conmon's exit command does after cleanup: restarts an exited container its restart policy says should
     * run again (not after a user's stop or kill; on-failure only after a failure, up to its retries). Empty when
     * it stays down.
     */
    public Optional<Container> restartByPolicy(String nameOrId) {
        Container out = locked(nameOrId, c -> {
            if (c.status().isActive() || c.status() == ContainerStatus.CONFIGURED || c.status() == ContainerStatus.REMOVING) return null;
            ContainerState st = c.state();
            if (!c.config().restartPolicy().shouldRestart(st.exitCode(), st.restartCount(), st.stoppedByUser())) return null;
            return startLocked(new Container(c.config(), st.withRestartCount(st.restartCount() + 1)), null);
        });
        return Optional.ofNullable(out);
    }

    private Container startLocked(Container c, BeforeStart hook) {
        if (!c.status().canStart()) {
            throw JpodException.state("container " + c.name() + " is " + c.status().word()
                    + ": only created or exited containers can be started");
        }
        if (c.status() != ContainerStatus.CREATED) c = init(c);
        if (hook != null) hook.created(c);
        try {
            oci.start(c.id());
        } catch (OciRuntimeException e) {
            // leave nothing running behind a failed start
            ContainerState s = cleanup(new Container(c.config(), c.state().exited(ConmonRuntime.exitCodeFor(e.getMessage()), clock.now(), false)));
            save(c.id(), s.withStatus(ContainerStatus.CONFIGURED));
            throw new StartFailedException(e.getMessage(), ConmonRuntime.exitCodeFor(e.getMessage()), e);
        }
        io.jpod.sys.Trace.mark("runc start done");
        ContainerState s = c.state().running(clock.now());
        save(c.id(), s);
        return new Container(c.config(), s);
    }

    // ------------------------------------------------------------------ stop / kill

    public Container stop(String nameOrId, Integer timeoutSeconds) {
        return locked(nameOrId, c -> {
            if (c.status() == ContainerStatus.PAUSED) {
                oci.resume(c.id());
                c = new Container(c.config(), c.state().withStatus(ContainerStatus.RUNNING));
            }
            if (c.status() != ContainerStatus.RUNNING) {
                // stopping a stopped container is not an error; but it may be between a death and its policy's
                // restart (conmon's exit command waits for this lock): the user's stop must keep it down
                if (c.config().restartPolicy().restarts() && !c.state().stoppedByUser()) {
                    c = new Container(c.config(), c.state().withStoppedByUser(true));
                    save(c.id(), c.state());
                }
                return c;
            }
            int timeout = timeoutSeconds != null ? timeoutSeconds : c.config().stopTimeout();
            // saved before the signal when a policy may restart it: conmon's exit command must see it was the user
            c = new Container(c.config(), c.state().withStoppedByUser(true));
            if (c.config().restartPolicy().restarts()) save(c.id(), c.state());
            stopper.stop(c, timeout);
            return finishStop(c);
        });
    }

    /** Records the exit code conmon wrote, then cleans up. Holds the lock. */
    private Container finishStop(Container c) {
        OptionalInt code = waitExitFile(c.id(), Duration.ofSeconds(5));
        ContainerState s = code.isPresent()
                ? c.state().exited(code.getAsInt(), exitTime(c.id()), Files.exists(layout.persistDir(c.id()).resolve("oom")))
                : c.state().exited(137, clock.now(), false);
        died(c, s);
        s = cleanup(new Container(c.config(), s));
        save(c.id(), s);
        return new Container(c.config(), s);
    }

    public Container kill(String nameOrId, int signal) {
        return locked(nameOrId, c -> {
            if (!c.status().isActive()) {
                throw JpodException.state("can only kill running containers. " + c.id() + " is in state "
                        + c.status().word() + ": container state improper");
            }
            ContainerState marked = c.state().withStoppedByUser(true);
            // before the signal, as for stop: a killed container is not restarted by its policy (no write without one)
            if (c.config().restartPolicy().restarts()) save(c.id(), marked);
            try {
                oci.kill(c.id(), signal, false);
            } catch (OciRuntimeException e) {
                throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
            }
            return new Container(c.config(), marked);
        });
    }

    public Container pause(String nameOrId) {
        return locked(nameOrId, c -> {
            if (c.status() != ContainerStatus.RUNNING) {
                if (c.status() == ContainerStatus.PAUSED) {
                    throw JpodException.state("\"" + c.id() + "\" is already paused: container state improper");
                }
                throw JpodException.state("\"" + c.status().word() + "\" is not running, can't pause: container state improper");
            }
            try {
                oci.pause(c.id());
            } catch (OciRuntimeException e) {
                throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
            }
            ContainerState s = c.state().withStatus(ContainerStatus.PAUSED);
            save(c.id(), s);
            return new Container(c.config(), s);
        });
    }

    public Container unpause(String nameOrId) {
        return locked(nameOrId, c -> {
            if (c.status() != ContainerStatus.PAUSED) {
                throw JpodException.state("\"" + c.id() + "\" is not paused, can't unpause: container state improper");
            }
            try {
                oci.resume(c.id());
            } catch (OciRuntimeException e) {
                throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
            }
            ContainerState s = c.state().withStatus(ContainerStatus.RUNNING);
            save(c.id(), s);
            return new Container(c.config(), s);
        });
    }

    // ------------------------------------------------------------------ remove

    /**
     * Removes a container; a running one only with force (then killed at once, as docker does). An exited
     * container costs one database write; a running one two (REMOVING first, so a crash mid-way is visible).
     */
    public Container remove(String nameOrId, boolean force) {
        return remove(nameOrId, force, false);
    }

    /** As {@link #remove(String, boolean)}; with volumes (rm -v, and always for --rm) its anonymous volumes go too. */
    public Container remove(String nameOrId, boolean force, boolean volumes) {
        Container found = lookup(nameOrId);
        try (LockManager.Held h = locks.lock(found.id())) {
            Container c = state.container(found.id()).map(ContainerRuntime::toContainer).orElseThrow(() ->
                    JpodException.notFound("container " + nameOrId + " was removed meanwhile: no such container"));
            ContainerState observed = observe(c);
            died(c, observed);
            if (observed.status().isActive() && !force) {
                if (observed != c.state()) save(c.id(), observed);
                throw JpodException.state("cannot remove container " + c.id() + " as it is " + observed.status().word()
                        + " - running or paused containers cannot be removed without force: stop it first, or use rm -f");
            }
            c = new Container(c.config(), observed);
            if (observed.status().isActive()) {
                save(c.id(), observed.withStatus(ContainerStatus.REMOVING));
                if (observed.status() == ContainerStatus.PAUSED) {
                    try {
                        oci.kill(c.id(), 9, true);
                        oci.resume(c.id());
                    } catch (OciRuntimeException ignored) {
                        // SIGKILL below covers it
                    }
                }
                stopper.stopExecSessions(c);
                stopper.stop(c, 0);
            }
            removeStorage(c);
            if (volumes || c.config().autoRemove()) removeAnonymousVolumes(c);
            return c;
        }
    }

    /** IDs of containers that mount the volume. */
    public List<String> containersUsingVolume(String name) {
        String data = this.volumes.dataDir(name).toString();
        List<String> out = new ArrayList<>();
        for (ContainerRecord r : state.containers()) {
            Container c = toContainer(r);
            if (c.config().mounts().stream().anyMatch(m -> m.type().equals("volume") && m.source().equals(data))) out.add(c.id());
        }
        return out;
    }

    private void removeAnonymousVolumes(Container c) {
        for (MountSpec m : c.config().mounts()) {
            if (!m.type().equals("volume")) continue;
            String name = volumes.nameOf(Path.of(m.source()));
            if (name == null) continue;
            volumes.find(name).filter(io.jpod.volume.Volume::anonymous).ifPresent(v -> {
                if (!containersUsingVolume(v.name()).isEmpty()) return; // another container shares it
                try {
                    volumes.delete(v);
                } catch (IOException e) {
                    warn.accept("removing anonymous volume " + v.name() + ": " + e.getMessage());
                }
            });
        }
    }

    /**
     * After an attached run's output ends: waits for conmon's exit file without holding the lock, then either
     * removes the container (--rm: one database write) or records the exit. Returns the exit code.
     */
    public int finishAttached(String id, boolean remove) {
        OptionalInt code = OptionalInt.empty();
        try {
            Container c = lookup(id);
            if (c.status().isActive()) {
                // conmon writes the exit file a few milliseconds after the output ends: poll finely at first
                int polls = 0;
                while ((code = oci.exitCode(id)).isEmpty() && sys.alive(c.state().conmonPid())) {
                    sleep(Duration.ofMillis(polls++ < 50 ? 1 : 20));
                }
            }
            io.jpod.sys.Trace.mark("exit file seen");
            if (remove) return this.remove(id, true).state().exitCode();
            return inspect(id).state().exitCode();
        } catch (JpodException e) {
            // someone else (rm -f, conmon's exit command) removed it meanwhile: report what conmon recorded
            if (e.code() != ErrorCode.NOT_FOUND) throw e;
            return code.orElse(137);
        }
    }

    private void removeStorage(Container c) {
        try {
            oci.delete(c.id(), true);
        } catch (OciRuntimeException e) {
            warn.accept("removing container " + c.name() + " from the runtime: " + e.getMessage());
        }
        io.jpod.sys.Trace.mark("runtime container deleted");
        unmountRootfs(c.id());
        oci.removeExitFile(c.id());
        io.jpod.sys.Trace.mark("rootfs unmounted");
        detachNetwork(c);
        io.jpod.sys.Trace.mark("network detached");
        stopHealthTimer(c.id());
        dropSocketLink(c.id());
        dropExecSessions(c.id());
        try {
            io.jpod.sys.Fs.deleteTree(layout.containerDir(c.id()));
            io.jpod.sys.Fs.deleteTree(layout.persistDir(c.id()));
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "removing the storage of container " + c.name() + ": "
                    + e.getMessage() + "; check for mounts under " + layout.containerDir(c.id()), e);
        }
        state.removeContainer(c.id());
        locks.forget(c.id());
    }

    // ------------------------------------------------------------------ wait / cleanup / rename

    /** Blocks until the container has exited; returns its exit code. Polls the exit file without the lock. */
    public int waitExit(String nameOrId, Duration poll) {
        Container c = lookup(nameOrId);
        while (true) {
            if (!c.status().isActive() && c.status() != ContainerStatus.CREATED) {
                return c.state().exitCode();
            }
            if (Files.exists(oci.exitFile(c.id())) || !sys.alive(c.state().conmonPid())) {
                c = inspect(c.id());
                continue;
            }
            sleep(poll);
            c = lookup(c.id());
        }
    }

    /** `container cleanup`: what conmon's exit command runs; with rm the container is removed too. */
    public Optional<Container> cleanupExited(String nameOrId, boolean rm) {
        Container c;
        try {
            c = inspect(nameOrId);
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NOT_FOUND) return Optional.empty(); // the foreground CLI removed it already
            throw e;
        }
        if (rm && !c.status().isActive()) return Optional.of(remove(c.id(), false));
        return Optional.of(c);
    }

    public Container rename(String nameOrId, String newName) {
        Names.validate(newName);
        return locked(nameOrId, c -> {
            try {
                state.renameContainer(c.id(), newName);
            } catch (StateException e) {
                throw translate(e);
            }
            return lookup(c.id());
        });
    }

    // ------------------------------------------------------------------ network connect

    /**
     * network connect: the network joins the container's config, and a running container gets its interface
     * at once (the config is saved only after that worked, so a failed attach changes nothing).
     */
    public Container connect(String nameOrId, String network, String ip, String mac, List<String> aliases) {
        if (networking == null) throw new JpodException(ErrorCode.UNAVAILABLE, "networking is not set up here");
        return locked(nameOrId, c -> {
            ContainerConfig cfg = c.config();
            if (!ContainerNetworking.bridged(cfg)) {
                throw JpodException.invalid("container " + c.name() + " has network mode " + cfg.networkMode()
                        + ": only containers on bridge networks can be connected to another; recreate it with --network bridge");
            }
            List<String> names = new ArrayList<>(ContainerNetworking.networkNames(cfg.networkMode()));
            if (names.contains(network)) {
                throw new JpodException(ErrorCode.ALREADY_EXISTS, "container " + c.name() + " is already connected to network " + network);
            }
            names.add(network);
            NetworkOptions o = cfg.netOptions();
            List<String> allAliases = new ArrayList<>(o.aliases());
            for (String a : aliases) if (!allAliases.contains(a)) allAliases.add(a);
            ContainerConfig updated = cfg.withNetwork(String.join(",", names),
                    NetworkOptions.of(o.ip(), o.mac(), allAliases, o.dns(), o.dnsSearch(), o.dnsOptions(), o.addHosts(), o.noHosts()));
            if (c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED) {
                networking.connect(updated, network, ip == null ? "" : ip, mac == null ? "" : mac);
            } else if ((ip != null && !ip.isEmpty()) || (mac != null && !mac.isEmpty())) {
                throw JpodException.invalid("--ip and --mac-address with network connect need a running container: start " + c.name() + " first");
            }
            try {
                state.saveContainerConfig(c.id(), updated.toJson());
            } catch (StateException e) {
                throw translate(e);
            }
            return lookup(c.id());
        });
    }

    /** network disconnect: the container leaves the network, at once when it runs. */
    public Container disconnect(String nameOrId, String network) {
        if (networking == null) throw new JpodException(ErrorCode.UNAVAILABLE, "networking is not set up here");
        return locked(nameOrId, c -> {
            ContainerConfig cfg = c.config();
            List<String> names = new ArrayList<>(ContainerNetworking.networkNames(cfg.networkMode()));
            if (!names.remove(network)) {
                throw JpodException.invalid("container " + c.name() + " is not connected to network " + network);
            }
            if (c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED) networking.disconnect(cfg, network);
            try {
                state.saveContainerConfig(c.id(), cfg.withNetwork(names.isEmpty() ? "none" : String.join(",", names), cfg.netOptions()).toJson());
            } catch (StateException e) {
                throw translate(e);
            }
            return lookup(c.id());
        });
    }

    // ------------------------------------------------------------------ exec

    /** What an exec session runs; {@code consoleSize} (rows, cols) is the terminal's at start, or null. */
    public record ExecSpec(List<String> command, List<String> env, String user, String workDir, boolean tty,
                           boolean interactive, boolean detach, boolean privileged, int[] consoleSize) {
        public ExecSpec {
            command = List.copyOf(command);
            env = List.copyOf(env);
        }
    }

    /** A started exec session; {@link #finishExec} waits for it and forgets it. */
    public record ExecStarted(Container container, String sessionId, Path execDir, OciRuntime.ExecProcess process) {
        public Path ctlFifo() { return ExecRequest.ctlFifo(execDir); }
    }

    /**
     * Starts an exec session through conmon. The session is recorded before its process starts, so a stop or rm
     * meanwhile finds it (the seed's exec-stop). With {@code attach} non-null, it gets the session's attach socket
     * before the process starts. Detached sessions get conmon's exit command ({@code cleanup --exec}), which
     * records their end.
     */
    public ExecStarted startExec(String nameOrId, ExecSpec spec, Consumer<Path> attach) {
        if (spec.command().isEmpty()) throw JpodException.invalid("must provide a non-empty command to start an exec session");
        String sessionId = Names.newId();
        String[] process = new String[1];
        Container c = locked(nameOrId, cc -> {
            if (cc.status() != ContainerStatus.RUNNING) {
                throw JpodException.state("can only create exec sessions on running containers: container "
                        + cc.name() + " is " + cc.status().word() + ": container state improper");
            }
            // runc takes only numeric ids: names resolve against the container's own passwd and group files
            String user = spec.user() != null ? spec.user() : cc.config().user();
            UserResolver.User u = UserResolver.resolve(layout.merged(cc.id()), user);
            process[0] = ExecProcessSpec.json(containerProcess(cc.id()), spec.command(), hostPassthrough(spec.env()),
                    spec.workDir(), u, spec.tty(), spec.privileged() ? SpecGenerator.capabilities(cc.config(), true) : null,
                    spec.consoleSize());
            try {
                Files.createDirectories(layout.execDir(cc.id(), sessionId));
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "cannot create the exec session's directory: " + e.getMessage(), e);
            }
            ContainerState s = pruneExecSessions(cc).withExec(new ContainerState.ExecSession(sessionId, 0, spec.command()), true);
            save(cc.id(), s);
            return new Container(cc.config(), s);
        });
        io.jpod.sys.Trace.mark("exec: session recorded");
        Path dir = layout.execDir(c.id(), sessionId);
        List<String> exitCommand = spec.detach() && !exitCommandBase.isEmpty()
                ? concat(exitCommandBase, List.of("container", "cleanup", "--exec", sessionId, c.id())) : List.of();
        ExecRequest req = new ExecRequest(c.id(), c.name(), sessionId, dir, process[0], spec.tty(),
                spec.interactive(), attach != null, c.config().logMaxSize(), exitCommand);
        try {
            return new ExecStarted(c, sessionId, dir, oci.exec(req, attach == null ? p -> {} : attach));
        } catch (ConmonRuntime.ExecFailedException e) {
            endExecSession(c.id(), sessionId);
            throw new StartFailedException(e.getMessage(), e.exitCode(), e);
        } catch (RuntimeException e) {
            endExecSession(c.id(), sessionId);
            throw e;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Waits for an attached session's process and forgets the session; its exit code. */
    public int finishExec(ExecStarted s) {
        try (OciRuntime.ExecProcess p = s.process()) {
            int code = p.waitExit();
            io.jpod.sys.Trace.mark("exec: exit code read");
            return code;
        } finally {
            endExecSession(s.container().id(), s.sessionId());
        }
    }

    /** Runs a command in the container without attaching (stdin /dev/null, output in the session's log): its code. */
    public int exec(String nameOrId, ExecSpec spec) {
        return finishExec(startExec(nameOrId, spec, null));
    }

    /** What conmon's exit command does for a detached session: it is forgotten, its exit code returned. */
    public java.util.OptionalInt cleanupExec(String nameOrId, String sessionId) {
        Container c = lookup(nameOrId);
        java.util.OptionalInt code = oci.execExitCode(layout.execDir(c.id(), sessionId), c.id());
        endExecSession(c.id(), sessionId);
        return code;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> containerProcess(String id) {
        Path config = layout.bundle(id).resolve("config.json");
        try {
            Object p = io.jpod.json.Json.parseObject(Files.readString(config)).get("process");
            if (p instanceof Map<?, ?> m) return (Map<String, Object>) m;
        } catch (IOException | io.jpod.json.Json.JsonException e) {
            throw new JpodException(ErrorCode.INTERNAL, "cannot read the container's OCI config " + config + ": "
                    + e.getMessage() + "; restart the container to rewrite it", e);
        }
        throw new JpodException(ErrorCode.INTERNAL, "the container's OCI config " + config + " has no process; restart the container to rewrite it");
    }

    /** "-e NAME" takes the host's value, and is dropped when the host has none, as podman does. */
    static List<String> hostPassthrough(List<String> env) {
        List<String> out = new ArrayList<>();
        for (String e : env) {
            if (e.indexOf('=') > 0) {
                out.add(e);
            } else if (!e.isEmpty() && System.getenv(e) != null) {
                out.add(e + "=" + System.getenv(e));
            }
        }
        return out;
    }

    /**
     * Ends the container's healthcheck loop (the engine starts it): with the container's clean-up, so stop, kill,
     * rm and restart need no lookup of their own. The loop runs in its own process group: a check in flight goes too.
     */
    public void stopHealthTimer(String id) {
        Path pidFile = layout.healthTimerPid(id);
        int pid = StopPolicy.readPid(pidFile);
        if (pid <= 0) return;
        sys.kill(-pid, 15);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the persist dir goes with the container
        }
    }

    /** The background attach's result, or its failure as thrown there. */
    private static ContainerNetworking.Attached join(java.util.concurrent.CompletableFuture<ContainerNetworking.Attached> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** What a failed init made goes again: the runtime's container, the network (once its attach settled), the rootfs. */
    private void undoInit(String id, ContainerConfig cfg, java.util.concurrent.CompletableFuture<ContainerNetworking.Attached> attaching,
                          boolean attached, boolean mounted, boolean created) {
        if (created) {
            try {
                oci.delete(id, true);
            } catch (RuntimeException e) {
                warn.accept("removing the half-made container " + cfg.name() + " from the runtime: " + e.getMessage());
            }
        }
        if (attaching != null) {
            try {
                attaching.join(); // DEL must not race the ADD still running
            } catch (RuntimeException settled) {
                // it undid itself
            }
        }
        if (attached) networking.detach(cfg);
        if (mounted) unmountRootfs(id);
    }

    /**
     * --network container:ID: the other container's network namespace (its own bind mount when it has networks,
     * else its init process's), which must be running, and its addresses for /etc/hosts.
     */
    private ContainerNetworking.Attached joinedNetwork(ContainerConfig cfg) {
        String otherId = cfg.networkMode().substring("container:".length());
        Container other;
        try {
            other = lookup(otherId);
        } catch (JpodException e) {
            throw JpodException.notFound("container " + otherId.substring(0, 12) + ", whose network namespace " + cfg.name()
                    + " joins, no longer exists: recreate " + cfg.name());
        }
        if (other.state().status() != ContainerStatus.RUNNING && other.state().status() != ContainerStatus.PAUSED) {
            throw new JpodException(ErrorCode.INVALID_STATE, "cannot join the network namespace of container " + other.name()
                    + ": it is " + other.state().status().word() + "; start it first");
        }
        Path ns = layout.netns(other.id());
        List<ContainerNetworking.Endpoint> eps = List.of();
        if (ContainerNetworking.bridged(other.config()) && networking != null && Files.exists(ns)) {
            eps = networking.endpoints(other.id());
            try {
                // the owner's teardown must then delete its interfaces itself: they would outlive its namespace
                Files.writeString(joinedMarker(other.id()), cfg.id());
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "recording that " + cfg.name() + " joins the network of "
                        + other.name() + ": " + e.getMessage(), e);
            }
        } else {
            ns = Path.of("/proc/" + other.state().pid() + "/ns/net");
        }
        return new ContainerNetworking.Attached(ns, eps, null);
    }

    /** Left in the owner's persist dir when a container joins its network namespace (--network container:ID). */
    private Path joinedMarker(String ownerId) {
        return layout.persistDir(ownerId).resolve("netns-joined");
    }

    /** Whether a container joined this one's namespace since it was made; the mark goes with the namespace. */
    private boolean joined(String id) {
        try {
            return Files.deleteIfExists(joinedMarker(id));
        } catch (IOException e) {
            return true; // unknown: take the careful way
        }
    }

    /** Its namespace, veth, lease and port rules go when it stops (again harmlessly at rm). */
    private void detachNetwork(Container c) {
        if (networking == null || !ContainerNetworking.bridged(c.config())) return;
        try {
            networking.detach(c.config(), joined(c.id()));
        } catch (RuntimeException e) {
            warn.accept("disconnecting " + c.name() + " from network " + c.config().networkMode() + ": " + e.getMessage());
        }
    }

    /**
     * conmon's link RUNROOT/socket/ID -> bundle (or session dir), made to reach the attach socket: conmon does not
     * always remove it (not when exec fails, nor when it is killed), and it would dangle for ever.
     */
    private void dropSocketLink(String containerOrSessionId) {
        try {
            Path link = oci.attachSocket(containerOrSessionId).getParent();
            if (Files.isSymbolicLink(link)) Files.deleteIfExists(link);
        } catch (IOException ignored) {
            // gone already
        }
    }

    private void dropExecSessions(String containerId) {
        try (var dirs = Files.list(layout.bundle(containerId).resolve("exec"))) {
            dirs.forEach(d -> dropSocketLink(d.getFileName().toString()));
        } catch (IOException ignored) {
            // no sessions
        }
    }

    private void endExecSession(String id, String sessionId) {
        dropSocketLink(sessionId);
        try (LockManager.Held h = locks.lock(id)) {
            state.container(id).map(ContainerRuntime::toContainer).ifPresent(cc -> {
                ContainerState.ExecSession s = cc.state().execSessions().get(sessionId);
                if (s != null) save(id, cc.state().withExec(s, false));
            });
        }
    }

    /** Drops sessions that have ended: detached ones end without telling us unless their exit command ran. */
    private ContainerState pruneExecSessions(Container c) {
        ContainerState s = c.state();
        for (ContainerState.ExecSession e : c.state().execSessions().values()) {
            if (execEnded(c.id(), e.id())) s = s.withExec(e, false);
        }
        return s;
    }

    /**
     * A session has ended when conmon wrote its exit file, or when its conmon is gone without one (killed). One
     * whose conmon never started (its starter died) ends a minute after its directory was made.
     */
    boolean execEnded(String containerId, String sessionId) {
        Path dir = layout.execDir(containerId, sessionId);
        if (Files.exists(ExecRequest.exitFile(dir, containerId))) return true;
        int conmon = StopPolicy.readPid(ExecRequest.conmonPidFile(dir));
        if (conmon > 0) return !sys.alive(conmon);
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(clock.now().minusSeconds(60));
        } catch (IOException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ checkpoint / restore

    public Path checkpointDir(String id) {
        return layout.containerDir(id).resolve("checkpoint");
    }

    /** checkpoint's options: --leave-running, --tcp-established, --keep (CRIU's logs stay), --export FILE. */
    public record CheckpointOptions(boolean leaveRunning, boolean tcpEstablished, boolean keep, Path exportTo) {}

    /** The config an exported checkpoint carries, and the container's changes to its image, inside the archive. */
    static final String EXPORT_CONFIG = "jpod-config.json", EXPORT_ROOTFS = "rootfs-diff.tar";

    /**
     * Checkpoints a running container with CRIU through runc (image path in the container's dir, work path the
     * bundle, as libpod). Without --leave-running the container ends up exited and cleaned up. --export writes
     * the checkpoint, the container's config and its filesystem changes to one tar (written beside and renamed).
     */
    public Container checkpoint(String nameOrId, CheckpointOptions o) {
        return locked(nameOrId, c -> {
            if (c.status() != ContainerStatus.RUNNING) {
                throw JpodException.state("\"" + c.name() + "\" is not running, cannot checkpoint: container state improper");
            }
            oci.checkpointUnsupportedReason().ifPresent(r -> {
                throw new JpodException(ErrorCode.UNAVAILABLE, "cannot checkpoint " + c.name() + ": " + r);
            });
            Path dir = checkpointDir(c.id());
            try {
                io.jpod.sys.Fs.deleteTree(dir);
                Files.createDirectories(dir);
                oci.checkpoint(c.id(), dir, layout.bundle(c.id()), o.leaveRunning(), o.tcpEstablished());
                if (!o.keep()) {
                    // CRIU's logs of a checkpoint that worked are noise: podman keeps them only with --keep
                    for (String log : List.of("dump.log", "stats-dump")) Files.deleteIfExists(layout.bundle(c.id()).resolve(log));
                }
                if (o.exportTo() != null) exportCheckpoint(c, dir, o.exportTo());
            } catch (IOException e) {
                throw new JpodException(ErrorCode.INTERNAL, "writing the checkpoint of " + c.name() + ": " + e.getMessage(), e);
            } catch (OciRuntimeException e) {
                throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
            }
            if (o.leaveRunning()) return c;
            return finishStop(c);
        });
    }

    private void exportCheckpoint(Container c, Path dir, Path target) throws IOException {
        Files.writeString(dir.resolve(EXPORT_CONFIG), c.config().toJson());
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(EXPORT_ROOTFS)))) {
            io.jpod.image.TreeArchiver.write(layout.upper(c.id()), out);
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".jpod-tmp-" + ProcessHandle.current().pid());
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            io.jpod.image.TreeArchiver.write(dir, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(EXPORT_ROOTFS));
    }

    /**
     * restore --import: a new container from an exported checkpoint (its config, under a new ID and the given name
     * or its old one; its filesystem changes; its CRIU images), on the same image, which must be here. Returns it
     * created but not restored; on any failure nothing of it remains.
     */
    public Container importCheckpoint(java.io.InputStream archive, String newName, io.jpod.sys.FileOps ops) {
        String id = Names.newId();
        Path cdir = layout.containerDir(id);
        Path staging = cdir.resolve("import");
        boolean registered = false;
        try {
            Files.createDirectories(staging);
            io.jpod.image.LayerUnpacker.extract(archive, staging, ops);
            Path cfgFile = staging.resolve(EXPORT_CONFIG);
            if (!Files.isRegularFile(cfgFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw JpodException.invalid("not a jpod checkpoint archive: it has no " + EXPORT_CONFIG
                        + "; export one with jpod container checkpoint --export FILE");
            }
            ContainerConfig old = ContainerConfig.fromJson(Files.readString(cfgFile));
            Image image = images.find(old.imageId()).orElseThrow(() -> JpodException.notFound("image " + old.image()
                    + " of the checkpointed container is not here: pull or load it first"));
            String name = newName != null && !newName.isEmpty() ? newName : old.name();
            Names.validate(name);
            ContainerConfig cfg = old.imported(id, name, images.lowerDirs(image).stream().map(Path::toString).toList());
            try {
                state.addContainer(new ContainerRecord(id, name, clock.now().toEpochMilli(), image.id(), cfg.toJson(),
                        ContainerState.configured().toJson()));
                registered = true;
            } catch (StateException e) {
                throw translate(e);
            }
            Files.createDirectories(layout.upper(id));
            Path diff = staging.resolve(EXPORT_ROOTFS);
            if (Files.isRegularFile(diff, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(diff))) {
                    io.jpod.image.LayerUnpacker.extract(in, layout.upper(id), ops);
                }
                Files.delete(diff);
            }
            Files.delete(cfgFile);
            Files.move(staging, checkpointDir(id));
            return lookup(id);
        } catch (IOException | RuntimeException e) {
            if (registered) state.removeContainer(id);
            try {
                io.jpod.sys.Fs.deleteTree(cdir);
            } catch (IOException ignored) {
                // best effort: the directory is ours alone
            }
            if (e instanceof JpodException je) throw je;
            throw new JpodException(ErrorCode.INVALID_ARGUMENT, "cannot import the checkpoint: " + e.getMessage()
                    + "; give a file written by jpod container checkpoint --export", e);
        }
    }

    /** Restores a checkpointed container: conmon --restore makes runc restore it from the checkpoint images. */
    public Container restore(String nameOrId) {
        return restore(nameOrId, true);
    }

    /** As above; without keep, the checkpoint images go once the container runs again (podman's default). */
    public Container restore(String nameOrId, boolean keep) {
        Container restored = restoreLocked(nameOrId);
        if (!keep) {
            try {
                io.jpod.sys.Fs.deleteTree(checkpointDir(restored.id()));
            } catch (IOException e) {
                warn.accept("removing the checkpoint of " + restored.name() + ": " + e.getMessage());
            }
        }
        return restored;
    }

    private Container restoreLocked(String nameOrId) {
        return locked(nameOrId, c -> {
            if (c.status().isActive()) throw JpodException.state("container " + c.name() + " is running: cannot restore it");
            if (!Files.isDirectory(checkpointDir(c.id()))) {
                throw JpodException.state("container " + c.name() + " has no checkpoint: run jpod container checkpoint first");
            }
            oci.checkpointUnsupportedReason().ifPresent(r -> {
                throw new JpodException(ErrorCode.UNAVAILABLE, "cannot restore " + c.name() + ": " + r);
            });
            Container created = init(c, checkpointDir(c.id()));
            ContainerState s = created.state().running(clock.now());
            save(c.id(), s);
            return new Container(c.config(), s);
        });
    }

    // ------------------------------------------------------------------ reboot

    /** The containers `system boot` starts again: restart policy always, or unless-stopped and not stopped by the user. */
    public List<Container> startAtBoot() {
        refreshAfterReboot();
        List<Container> started = new ArrayList<>();
        for (Container c : list()) {
            if (c.status().isActive() || !c.config().restartPolicy().startsAtBoot(c.state().stoppedByUser())) continue;
            try {
                started.add(locked(c.id(), cc -> cc.status().isActive() ? cc : startLocked(cc, null)));
            } catch (JpodException e) {
                warn.accept("starting " + c.name() + " at boot: " + e.getMessage());
            }
        }
        return started;
    }

    /** After a reboot runRoot is empty: nothing runs any more, so active states become exited. */
    public void refreshAfterReboot() {
        Path marker = layout.aliveMarker();
        if (Files.exists(marker)) return;
        for (ContainerRecord r : state.containers()) {
            Container c = toContainer(r);
            if (c.status() != ContainerStatus.CONFIGURED && c.status() != ContainerStatus.EXITED) {
                try (LockManager.Held h = locks.lock(c.id())) {
                    ContainerState s = c.state().exited(c.status().isActive() ? -1 : c.state().exitCode(),
                            clock.now(), false).cleanedUp();
                    if (c.status() == ContainerStatus.REMOVING) s = s.withStatus(ContainerStatus.REMOVING);
                    save(c.id(), s);
                }
            }
        }
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "");
        } catch (IOException e) {
            warn.accept("cannot write " + marker + ": " + e.getMessage());
        }
    }
}
