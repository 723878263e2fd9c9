package io.jpod.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's healthcheck: the test (["CMD-SHELL", line] or ["CMD", arg...]) and its timing, with podman's
 * defaults (interval 30s, timeout 30s, 3 retries, no start period).
 */
public record HealthConfig(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30), DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public HealthConfig {
        test = List.copyOf(test);
        if (test.size() < 2 || !(test.getFirst().equals("CMD") || test.getFirst().equals("CMD-SHELL"))) {
            throw JpodException.invalid("invalid healthcheck test " + test + ": give a command (--health-cmd)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw JpodException.invalid("invalid --health-interval " + interval.toMillis() + "ms: it must be at least 1s");
        }
        if (timeout.isNegative() || timeout.isZero()) throw JpodException.invalid("invalid --health-timeout: it must be at least 1s");
        if (retries < 1) throw JpodException.invalid("invalid --health-retries " + retries + ": it must be at least 1");
        if (startPeriod.isNegative()) throw JpodException.invalid("invalid --health-start-period: it must not be negative");
    }

    /** --health-cmd: a JSON array is the test as given, anything else a shell line (podman's rule). */
    public static List<String> test(String cmd) {
        String c = cmd.strip();
        if (c.startsWith("[")) {
            List<String> l = io.jpod.json.Json.parse(c) instanceof List<?> a ? a.stream().map(String::valueOf).toList() : List.of();
            if (!l.isEmpty() && (l.getFirst().equals("CMD") || l.getFirst().equals("CMD-SHELL"))) return l;
            List<String> withCmd = new java.util.ArrayList<>(List.of("CMD"));
            withCmd.addAll(l);
            return withCmd;
        }
        return List.of("CMD-SHELL", cmd);
    }

    /** The argv the test runs in the container. */
    public List<String> argv() {
        return test.getFirst().equals("CMD-SHELL") ? List.of("/bin/sh", "-c", test.get(1)) : test.subList(1, test.size());
    }

    /** Go durations as podman's flags take them: "30s", "1m30s", "500ms", "1h". */
    public static Duration parseDuration(String flag, String s) {
        if (s == null || !s.matches("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+")) {
            throw JpodException.invalid("invalid " + flag + " \"" + s + "\": give a duration like 30s, 1m30s or 500ms");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
        long nanos = 0;
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (Double.parseDouble(m.group(1)) * unit);
        }
        return Duration.ofNanos(nanos);
    }

    /** Config.Healthcheck as podman's inspect shows it (durations in nanoseconds). */
    public Map<String, Object> inspectJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Test", test);
        if (!startPeriod.isZero()) m.put("StartPeriod", startPeriod.toNanos());
        m.put("Interval", interval.toNanos());
        m.put("Timeout", timeout.toNanos());
        m.put("Retries", retries);
        return m;
    }

    Map<String, Object> toJson() {
        return Map.of("test", test, "interval", interval.toNanos(), "timeout", timeout.toNanos(), "retries", retries,
                "startPeriod", startPeriod.toNanos());
    }

    static HealthConfig fromJson(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return null;
        return new HealthConfig(J.strings(m, "test"), Duration.ofNanos(J.lng(m, "interval", 0)),
                Duration.ofNanos(J.lng(m, "timeout", 0)), J.integer(m, "retries", 3), Duration.ofNanos(J.lng(m, "startPeriod", 0)));
    }

    /** An image's Healthcheck (Docker's config: nanosecond durations, 0 = default); null for none or NONE. */
    public static HealthConfig fromImage(Object o) {
        if (!(o instanceof Map<?, ?> raw)) return null;
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) raw;
        List<String> test = J.strings(m, "Test");
        if (test.isEmpty() || test.getFirst().equals("NONE") || test.size() < 2) return null;
        long iv = J.lng(m, "Interval", 0), to = J.lng(m, "Timeout", 0), sp = J.lng(m, "StartPeriod", 0);
        int retries = J.integer(m, "Retries", 0);
        return new HealthConfig(test, iv > 0 ? Duration.ofNanos(iv) : DEFAULT_INTERVAL, to > 0 ? Duration.ofNanos(to) : DEFAULT_TIMEOUT,
                retries > 0 ? retries : 3, Duration.ofNanos(sp));
    }
}
