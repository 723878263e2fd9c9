package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.image.Image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `images`: local images with podman's columns. */
final class ImagesCommand implements Command {
    static final String DEFAULT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT");

    public String name() { return "images"; }
    public String summary() { return "List images in local storage"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "show all images"), Flag.bool("quiet", 'q', "display only image IDs"),
                Flag.bool("no-trunc", "do not truncate output"), Flag.value("format", "change the output format"),
                Flag.bool("noheading", 'n', "do not print column headings"), Flag.bool("digests", "show digests"),
                Flag.value("filter", 'f', "filter output based on conditions provided"));
    }

    public int run(Cli cli, Args a) {
        Instant now = Instant.now();
        List<Image> images = cli.engine().images();
        List<Container> containers = cli.engine().list();
        boolean noTrunc = a.bool("no-trunc");
        String ref = a.positionals().isEmpty() ? null : a.positionals().getFirst();
        if (a.bool("quiet")) {
            for (Image i : images) {
                if (ref != null && i.names().stream().noneMatch(n -> n.contains(ref))) continue;
                cli.out.println(noTrunc ? "sha256:" + i.id() : i.id().substring(0, 12));
            }
            return 0;
        }
        List<Views.Row> rows = new ArrayList<>();
        for (Image i : images) {
            if (ref != null && i.names().stream().noneMatch(n -> n.contains(ref))) continue;
            int users = (int) containers.stream().filter(c -> c.config().imageId().equals(i.id())).count();
            rows.addAll(Views.imageRows(i, noTrunc, now, users));
        }
        String format = a.get("format");
        if (a.bool("noheading") && format == null) format = DEFAULT.substring("table ".length());
        Output.rows(cli, format, DEFAULT, rows, HEADERS, "    ");
        return 0;
    }
}
