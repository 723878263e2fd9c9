package io.jpod.cli;

import io.jpod.core.ContainerRuntime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `diff CONTAINER`: "A", "C" and "D" lines, or podman's JSON (changed, added, deleted). */
final class DiffCommand implements Command {
    public String name() { return "diff"; }
    public String summary() { return "Display the changes to the object's file system"; }
    public List<Flag> flags() { return List.of(Flag.value("format", "change the output format (json)")); }

    public int run(Cli cli, Args a) {
        if (a.positionals().size() != 1) throw new UsageException("jpod diff takes one container: jpod diff CONTAINER");
        List<ContainerRuntime.Change> changes = cli.engine().diff(a.positionals().getFirst());
        String format = a.get("format");
        if (format != null && io.jpod.cli.format.FormatPrinter.isJson(format.strip())) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String[] k : new String[][] {{"changed", "C"}, {"added", "A"}, {"deleted", "D"}}) {
                List<String> paths = new ArrayList<>();
                for (ContainerRuntime.Change c : changes) if (c.kind().equals(k[1])) paths.add(c.path());
                if (!paths.isEmpty()) m.put(k[0], paths);
            }
            cli.out.println(io.jpod.json.Json.writePretty(m, "     "));
            return 0;
        }
        for (ContainerRuntime.Change c : changes) cli.out.println(c.kind() + " " + c.path());
        return 0;
    }
}
