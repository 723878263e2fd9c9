package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartAndHealthTest {
    @Test
    void restartPoliciesParseAsPodmansFlag() {
        assertEquals(RestartPolicy.NO, RestartPolicy.parse(null));
        assertEquals(new RestartPolicy("on-failure", 3), RestartPolicy.parse("on-failure:3"));
        assertEquals(new RestartPolicy("always", 0), RestartPolicy.parse("always"));
        assertThrows(JpodException.class, () -> RestartPolicy.parse("sometimes"));
        assertThrows(JpodException.class, () -> RestartPolicy.parse("on-failure:x"));
        assertThrows(JpodException.class, () -> RestartPolicy.parse("always:3"));
    }

    @Test
    void whoRestartsWhen() {
        RestartPolicy onFailure2 = RestartPolicy.parse("on-failure:2");
        assertTrue(onFailure2.shouldRestart(3, 0, false));
        assertTrue(onFailure2.shouldRestart(3, 1, false));
        assertFalse(onFailure2.shouldRestart(3, 2, false), "retries used up");
        assertFalse(onFailure2.shouldRestart(0, 0, false), "a success is not a failure");
        assertTrue(RestartPolicy.parse("on-failure").shouldRestart(1, 99, false), "no limit without :N");
        assertTrue(RestartPolicy.parse("always").shouldRestart(0, 5, false));
        assertFalse(RestartPolicy.parse("always").shouldRestart(137, 0, true), "never after the user's stop");
        assertFalse(RestartPolicy.NO.shouldRestart(1, 0, false));
        assertTrue(RestartPolicy.parse("always").startsAtBoot(true));
        assertFalse(RestartPolicy.parse("unless-stopped").startsAtBoot(true));
        assertTrue(RestartPolicy.parse("unless-stopped").startsAtBoot(false));
    }

    static final HealthConfig RETRIES_2 = new HealthConfig(List.of("CMD-SHELL", "true"), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 2, Duration.ZERO);

    static HealthState.Check check(int code) {
        return new HealthState.Check(Instant.EPOCH, Instant.EPOCH, code, "");
    }

    @Test
    void healthTurnsUnhealthyAfterRetriesFailuresInARowAndHealthyOnOneSuccess() {
        HealthState h = HealthState.starting();
        h = h.after(check(1), RETRIES_2, false);
        assertEquals(HealthState.STARTING, h.status(), "one failure of two allowed");
        assertEquals(1, h.failingStreak());
        h = h.after(check(1), RETRIES_2, false);
        assertEquals(HealthState.UNHEALTHY, h.status());
        h = h.after(check(0), RETRIES_2, false);
        assertEquals(HealthState.HEALTHY, h.status());
        assertEquals(0, h.failingStreak());
        h = h.after(check(1), RETRIES_2, false);
        assertEquals(HealthState.HEALTHY, h.status(), "one failure does not make a healthy container unhealthy");
    }

    @Test
    void failuresInTheStartPeriodDoNotCountAndTheLogKeepsFive() {
        HealthState h = HealthState.starting();
        for (int i = 0; i < 7; i++) h = h.after(check(1), RETRIES_2, true);
        assertEquals(HealthState.STARTING, h.status());
        assertEquals(0, h.failingStreak());
        assertEquals(5, h.log().size());
    }

    @Test
    void healthRoundTripsThroughItsFile(@TempDir Path tmp) throws Exception {
        HealthState h = HealthState.starting().after(new HealthState.Check(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:01Z"), 1, "boom\n"), RETRIES_2, false);
        h.write(tmp.resolve("h.json"));
        assertEquals(h, HealthState.read(tmp.resolve("h.json")));
        assertEquals(HealthState.starting(), HealthState.read(tmp.resolve("missing.json")));
    }

    @Test
    void healthcheckFlagsAsPodmanTakesThem() {
        assertEquals(List.of("CMD-SHELL", "curl -f http://x/ || exit 1"), HealthConfig.test("curl -f http://x/ || exit 1"));
        assertEquals(List.of("CMD", "/bin/check", "-q"), HealthConfig.test("[\"/bin/check\", \"-q\"]"));
        assertEquals(List.of("/bin/sh", "-c", "true"), RETRIES_2.argv());
        assertEquals(Duration.ofSeconds(90), HealthConfig.parseDuration("--health-interval", "1m30s"));
        assertEquals(Duration.ofMillis(500), HealthConfig.parseDuration("--health-interval", "500ms"));
        assertThrows(JpodException.class, () -> HealthConfig.parseDuration("--health-interval", "30"));
        assertThrows(JpodException.class, () -> new HealthConfig(List.of("CMD-SHELL", "true"), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 0, Duration.ZERO));
    }

    @Test
    void anImagesHealthcheckAppliesWithDockersDefaults() {
        HealthConfig h = HealthConfig.fromImage(java.util.Map.of("Test", List.of("CMD-SHELL", "true"), "Retries", 0));
        assertEquals(HealthConfig.DEFAULT_INTERVAL, h.interval());
        assertEquals(3, h.retries());
        assertEquals(null, HealthConfig.fromImage(java.util.Map.of("Test", List.of("NONE"))));
    }
}
