package io.jpod.oci;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The OCI runtime, driven through conmon. It returns observations (pids, exit codes, runtime state) and never
 * mutates a container: only core does, under the container's lock. Stop is not a verb here; core builds it
 * from kill, wait and a clock.
 */
public interface OciRuntime {
    String name();

    /** Creates the container through conmon and returns once the runtime has created it. */
    Created create(CreateRequest request);

    record Created(int pid, int conmonPid) {}

    void start(String id);

    void kill(String id, int signal, boolean all);

    void delete(String id, boolean force);

    void pause(String id);

    void resume(String id);

    RuntimeStatus state(String id);

    /** The exit code conmon recorded, if the container has exited. */
    OptionalInt exitCode(String id);

    /** The exit file's path, whose modification time is the finish time. */
    Path exitFile(String id);

    void removeExitFile(String id);

    /**
     * Starts an exec session through conmon and returns once its process runs. With {@code request.attach()},
     * {@code beforeStart} gets the session's attach socket as soon as conmon listens on it, and the process starts
     * only after it returns, so no output is lost. A process that cannot start throws
     * {@link ConmonRuntime.ExecFailedException} (podman's 126/127).
     */
    ExecProcess exec(ExecRequest request, java.util.function.Consumer<Path> beforeStart);

    /** A started exec session. Closing it lets the session run on unwatched (detached). */
    interface ExecProcess extends AutoCloseable {
        int pid();

        /** Blocks until the process exits and returns its exit code (128+N for signal N), as conmon reports it. */
        int waitExit();

        @Override
        void close();
    }

    /** The exit code conmon recorded for an exec session, if it has ended. */
    OptionalInt execExitCode(Path execDir, String containerId);

    /** CRIU through the runtime; tcpEstablished checkpoints open TCP connections too. */
    void checkpoint(String id, Path imagePath, Path workPath, boolean leaveRunning, boolean tcpEstablished);

    /** Whether checkpointing can work here; empty when it can, otherwise the reason. */
    java.util.Optional<String> checkpointUnsupportedReason();

    /** The attach socket conmon serves for a created container. */
    Path attachSocket(String id);
}
