package io.jpod.engine;

import java.util.List;

/** What `exec` takes. A command is required. */
public record ExecOptions(List<String> command, List<String> env, String user, String workDir, boolean interactive,
                          boolean tty, boolean detach, boolean privileged, DetachKeys detachKeys) {
    public ExecOptions {
        detachKeys = detachKeys == null ? DetachKeys.defaults() : detachKeys;
        command = List.copyOf(command);
        env = List.copyOf(env);
    }
}
