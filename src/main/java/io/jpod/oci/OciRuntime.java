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

    /** Runs a process in the container; returns its exit code (detached: 0 once started, pid in the pid file). */
    int exec(ExecRequest request);

    void checkpoint(String id, Path imagePath, Path workPath, boolean leaveRunning);

    /** Whether checkpointing can work here; empty when it can, otherwise the reason. */
    java.util.Optional<String> checkpointUnsupportedReason();

    /** The attach socket conmon serves for a created container. */
    Path attachSocket(String id);
}
