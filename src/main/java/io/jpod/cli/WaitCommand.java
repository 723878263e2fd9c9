package io.jpod.cli;

import java.util.List;

/** `wait`: blocks until containers exit and prints their exit codes. */
final class WaitCommand implements Command {
    public String name() { return "wait"; }
    public String summary() { return "Block on one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.value("condition", "condition to wait on (stopped)"),
                Flag.value("interval", 'i', "time interval to wait before polling for completion"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        String cond = a.get("condition", "stopped");
        if (!cond.equals("stopped") && !cond.equals("exited")) {
            throw new UsageException("unsupported wait condition \"" + cond + "\": use stopped");
        }
        return cli.reports(cli.engine().waitFor(a.positionals()), true);
    }
}
