package io.jpod.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** stats' numbers as podman prints them (go-units sizes with %.4g, two-decimal percentages). */
class StatsFormatTest {
    @Test
    void sizesAsGoUnits() {
        assertEquals("0B", StatsCommand.size(0));
        assertEquals("656B", StatsCommand.size(656));
        assertEquals("1.5kB", StatsCommand.size(1500));
        assertEquals("2.621MB", StatsCommand.size(2_621_440));
        assertEquals("25.28GB", StatsCommand.size(25_279_078_400L));
        assertEquals("67.11MB", StatsCommand.size(67_108_864));
        assertEquals("1000kB", StatsCommand.size(999_999), "rounding stays below the next unit, as %.4g");
        assertEquals("2.5MiB", StatsCommand.bytes(2_621_440));
        assertEquals("23.54GiB", StatsCommand.bytes(25_279_078_400L));
    }

    @Test
    void percentagesWithTwoDecimals() {
        assertEquals("0.00%", StatsCommand.percent(0));
        assertEquals("1.52%", StatsCommand.percent(1.5159));
        assertEquals("16.26%", StatsCommand.percent(16.2551));
        assertEquals("100.00%", StatsCommand.percent(100));
        assertEquals("0.05%", StatsCommand.percent(0.049999));
    }
}
