package io.jpod.cli;

import java.util.List;

/** `stop`: the stop signal, then SIGKILL after the timeout; prints each name as given. */
final class StopCommand implements Command {
    public String name() { return "stop"; }
    public String summary() { return "Stop one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "stop all running containers"),
                Flag.value("time", 't', "seconds to wait for stop before killing the container"),
                Flag.bool("ignore", 'i', "ignore errors when a specified container is missing"));
    }

    public int run(Cli cli, Args a) {
        if (!a.bool("all")) Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        Integer t = a.integer("time");
        if (t != null && t < 0) throw new UsageException("invalid --time " + t + ": use 0 or more seconds");
        var reports = cli.engine().stop(a.positionals(), a.bool("all"), t);
        if (a.bool("ignore")) reports = reports.stream().filter(r -> r.succeeded()
                || r.error().code() != io.jpod.core.ErrorCode.NOT_FOUND).toList();
        return cli.reports(reports, a.bool("all"));
    }
}
