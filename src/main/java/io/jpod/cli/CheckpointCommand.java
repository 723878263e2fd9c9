package io.jpod.cli;

import java.util.List;

/** `container checkpoint`: CRIU through runc; `container restore` brings it back through conmon --restore. */
final class CheckpointCommand implements Command {
    private final boolean restore;

    CheckpointCommand(boolean restore) { this.restore = restore; }

    public String name() { return restore ? "restore" : "checkpoint"; }
    public String summary() { return restore ? "Restore one or more containers from a checkpoint" : "Checkpoint one or more containers"; }
    public List<Flag> flags() {
        return restore ? List.of(Flag.bool("all", 'a', "restore all checkpointed containers"), Flag.bool("keep", 'k', "keep all temporary checkpoint files"))
                : List.of(Flag.bool("leave-running", 'R', "leave the container running after writing checkpoint to disk"),
                Flag.bool("all", 'a', "checkpoint all running containers"), Flag.bool("keep", 'k', "keep all temporary checkpoint files"));
    }

    public int run(Cli cli, Args a) {
        List<String> names = a.bool("all") ? cli.engine().list().stream()
                .filter(c -> restore != c.status().isActive()).map(c -> c.id()).toList() : a.positionals();
        if (names.isEmpty() && !a.bool("all")) throw new UsageException("you must provide at least one container name or ID");
        return cli.reports(restore ? cli.engine().restore(names) : cli.engine().checkpoint(names, a.bool("leave-running")), a.bool("all"));
    }
}
