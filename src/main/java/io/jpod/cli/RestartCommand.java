package io.jpod.cli;

import java.util.List;

/** `restart`: stop then start. */
final class RestartCommand implements Command {
    public String name() { return "restart"; }
    public String summary() { return "Restart one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "restart all non-running containers"),
                Flag.value("time", 't', "seconds to wait for stop before killing the container"));
    }

    public int run(Cli cli, Args a) {
        if (!a.bool("all")) Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        return cli.reports(cli.engine().restart(a.positionals(), a.bool("all"), a.integer("time")), a.bool("all"));
    }
}
