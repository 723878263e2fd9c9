package io.jpod.oci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One exec session to start through conmon, as podman runs them: the process spec (JSON, the container's own
 * process with the session's args, env, user, cwd and terminal) and the session's directory, which holds conmon's
 * files: the spec, the pid file, the log, the exit dir, the ctl/winsz FIFOs and the attach socket.
 * {@code attach}: conmon waits for the caller to connect to the attach socket before the process starts.
 */
public record ExecRequest(String containerId, String containerName, String sessionId, Path execDir,
                          String processJson, boolean tty, boolean stdin, boolean attach, long logSizeMax,
                          java.util.List<String> exitCommand) {
    public ExecRequest {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(execDir, "execDir");
        Objects.requireNonNull(processJson, "processJson");
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("must provide a session ID for exec");
        }
        containerName = containerName == null ? containerId : containerName;
        exitCommand = exitCommand == null ? java.util.List.of() : java.util.List.copyOf(exitCommand);
    }

    public Path processFile() { return execDir.resolve("process.json"); }

    public Path pidFile() { return pidFile(execDir); }

    public Path conmonPidFile() { return conmonPidFile(execDir); }

    public Path logPath() { return execDir.resolve("exec_log"); }

    public Path exitDir() { return execDir.resolve("exit"); }

    /** conmon names the exit file after the container (-c), so each session has its own exit dir. */
    public static Path exitFile(Path execDir, String containerId) { return execDir.resolve("exit").resolve(containerId); }

    public static Path pidFile(Path execDir) { return execDir.resolve("exec_pid"); }

    public static Path conmonPidFile(Path execDir) { return execDir.resolve("conmon.pid"); }

    /** conmon's control FIFO for this session: "1 ROWS COLS" resizes its terminal. */
    public static Path ctlFifo(Path execDir) { return execDir.resolve("ctl"); }
}
