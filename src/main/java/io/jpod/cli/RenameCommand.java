package io.jpod.cli;

import java.util.List;

/** `rename CONTAINER NAME`. Prints nothing, as podman. */
final class RenameCommand implements Command {
    public String name() { return "rename"; }
    public String summary() { return "Rename an existing container"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        if (a.positionals().size() != 2) throw new UsageException("accepts 2 arg(s), received " + a.positionals().size() + ": jpod rename CONTAINER NEW_NAME");
        cli.engine().rename(a.positionals().get(0), a.positionals().get(1));
        return 0;
    }
}
