package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.core.ContainerStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** `ps`: lists containers with podman's columns, filters and formats. */
final class PsCommand implements Command {
    static final String DEFAULT = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "CreatedHuman", "CREATED",
            "CreatedAt", "CREATED AT", "RunningFor", "CREATED", "Names", "NAMES");

    public String name() { return "ps"; }
    public String summary() { return "List containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "show all the containers, default is only running containers"),
                Flag.bool("quiet", 'q', "print the numeric IDs of the containers only"),
                Flag.bool("latest", 'l', "act on the latest container jpod is aware of"),
                Flag.value("last", 'n', "print the n last created containers (all states)"),
                Flag.value("filter", 'f', "filter output based on conditions given"),
                Flag.bool("no-trunc", "display the extended information"),
                Flag.value("format", "pretty-print containers to JSON or using a Go template"),
                Flag.bool("size", 's', "display the total file sizes"),
                Flag.bool("noheading", "do not print headers"));
    }

    public int run(Cli cli, Args a) {
        Instant now = Instant.now();
        List<Container> all = new ArrayList<>(cli.engine().list());
        io.jpod.sys.Trace.mark("ps: listed " + all.size());
        all.sort(Comparator.comparing((Container c) -> c.config().created())); // podman lists oldest first
        Predicate<Container> keep = a.bool("all") || a.has("last") || a.bool("latest") || a.has("filter")
                ? c -> true : c -> c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED;
        for (String f : a.all("filter")) keep = keep.and(filter(f));
        List<Container> shown = all.stream().filter(keep).toList();
        if (a.bool("latest")) shown = shown.subList(Math.max(0, shown.size() - 1), shown.size());
        if (a.has("last")) shown = shown.subList(Math.max(0, shown.size() - Math.max(0, a.integer("last"))), shown.size());
        boolean noTrunc = a.bool("no-trunc");
        if (a.bool("quiet")) {
            for (Container c : shown) cli.out.println(noTrunc ? c.id() : c.id().substring(0, 12));
            return 0;
        }
        List<Views.Row> rows = shown.stream().map(c -> Views.psRow(c, noTrunc, now, cli.engine().layout())).toList();
        io.jpod.sys.Trace.mark("ps: rows built");
        String format = a.get("format");
        if (a.bool("noheading") && format == null) format = DEFAULT.substring("table ".length());
        Output.rows(cli, format, DEFAULT, rows, HEADERS, "  ");
        return 0;
    }

    static Predicate<Container> filter(String f) {
        int eq = f.indexOf('=');
        if (eq <= 0) throw new UsageException("invalid filter \"" + f + "\": use KEY=VALUE, e.g. status=exited");
        String k = f.substring(0, eq), v = f.substring(eq + 1);
        return switch (k) {
            case "id" -> c -> c.id().startsWith(v);
            case "name" -> c -> c.name().matches(".*" + v + ".*");
            case "status" -> {
                if (!List.of("created", "running", "paused", "exited", "stopped", "removing", "unknown", "configured").contains(v)) {
                    throw new UsageException("invalid status filter \"" + v + "\": use created, running, paused, exited or removing");
                }
                yield c -> c.status().word().equals(v.equals("stopped") ? "exited" : v.equals("configured") ? "created" : v);
            }
            case "label" -> {
                int e2 = v.indexOf('=');
                yield e2 < 0 ? c -> c.config().labels().containsKey(v)
                        : c -> v.substring(e2 + 1).equals(c.config().labels().get(v.substring(0, e2)));
            }
            case "exited" -> {
                int code;
                try {
                    code = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid exited filter \"" + v + "\": use an exit code number");
                }
                yield c -> (c.status() == ContainerStatus.EXITED || c.status() == ContainerStatus.STOPPED) && c.state().exitCode() == code;
            }
            case "ancestor" -> c -> c.config().image().contains(v) || c.config().imageId().startsWith(v);
            default -> throw new UsageException("invalid filter \"" + k + "\": use id, name, status, label, exited or ancestor");
        };
    }
}
