package io.jpod.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One process to run inside a container, as the seed's execContainer takes it: a command and a session ID are
 * required. stdin/stdout/stderr are the caller's fds handed to the process (-1 for /dev/null).
 */
public record ExecRequest(String containerId, String sessionId, List<String> command, String cwd, List<String> env,
                          String user, boolean tty, boolean noNewPrivileges, List<String> capabilities,
                          Path pidFile, boolean detach, int stdinFd, int stdoutFd, int stderrFd) {
    public ExecRequest {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("must provide a command to execute");
        }
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("must provide a session ID for exec");
        }
        Objects.requireNonNull(containerId, "containerId");
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
