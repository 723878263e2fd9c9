package io.jpod.core;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's health, as podman's inspect shows it (State.Health): status starting, healthy or unhealthy, the
 * streak of failures, the last five checks. Kept in a file beside the container (replaced atomically), not in
 * the database: a check every few seconds should not contend with every other command for the write lock.
 */
public record HealthState(String status, int failingStreak, List<Check> log) {
    public static final String STARTING = "starting", HEALTHY = "healthy", UNHEALTHY = "unhealthy";
    static final int KEEP = 5;

    public HealthState {
        log = List.copyOf(log);
    }

    public record Check(Instant start, Instant end, int exitCode, String output) {}

    public static HealthState starting() {
        return new HealthState(STARTING, 0, List.of());
    }

    /**
     * The state after one more check. A success makes it healthy; failures count only after the start period,
     * and make it unhealthy once they reach the retries in a row.
     */
    public HealthState after(Check c, HealthConfig cfg, boolean inStartPeriod) {
        List<Check> l = new ArrayList<>(log);
        l.add(c);
        while (l.size() > KEEP) l.removeFirst();
        if (c.exitCode() == 0) return new HealthState(HEALTHY, 0, l);
        if (inStartPeriod) return new HealthState(status, failingStreak, l);
        int streak = failingStreak + 1;
        return new HealthState(streak >= cfg.retries() ? UNHEALTHY : status, streak, l);
    }

    public Map<String, Object> inspectJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status);
        m.put("FailingStreak", failingStreak);
        m.put("Log", log.stream().map(c -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Start", c.start().toString());
            e.put("End", c.end().toString());
            e.put("ExitCode", c.exitCode());
            e.put("Output", c.output());
            return e;
        }).toList());
        return m;
    }

    public static HealthState read(Path file) {
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(file));
            List<Check> l = new ArrayList<>();
            for (Map<String, Object> e : J.maps(m, "Log")) {
                l.add(new Check(Instant.parse(J.str(e, "Start")), Instant.parse(J.str(e, "End")), J.integer(e, "ExitCode", 0),
                        J.str(e, "Output", "")));
            }
            return new HealthState(J.str(m, "Status", STARTING), J.integer(m, "FailingStreak", 0), l);
        } catch (NoSuchFileException e) {
            return starting();
        } catch (IOException | RuntimeException e) {
            return starting(); // torn or foreign: start over rather than fail inspect
        }
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, Json.write(inspectJson()));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
