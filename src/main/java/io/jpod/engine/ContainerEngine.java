package io.jpod.engine;

import io.jpod.core.Container;
import io.jpod.core.LogReader;
import io.jpod.image.Image;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * jpod's contract, shared by the CLI, the REST API and Java programs. Batch verbs return a report per item
 * and never fail the whole call for one bad name. Errors are {@link io.jpod.core.JpodException}s with a code.
 *
 * <pre>{@code
 * try (ContainerEngine engine = LocalEngine.open(EngineConfig.defaults())) {
 *     Container c = engine.create(CreateOptions.builder("localhost/busybox").command("echo", "hi").build());
 *     int code = engine.startAttached(c.id(), Streams.system());
 *     engine.remove(List.of(c.id()), false);
 * }
 * }</pre>
 */
public interface ContainerEngine extends AutoCloseable {
    Container create(CreateOptions options);

    /** run: create, start attached to the streams, wait, and (with autoRemove) remove; returns the exit code. */
    int run(CreateOptions options, Streams streams);

    /** run -d: create and start; returns the running container. */
    Container runDetached(CreateOptions options);

    List<Report> start(List<String> namesOrIds);

    /** Starts one container attached to the streams; returns its exit code. */
    default int startAttached(String nameOrId, Streams streams) {
        return startAttached(nameOrId, null, streams);
    }

    /** start -a: starts the container attached as {@code options} say (null: its own stdin setting, podman's keys). */
    int startAttached(String nameOrId, AttachOptions options, Streams streams);

    /**
     * As {@link #startAttached(String, AttachOptions, Streams)}, telling {@code started} once the container runs
     * (the REST API answers the start call then, while the attach that came first streams on).
     */
    int startAttached(String nameOrId, AttachOptions options, Streams streams, java.util.function.Consumer<Container> started);

    /**
     * attach: joins a running container's output (and stdin, when it was created with -i and options allow) until
     * it exits, returning its exit code, or until the detach keys, returning 0 while it runs on.
     */
    int attach(String nameOrId, AttachOptions options, Streams streams);

    List<Report> stop(List<String> namesOrIds, boolean all, Integer timeoutSeconds);

    List<Report> kill(List<String> namesOrIds, boolean all, int signal);

    List<Report> remove(List<String> namesOrIds, boolean force);

    /** rm -v: also removes the containers' anonymous volumes (--rm containers always do). */
    List<Report> remove(List<String> namesOrIds, boolean force, boolean volumes);

    /** Creates a local volume; a null name makes an anonymous one. */
    io.jpod.volume.Volume createVolume(String name, java.util.Map<String, String> labels, java.util.Map<String, String> options);

    List<io.jpod.volume.Volume> volumes();

    io.jpod.volume.Volume inspectVolume(String name);

    /** Removes volumes; one in use only with force, which removes its containers first. */
    List<Report> removeVolumes(List<String> names, boolean force);

    /** Removes every volume no container uses; returns their names. */
    List<String> pruneVolumes();

    boolean volumeExists(String name);

    /** IDs of the containers that mount a volume. */
    List<String> volumeUsers(String name);

    List<Report> removeAll(boolean force);

    List<Report> pause(List<String> namesOrIds, boolean all);

    List<Report> unpause(List<String> namesOrIds, boolean all);

    List<Report> restart(List<String> namesOrIds, boolean all, Integer timeoutSeconds);

    /** Waits for each container to exit; the report's id carries the exit code as text. */
    List<Report> waitFor(List<String> namesOrIds);

    /** podman's wait conditions: the states, and healthy / unhealthy. */
    java.util.Set<String> WAIT_CONDITIONS = java.util.Set.of("configured", "created", "exited", "healthy", "initialized",
            "paused", "removing", "running", "stopped", "stopping", "unhealthy");

    /**
     * wait --condition: blocks until each container meets one of the conditions; reports the exit code for
     * stopped/exited and -1 for the others, as podman. The interval is how often the state is looked at.
     */
    List<Report> waitFor(List<String> namesOrIds, java.util.Set<String> conditions, Duration interval);

    Container inspect(String nameOrId);

    List<Container> list();

    /** top: the container's processes with podman's descriptors (see {@link io.jpod.core.TopTable#DEFAULT}). */
    io.jpod.core.TopTable top(String nameOrId, List<String> descriptors);

    /** One reading of a running container's resource use; {@code at} is when it was taken. */
    record StatsSample(Container container, io.jpod.core.ProcFs.Usage usage, java.time.Instant at) {}

