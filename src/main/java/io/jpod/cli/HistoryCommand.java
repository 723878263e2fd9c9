package io.jpod.cli;

import io.jpod.image.Image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `history IMAGE`: the image config's history, newest first, with each step's layer size. */
final class HistoryCommand implements Command {
    static final String DEFAULT = "table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("CreatedBy", "CREATED BY");

    public String name() { return "history"; }
    public String summary() { return "Show history of a specified image"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("no-trunc", "do not truncate the output"), Flag.bool("quiet", 'q', "display the numeric IDs only"),
                Flag.value("format", "change the output to JSON or a Go template"),
                Flag.bool("human", 'H', "display sizes and dates in human readable format (default true)"),
                Flag.bool("noheading", "do not print column headings"));
    }

    public int run(Cli cli, Args a) {
        if (a.positionals().size() != 1) throw new UsageException("jpod history takes one image: jpod history IMAGE");
        Image img = cli.engine().inspectImage(a.positionals().getFirst());
        boolean noTrunc = a.bool("no-trunc");
        boolean human = !a.has("human") || a.bool("human");
        Instant now = Instant.now();
        List<Views.Row> rows = rows(img, noTrunc, human, now);
        if (a.bool("quiet")) {
            for (Views.Row r : rows) cli.out.println(r.fields().get("ID"));
            return 0;
        }
        String format = a.get("format");
        if (format != null && io.jpod.cli.format.FormatPrinter.isJson(format.strip())) {
            // podman prints history JSON on one line, with HTML-safe escapes
            String json = io.jpod.json.Json.write(rows.stream().map(Views.Row::json).toList());
            cli.out.println(json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
            return 0;
        }
        if (a.bool("noheading") && format == null) format = DEFAULT.substring("table ".length());
        Output.rows(cli, format, DEFAULT, rows, HEADERS, "    ");
        return 0;
    }

    static List<Views.Row> rows(Image img, boolean noTrunc, boolean human, Instant now) {
        List<Map<String, Object>> history = img.history();
        List<String> diffIds = img.diffIds();
        List<Views.Row> out = new ArrayList<>();
        int layer = 0;
        List<Object[]> steps = new ArrayList<>(); // created, createdBy, size, comment
        if (history.isEmpty()) {
            for (String d : diffIds) steps.add(new Object[] {img.created(), "", img.layerSizes().getOrDefault(d, 0L), ""});
        } else {
            for (Map<String, Object> h : history) {
                boolean empty = Boolean.TRUE.equals(h.get("empty_layer"));
                long size = 0;
                if (!empty && layer < diffIds.size()) size = img.layerSizes().getOrDefault(diffIds.get(layer++), 0L);
                Instant created = h.get("created") instanceof String s ? parse(s, img.created()) : img.created();
                steps.add(new Object[] {created, str(h.get("created_by")), size, str(h.get("comment"))});
            }
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            Object[] s = steps.get(i);
            boolean top = i == steps.size() - 1;
            String id = top ? (noTrunc ? img.id() : img.id().substring(0, 12)) : "<missing>";
            Instant created = (Instant) s[0];
            String by = (String) s[1];
            String shownBy = !noTrunc && by.length() > 45 ? by.substring(0, 42) + "..." : by;
            long size = (Long) s[2];
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("ID", id);
            t.put("Created", human ? HumanTime.ago(created, now) : created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            t.put("CreatedBy", shownBy);
            t.put("Size", human ? Views.humanSize(size) : Long.toString(size));
            t.put("Comment", s[3]);
            t.put("Tags", List.of());
            t.put("CreatedAt", Views.goTime(created));
            t.put("CreatedSince", HumanTime.ago(created, now));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", top ? img.id() : "<missing>");
            json.put("created", created.toString());
            json.put("CreatedBy", by);
            json.put("size", size);
            json.put("comment", s[3]);
            json.put("Created", created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            out.add(new Views.Row(t, json));
        }
        return out;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static Instant parse(String s, Instant fallback) {
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }
}
