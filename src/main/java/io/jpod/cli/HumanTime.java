package io.jpod.cli;

import java.time.Duration;
import java.time.Instant;

/** go-units' HumanDuration, which podman prints in CREATED and STATUS columns. */
final class HumanTime {
    private HumanTime() {}

    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        long minutes = d.toMinutes();
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return (hours / 24) + " days";
        if (hours < 24 * 30 * 2) return (hours / 24 / 7) + " weeks";
        if (hours < 24 * 365 * 2) return (hours / 24 / 30) + " months";
        return (d.toHours() / 24 / 365) + " years";
    }

    static String ago(Instant then, Instant now) {
        return duration(Duration.between(then, now)) + " ago";
    }
}
