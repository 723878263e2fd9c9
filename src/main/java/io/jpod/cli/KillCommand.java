package io.jpod.cli;

import io.jpod.core.Signals;

import java.util.List;

/** `kill`: sends a signal (SIGKILL by default) to containers' main processes. */
final class KillCommand implements Command {
    public String name() { return "kill"; }
    public String summary() { return "Kill one or more running containers with a specific signal"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "signal all running containers"),
                Flag.value("signal", 's', "signal to send to the container (default KILL)"));
    }

    public int run(Cli cli, Args a) {
        int sig = Signals.parse(a.get("signal", "KILL"));
        if (!a.bool("all")) Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        return cli.reports(cli.engine().kill(a.positionals(), a.bool("all"), sig), a.bool("all"));
    }
}
