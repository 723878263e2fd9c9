package io.jpod.cli;

import io.jpod.core.TopTable;
import io.jpod.engine.ExecOptions;
import io.jpod.engine.Streams;

import java.util.ArrayList;
import java.util.List;

/**
 * `top`: the container's processes with podman's descriptors (user pid ppid pcpu etime tty time args by default).
 * Arguments that are not descriptors (ps options like -eo pid,comm) run ps(1) inside the container, as podman does.
 */
final class TopCommand implements Command {
    public String name() { return "top"; }
    public String summary() { return "Display the running processes of a container"; }
    public List<Flag> flags() { return List.of(Flag.bool("latest", 'l', "act on the latest container")); }
    public int stopAfterPositionals() { return 1; }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "you must provide the name or ID of a running container");
        String name = a.positionals().getFirst();
        List<String> rest = a.positionals().subList(1, a.positionals().size());
        List<String> descriptors = new ArrayList<>();
        for (String r : rest) for (String d : r.split(",")) if (!d.isBlank()) descriptors.add(d.strip());
        if (descriptors.isEmpty()) descriptors = TopTable.DEFAULT;
        if (!descriptors.stream().allMatch(TopTable::known)) {
            List<String> ps = new ArrayList<>(List.of("ps"));
            ps.addAll(rest);
            cli.flush();
            return cli.engine().exec(name, new ExecOptions(ps, List.of(), null, null, false, false, false, false, null),
                    Streams.system());
        }
        TopTable t = cli.engine().top(name, descriptors);
        List<List<String>> lines = new ArrayList<>();
        lines.add(t.headers());
        lines.addAll(t.rows());
        cli.out.print(tabwrite(lines, 12, 2));
        return 0;
    }

    /** Go's tabwriter as podman sets it up: each column but the last padded to max(minWidth, widest + padding). */
    static String tabwrite(List<List<String>> lines, int minWidth, int padding) {
        int cols = lines.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size() - 1; i++) width[i] = Math.max(width[i], Math.max(minWidth, l.get(i).length() + padding));
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                String cell = l.get(i);
                sb.append(cell);
                if (i < l.size() - 1) sb.append(" ".repeat(width[i] - cell.length()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