    /** stats: a reading of each named container (all running ones when names is empty); absent ones are errors. */
    List<StatsSample> stats(List<String> namesOrIds);

    Container rename(String nameOrId, String newName);

    /** Runs a command in a running container; returns its exit code (126/127 when it cannot be run). */
    int exec(String nameOrId, ExecOptions options, Streams streams);

    /**
     * As {@link #exec(String, ExecOptions, Streams)}, with the terminal's size at start ({rows, cols}, or null) and
     * the session's handle once its process runs: the REST API resizes it and reports it.
     */
    int exec(String nameOrId, ExecOptions options, Streams streams, int[] consoleSize, java.util.function.Consumer<ExecSession> started);

    /** A running exec session: its ID, and resize for its terminal (nothing without one). */
    interface ExecSession {
        String id();

        void resize(int rows, int cols);
    }

    /** exec --detach: starts the command and returns its exec session ID at once. */
    String execDetached(String nameOrId, ExecOptions options);

    void logs(String nameOrId, LogReader.Options options, OutputStream out, OutputStream err);

    /** system boot: after a reboot, starts the containers whose restart policy says so (always, unless-stopped). */
    List<Container> boot();

    /**
     * healthcheck run: runs the container's healthcheck now and records the result; the new health. {@code timer}
     * marks a run from the container's check loop.
     */
    io.jpod.core.HealthState healthcheckRun(String nameOrId, boolean timer);

    /** Thrown to a timer's healthcheck run when its container is gone or stopped: the loop ends. */
    final class HealthLoopEnd extends RuntimeException {
        public HealthLoopEnd() {
            super("the container is not running: its healthcheck loop ends", null, false, false);
        }
    }

    /** `container cleanup --exec`: a detached exec session ended (conmon's exit command): forget it, record exec_died. */
    void cleanupExec(String nameOrId, String sessionId);

    /** `container cleanup`: tidy up an exited container, removing it when asked (conmon's exit command). */
    void cleanup(String nameOrId, boolean remove);

    Image importImage(InputStream tarball, String name, List<String> changes);

    /** import from a file: an uncompressed tarball is unpacked file to file in the kernel, the fastest way. */
    Image importImage(java.nio.file.Path file, String name, List<String> changes);

    List<Image> images();

    /**
     * Pulls an image (short names resolved through registries.conf); progress gets podman's lines. With allTags,
     * every tag of the repository; returns what was pulled.
     */
    List<Image> pull(String reference, RegistryOptions options, boolean allTags, io.jpod.image.Progress progress);

    /** The image a container would use, pulled first as the policy says; progress as for pull. */
    Image ensureImage(String reference, PullPolicy policy, RegistryOptions options, io.jpod.image.Progress progress);

    /** Pushes a local image to dest (null: its own name); returns the manifest digest pushed. */
    String push(String source, String dest, RegistryOptions options, java.util.function.Consumer<String> progress);

    /**
     * Writes images to an archive: format docker-archive (default), oci-archive; progress gets podman's lines.
     * Each image is recorded under the name it was asked by (its ID records no name).
     */
    void save(List<String> images, String format, OutputStream out, java.util.function.Consumer<String> progress);

    /** save --format oci-dir: an OCI image layout in a new directory. */
    void saveDir(List<String> images, java.nio.file.Path dir, java.util.function.Consumer<String> progress);

    /** Loads the images of a docker-archive or OCI archive; returns the names loaded ("sha256:ID" for an unnamed one). */
    List<String> load(InputStream archive, java.util.function.Consumer<String> progress);

    /** load from an OCI layout directory. */
    List<String> loadDir(java.nio.file.Path dir, java.util.function.Consumer<String> progress);

    /**
     * cp CONTAINER:SRC HOSTDEST: into HOSTDEST if it is a directory, else as HOSTDEST; SRC ending in "/." copies the
     * directory's contents. Symlinks in the container are resolved inside it, never on the host.
     */
    void copyFromContainer(String container, String src, java.nio.file.Path hostDest, boolean archive);

    /** cp CONTAINER:SRC -: SRC as a tar stream. */
    void copyFromContainer(String container, String src, OutputStream tar);

    /** cp HOSTSRC CONTAINER:DEST, with docker's rules as above; archive keeps the host's owners (else 0:0). */
    void copyToContainer(String container, java.nio.file.Path hostSrc, String dest, boolean archive);

