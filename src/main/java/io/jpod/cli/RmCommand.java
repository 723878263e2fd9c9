package io.jpod.cli;

import java.util.List;

/** `rm`: removes containers; -f kills running ones first. */
final class RmCommand implements Command {
    public String name() { return "rm"; }
    public String summary() { return "Remove one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "remove all containers"),
                Flag.bool("force", 'f', "force removal of a running or unusable container"),
                Flag.bool("volumes", 'v', "remove anonymous volumes associated with the container"),
                Flag.bool("ignore", 'i', "ignore errors when a specified container is missing"),
                Flag.value("time", 't', "seconds to wait for stop before killing the container"));
    }

    public int run(Cli cli, Args a) {
        if (!a.bool("all")) Cli.requireArgs(a, 1, "you must provide at least one container name or ID");
        List<String> names = a.bool("all") ? cli.engine().list().stream().map(c -> c.id()).toList() : a.positionals();
        var reports = cli.engine().remove(names, a.bool("force"), a.bool("volumes"));
        if (a.bool("ignore")) reports = reports.stream().filter(r -> r.succeeded()
                || r.error().code() != io.jpod.core.ErrorCode.NOT_FOUND).toList();
        int code = cli.reports(reports, a.bool("all"));
        return code == 0 ? 0 : exitCode(reports);
    }

    /** podman rm's documented codes: 1 when a container did not exist, 2 when one was running, else 125. */
    static int exitCode(List<io.jpod.engine.Report> reports) {
        boolean missing = false, running = false, other = false;
        for (var r : reports) {
            if (r.succeeded()) continue;
            switch (r.error().code()) {
                case NOT_FOUND -> missing = true;
                case INVALID_STATE -> running = true;
                default -> other = true;
            }
        }
        return other ? 125 : running ? 2 : missing ? 1 : 0;
    }
}
