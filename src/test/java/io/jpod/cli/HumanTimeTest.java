package io.jpod.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** go-units' TestHumanDuration table, which podman's CREATED and STATUS columns follow. */
class HumanTimeTest {
    static final Duration S = Duration.ofSeconds(1), M = Duration.ofMinutes(1), H = Duration.ofHours(1),
            DAY = Duration.ofDays(1), WEEK = DAY.multipliedBy(7), MONTH = DAY.multipliedBy(30), YEAR = DAY.multipliedBy(365);

    static Duration d(Object... parts) {
        Duration sum = Duration.ZERO;
        for (int i = 0; i < parts.length; i += 2) sum = sum.plus(((Duration) parts[i + 1]).multipliedBy((Integer) parts[i]));
        return sum;
    }

    @Test
    void goUnitsHumanDurationTable() {
        Object[][] table = {
                {"Less than a second", Duration.ofMillis(450)},
                {"1 second", d(1, S)}, {"45 seconds", d(45, S)}, {"46 seconds", d(46, S)}, {"59 seconds", d(59, S)},
                {"About a minute", d(60, S)}, {"About a minute", d(1, M)}, {"3 minutes", d(3, M)},
                {"35 minutes", d(35, M)}, {"35 minutes", d(35, M, 40, S)}, {"45 minutes", d(45, M)},
                {"45 minutes", d(45, M, 40, S)}, {"46 minutes", d(46, M)}, {"59 minutes", d(59, M)},
                {"About an hour", d(1, H)}, {"About an hour", d(1, H, 29, M)}, {"2 hours", d(1, H, 31, M)},
                {"2 hours", d(1, H, 59, M)}, {"3 hours", d(3, H)}, {"3 hours", d(3, H, 29, M)},
                {"4 hours", d(3, H, 31, M)}, {"4 hours", d(3, H, 59, M)}, {"4 hours", d(3, H, 60, M)},
                {"24 hours", d(24, H)}, {"36 hours", d(1, DAY, 12, H)}, {"2 days", d(2, DAY)}, {"7 days", d(7, DAY)},
                {"13 days", d(13, DAY, 5, H)}, {"2 weeks", d(2, WEEK)}, {"2 weeks", d(2, WEEK, 4, DAY)},
                {"3 weeks", d(3, WEEK)}, {"4 weeks", d(4, WEEK)}, {"4 weeks", d(4, WEEK, 3, DAY)},
                {"4 weeks", d(1, MONTH)}, {"6 weeks", d(1, MONTH, 2, WEEK)}, {"2 months", d(2, MONTH)},
                {"2 months", d(2, MONTH, 2, WEEK)}, {"3 months", d(3, MONTH)}, {"3 months", d(3, MONTH, 1, WEEK)},
                {"5 months", d(5, MONTH, 2, WEEK)}, {"13 months", d(13, MONTH)}, {"23 months", d(23, MONTH)},
                {"24 months", d(24, MONTH)}, {"2 years", d(24, MONTH, 2, WEEK)}, {"3 years", d(3, YEAR, 2, MONTH)},
        };
        for (Object[] row : table) {
            assertEquals(row[0], HumanTime.duration((Duration) row[1]), row[1].toString());
        }
    }

    @Test
    void agoAppendsAgo() {
        Instant now = Instant.parse("2026-01-01T00:10:00Z");
        assertEquals("4 minutes ago", HumanTime.ago(now.minus(d(4, M, 59, S)), now));
        assertEquals("Less than a second ago", HumanTime.ago(now, now));
    }
}
