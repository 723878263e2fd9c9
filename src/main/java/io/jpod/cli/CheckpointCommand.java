package io.jpod.cli;

import io.jpod.core.ContainerRuntime;

import java.nio.file.Path;
import java.util.List;

/**
 * `container checkpoint`: CRIU through runc (--leave-running, --tcp-established, --keep, --export FILE);
 * `container restore` brings it back through conmon --restore, or a new container from --import FILE (--name).
 */
final class CheckpointCommand implements Command {
    private final boolean restore;

    CheckpointCommand(boolean restore) { this.restore = restore; }

    public String name() { return restore ? "restore" : "checkpoint"; }
    public String summary() { return restore ? "Restore one or more containers from a checkpoint" : "Checkpoint one or more containers"; }
    public List<Flag> flags() {
        return restore ? List.of(Flag.bool("all", 'a', "restore all checkpointed containers"),
                Flag.bool("keep", 'k', "keep all temporary checkpoint files"),
                Flag.value("import", 'i', "restore from exported checkpoint archive (tar.gz)"),
                Flag.value("name", 'n', "specify new name for container restored from exported checkpoint (only works with --import)"))
                : List.of(Flag.bool("leave-running", 'R', "leave the container running after writing checkpoint to disk"),
                Flag.bool("all", 'a', "checkpoint all running containers"), Flag.bool("keep", 'k', "keep all temporary checkpoint files"),
                Flag.value("export", 'e', "export the checkpoint image to a tar.gz"),
                Flag.bool("tcp-established", "checkpoint a container with established TCP connections"));
    }

    public int run(Cli cli, Args a) {
        if (restore && a.has("name") && !a.has("import")) throw new UsageException("--name can only be used with --import");
        if (restore && a.has("import")) {
            if (!a.positionals().isEmpty() || a.bool("all")) {
                throw new UsageException("--import restores one new container from the archive: give no container names");
            }
            cli.out.println(cli.engine().restoreImport(Path.of(a.get("import")), a.get("name"), a.bool("keep")).id());
            return 0;
        }
        List<String> names = a.bool("all") ? cli.engine().list().stream()
                .filter(c -> restore != c.status().isActive()).map(c -> c.id()).toList() : a.positionals();
        if (names.isEmpty() && !a.bool("all")) throw new UsageException("you must provide at least one container name or ID");
        if (!restore && a.has("export") && names.size() > 1) throw new UsageException("--export works with one container only");
        if (restore) return cli.reports(cli.engine().restore(names, a.bool("keep")), a.bool("all"));
        var o = new ContainerRuntime.CheckpointOptions(a.bool("leave-running"), a.bool("tcp-established"), a.bool("keep"),
                a.has("export") ? Path.of(a.get("export")).toAbsolutePath() : null);
        return cli.reports(cli.engine().checkpoint(names, o), a.bool("all"));
    }
}
