package io.jpod.cli;

import java.util.List;

/** `wait`: blocks until containers exit and prints their exit codes. */
final class WaitCommand implements Command {
    public String name() { return "wait"; }
    public String summary() { return "Block on one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.value("condition", "condition to wait on: running, paused, stopped, exited, healthy, unhealthy, ... (default stopped)"),
                Flag.value("interval", 'i', "time interval to wait before polling for completion"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        java.util.Set<String> conds = new java.util.LinkedHashSet<>(a.all("condition"));
        java.time.Duration interval = java.time.Duration.ofMillis(250);
        if (a.has("interval")) interval = io.jpod.core.HealthConfig.parseDuration("--interval",
                a.get("interval").matches("\\d+") ? a.get("interval") + "ms" : a.get("interval"));
        return cli.reports(cli.engine().waitFor(a.positionals(), conds, interval), true);
    }
}
