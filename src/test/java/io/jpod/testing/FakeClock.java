package io.jpod.testing;

import io.jpod.sys.Clock;

import java.time.Duration;
import java.time.Instant;

/** A clock whose sleep returns at once and moves time forward, so a 10 s stop timeout passes in microseconds. */
public final class FakeClock implements Clock {
    private Instant now;
    private long nanos;
    private long sleeps;

    public FakeClock() {
        this(Instant.parse("2026-01-02T03:04:05Z"));
    }

    public FakeClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() { return now; }

    @Override
    public synchronized long nanoTime() { return nanos; }

    @Override
    public synchronized void sleep(Duration d) {
        sleeps++;
        advance(d);
    }

    public synchronized void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("time does not run backwards: " + d);
        now = now.plus(d);
        nanos += d.toNanos();
    }

    /** Time passed since construction, by the monotonic clock. */
    public synchronized Duration elapsed() { return Duration.ofNanos(nanos); }

    public synchronized long sleeps() { return sleeps; }
}
