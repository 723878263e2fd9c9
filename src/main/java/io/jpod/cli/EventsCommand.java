package io.jpod.cli;

import io.jpod.core.EventLog;
import io.jpod.core.JpodException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * `events`: the event log, filtered and formatted as podman prints it; it follows new events unless --stream=false
 * (or an --until in the past) says to stop.
 */
final class EventsCommand implements Command {
    public String name() { return "events"; }
    public String summary() { return "Show podman system events"; }
    public List<Flag> flags() {
        return List.of(Flag.value("since", "show all events created since timestamp"),
                Flag.value("until", "show all events until timestamp"),
                Flag.value("filter", 'f', "filter output (container=, event=, image=, type=, label=, volume=)"),
                Flag.value("format", "format the output using a Go template or json"),
                Flag.bool("stream", "stream events and do not exit after reading the log (default true)"));
    }

    public int run(Cli cli, Args a) {
        Instant now = Instant.now();
        Instant since = LogsCommand.time(a.get("since"), "--since", now);
        Instant until = LogsCommand.time(a.get("until"), "--until", now);
        List<String> filters = a.all("filter");
        for (String f : filters) {
            String k = f.contains("=") ? f.substring(0, f.indexOf('=')) : f;
            if (!List.of("container", "event", "status", "image", "type", "label", "volume").contains(k)) {
                throw JpodException.invalid("invalid events filter \"" + f + "\": use container=, event=, image=, type=, label= or volume=");
            }
        }
        String format = a.get("format");
        boolean stream = !a.has("stream") || a.bool("stream");
        if (!stream || until != null && until.isBefore(now)) {
            for (EventLog.Event e : cli.engine().events(since, until)) if (matches(e, filters)) print(cli, e, format);
            return 0;
        }
        cli.engine().followEvents(since, until, e -> {
            if (matches(e, filters)) {
                print(cli, e, format);
                cli.flush();
            }
            return !cli.out.checkError(); // the reader went away: stop following
        });
        return 0;
    }

    static boolean matches(EventLog.Event e, List<String> filters) {
        // podman: filters of the same key are ORed, different keys ANDed
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            byKey.computeIfAbsent(eq < 0 ? f : f.substring(0, eq), k -> new ArrayList<>()).add(eq < 0 ? "" : f.substring(eq + 1));
        }
        for (var entry : byKey.entrySet()) {
            boolean any = false;
            for (String v : entry.getValue()) {
                any |= switch (entry.getKey()) {
                    case "container" -> e.type().equals("container") && (e.id().startsWith(v) || v.equals(e.name()));
                    case "event", "status" -> e.status().equals(v);
                    case "image" -> v.equals(e.image()) || e.type().equals("image") && (e.id().startsWith(v) || v.equals(e.name()));
                    case "type" -> e.type().equals(v);
                    case "volume" -> e.type().equals("volume") && e.id().equals(v);
                    case "label" -> {
                        int eq = v.indexOf('=');
                        yield eq < 0 ? e.attributes().containsKey(v) : v.substring(eq + 1).equals(e.attributes().get(v.substring(0, eq)));
                    }
                    default -> false;
                };
            }
            if (!any) return false;
        }
        return true;
    }

    static Map<String, Object> fields(EventLog.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id());
        m.put("Image", e.image() == null ? "" : e.image());
        m.put("Name", e.name() == null ? "" : e.name());
        m.put("Status", e.status());
        m.put("Time", goTime(e.time()));
        m.put("TimeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        m.put("Type", e.type());
        m.put("Attributes", new TreeMap<>(e.attributes()));
        if (e.exitCode() != null) m.put("ContainerExitCode", e.exitCode());
        return m;
    }

    /** Go's time.Time String() with nanoseconds, in UTC: "2026-12-01 08:30:00.123456789 +0000 UTC". */
    static String goTime(Instant t) {
        String base = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(t);
        String nanos = t.getNano() == 0 ? "" : "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return base + nanos + " +0000 UTC";
    }

    static void print(Cli cli, EventLog.Event e, String format) {
        if (format != null && io.jpod.cli.format.FormatPrinter.isJson(format.strip())) {
            cli.out.println(io.jpod.json.Json.write(fields(e)));
            return;
        }
        if (format != null && !format.isEmpty()) {
            String f = format.endsWith("\n") ? format : format + "\n";
            cli.out.print(io.jpod.cli.format.FormatPrinter.render(f, List.of(fields(e)), Map.of()));
            return;
        }
        StringBuilder sb = new StringBuilder(goTime(e.time())).append(' ').append(e.type()).append(' ').append(e.status())
                .append(' ').append(e.id());
        if (e.type().equals("container")) {
            List<String> attrs = new ArrayList<>();
            new TreeMap<>(e.attributes()).forEach((k, v) -> attrs.add(k + "=" + v));
            if (e.exitCode() != null) attrs.add("containerExitCode=" + e.exitCode());
            sb.append(" (").append(String.join(", ", attrs)).append(')');
        } else if (e.name() != null) {
            sb.append(' ').append(e.name());
        }
        cli.out.println(sb);
    }
}
