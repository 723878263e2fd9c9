package io.jpod.cli;

import java.util.List;

/** `container cleanup`: what conmon's exit command runs when a detached --rm container exits. */
final class CleanupCommand implements Command {
    public String name() { return "cleanup"; }
    public String summary() { return "Clean up network and mountpoints of one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("rm", "after cleanup, remove the container entirely"),
                Flag.bool("all", 'a', "clean up all containers"), Flag.value("exec", "clean up the given exec session"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        if (a.get("exec") != null) {
            for (String n : a.positionals()) cli.engine().cleanupExec(n, a.get("exec"));
            return 0;
        }
        for (String n : a.positionals()) cli.engine().cleanup(n, a.bool("rm"));
        return 0;
    }
}
