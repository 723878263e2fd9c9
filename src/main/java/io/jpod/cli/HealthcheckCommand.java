package io.jpod.cli;

import io.jpod.core.HealthState;
import io.jpod.engine.ContainerEngine;

import java.util.List;

/**
 * `healthcheck run`: runs a container's healthcheck now. Exit 0 when it passes, 1 (printing "unhealthy") when it
 * fails, as podman. --timer is the container's check loop calling: it exits 3 when the loop should end.
 */
final class HealthcheckCommand implements Command {
    public String name() { return "healthcheck-run"; }
    public String summary() { return "Run the health check of a container"; }
    public List<Flag> flags() { return List.of(Flag.bool("timer", "run from the container's healthcheck loop (internal)")); }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "healthcheck run requires the name or ID of a container");
        HealthState h;
        try {
            h = cli.engine().healthcheckRun(a.positionals().getFirst(), a.bool("timer"));
        } catch (ContainerEngine.HealthLoopEnd e) {
            return 3;
        }
        boolean passed = !h.log().isEmpty() && h.log().getLast().exitCode() == 0;
        if (passed) return 0;
        cli.out.println(HealthState.UNHEALTHY);
        return 1;
    }
}