    /** cp - CONTAINER:DEST: a tar stream extracted into the directory DEST. */
    void copyToContainer(String container, InputStream tar, String dest);

    /** A container's changes against its image: "A", "C" or "D" and the path. */
    List<io.jpod.core.ContainerRuntime.Change> diff(String nameOrId);

    /** Mounts a container's root filesystem (if it is not) and returns where. */
    java.nio.file.Path mount(String nameOrId);

    /** Unmounts a stopped container's root filesystem. */
    void unmount(String nameOrId);

    /** Events in [since, until] (nulls: unbounded), oldest first. */
    List<io.jpod.core.EventLog.Event> events(java.time.Instant since, java.time.Instant until);

    /**
     * Follows the event log: events since {@code since} (null: only new ones), then new ones as they come, until
     * {@code until} passes (null: for ever) or the sink returns false.
     */
    void followEvents(java.time.Instant since, java.time.Instant until, java.util.function.Predicate<io.jpod.core.EventLog.Event> sink);

    /** A container's root filesystem as a tar. */
    void export(String nameOrId, OutputStream out);

    /** Checks the credentials against the registry, then stores them in the auth file; returns the file. */
    java.nio.file.Path login(String registry, String username, String password, RegistryOptions options);

    /** Removes stored credentials for a registry (all of them when registry is null); false if there were none. */
    boolean logout(String registry, RegistryOptions options);

    Image inspectImage(String nameOrId);

    List<Report> removeImages(List<String> namesOrIds, boolean force);

    void tagImage(String nameOrId, String newName);

    /** Removes the given names from an image, or all its names when none are given; the image stays. */
    void untagImage(String nameOrId, List<String> names);

    /** Removes dangling images (all unused ones with all) not used by containers; returns their IDs. */
    List<String> pruneImages(boolean all);

    /** Facts for `info`: paths, versions of runc and conmon, counts. */
    java.util.Map<String, Object> info();

    /** Checkpoints running containers with CRIU; without leaveRunning they end up exited. */
    List<Report> checkpoint(List<String> namesOrIds, io.jpod.core.ContainerRuntime.CheckpointOptions options);

    /** Restores checkpointed containers. */
    List<Report> restore(List<String> namesOrIds, boolean keep);

    /** restore --import: a new container (named, or under its old name) from an exported checkpoint, running. */
    Container restoreImport(java.nio.file.Path archive, String name, boolean keep);

    boolean containerExists(String nameOrId);

    boolean imageExists(String nameOrId);

    /** Where this engine keeps containers' files (inspect shows the paths). */
    io.jpod.core.Layout layout();

    /** network create: a bridge network (subnet null: the first free /24 from 10.90.0.0). */
    io.jpod.network.Network networkCreate(String name, String subnet, String gateway, String ipRange, boolean internal, Map<String, String> labels,
                                          boolean dns);

    /** network ls: every network, the default one first (made on first use). */
    List<io.jpod.network.Network> networks();

    io.jpod.network.Network network(String nameOrId);

    boolean networkExists(String nameOrId);

    /** network rm: refuses a network containers use unless force, which removes those containers first. */
    List<Report> networkRemove(List<String> namesOrIds, boolean force);

    /** network prune: removes the networks no container uses (never the default); their names. */
    List<String> networkPrune();

    /** A running container's address on its bridge network; null without one. */
    String address(Container c);

    /** Resizes a running container's terminal (conmon's ctl FIFO); a container without a TTY or conmon: nothing. */
    void resize(String nameOrId, int rows, int cols);

    /** What a path in a container is (cp and the archive API ask before they copy); NOT_FOUND when missing. */
    record PathStat(String name, long size, int mode, boolean directory, boolean symlink, java.time.Instant modified, String linkTarget) {}

    PathStat stat(String container, String path);

    /** A running container's interfaces on its networks, eth0 first; empty without any. */
    List<io.jpod.core.ContainerNetworking.Endpoint> endpoints(Container c);

    /** network connect: joins a container to a network (at once when it runs); ip and mac may be empty. */
    void networkConnect(String network, String container, String ip, String mac, List<String> aliases);

    /** network disconnect: takes a container off a network (at once when it runs). */
    void networkDisconnect(String network, String container);

    /** network reload: puts back the firewall rules of the networks running containers use (after a flush). */
    List<Report> networkReload(List<String> containers, boolean all);

    @Override
    void close();
}
