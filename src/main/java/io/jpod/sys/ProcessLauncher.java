package io.jpod.sys;

import java.util.List;

/** Starts OS processes. Implemented with posix_spawn through FFM; tests use a recording fake. */
public interface ProcessLauncher {
    /** Spawns without waiting; returns the pid. The caller must {@link #waitFor} it. */
    int spawn(SpawnSpec spec);

    /** Blocks until the child exits; returns its exit code, or 128+signal when killed by a signal. */
    int waitFor(int pid);

    /**
     * Runs a short command to completion with stdin from /dev/null, draining stdout and stderr
     * concurrently (podman deadlocked when runc's state JSON filled one pipe while it read the other).
     */
    ExecResult run(List<String> argv, List<String> env);

    /** As {@link #run(List, List)}, with {@code stdin} fed to the command (a CNI plugin's config). */
    ExecResult run(List<String> argv, List<String> env, byte[] stdin);
}
