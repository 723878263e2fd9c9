package io.jpod.cli;

import java.util.List;

/** `pause` and `unpause`: freeze and thaw all processes of containers. */
final class PauseCommand implements Command {
    private final boolean pause;

    PauseCommand(boolean pause) { this.pause = pause; }

    public String name() { return pause ? "pause" : "unpause"; }
    public String summary() { return pause ? "Pause all the processes in one or more containers" : "Unpause the processes in one or more containers"; }
    public List<Flag> flags() { return List.of(Flag.bool("all", 'a', pause ? "pause all running containers" : "unpause all paused containers")); }

    public int run(Cli cli, Args a) {
        if (!a.bool("all")) Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        var e = cli.engine();
        return cli.reports(pause ? e.pause(a.positionals(), a.bool("all")) : e.unpause(a.positionals(), a.bool("all")), a.bool("all"));
    }
}
