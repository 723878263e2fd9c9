package io.jpod.cli;

import io.jpod.core.LogReader;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** `logs`: the container's output from conmon's k8s-file log. */
final class LogsCommand implements Command {
    public String name() { return "logs"; }
    public String summary() { return "Fetch the logs of one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("follow", 'f', "follow log output"),
                Flag.value("tail", "output the specified number of lines at the end of the logs (-1 for all)"),
                Flag.value("since", "show logs since TIMESTAMP or relative duration (10m)"),
                Flag.value("until", "show logs until TIMESTAMP or relative duration"),
                Flag.bool("timestamps", 't', "output the timestamps in the log"),
                Flag.bool("names", 'n', "output the container name in the log"),
                Flag.bool("latest", 'l', "act on the latest container"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "jpod logs requires at least one argument: give a container name or ID");
        int tail = a.has("tail") ? a.integer("tail") : -1;
        Instant now = Instant.now();
        LogReader.Options o = new LogReader.Options(a.bool("follow"), tail, time(a.get("since"), "--since", now),
                time(a.get("until"), "--until", now), a.bool("timestamps"));
        cli.flush();
        OutputStream out = new FileOutputStream(FileDescriptor.out); // LogReader buffers and flushes per read
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        for (String n : a.positionals()) cli.engine().logs(n, o, out, err);
        return 0;
    }

    /** RFC 3339 timestamps, dates, Unix seconds, or Go durations ("10m", "1h30m") counted back from now. */
    static Instant time(String s, String flag, Instant now) {
        if (s == null || s.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException ignored) {
            // not RFC 3339
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (RuntimeException ignored) {
            // not a date
        }
        if (s.matches("\\d+(\\.\\d+)?")) return Instant.ofEpochMilli((long) (Double.parseDouble(s) * 1000));
        if (s.matches("(\\d+(\\.\\d+)?(h|m|s|ms))+")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(s);
            double millis = 0;
            while (m.find()) {
                double v = Double.parseDouble(m.group(1));
                millis += switch (m.group(2)) { case "h" -> v * 3_600_000; case "m" -> v * 60_000; case "s" -> v * 1000; default -> v; };
            }
            return now.minus(Duration.ofMillis((long) millis));
        }
        throw new UsageException("invalid " + flag + " \"" + s + "\": use an RFC 3339 time (2026-01-02T15:04:05Z), a date, Unix seconds or a duration like 10m");
    }
}
