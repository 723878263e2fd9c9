package io.jpod.sys;

import java.time.Duration;
import java.time.Instant;

/** Time as the engine sees it; injected so a 10-second stop timeout is tested in milliseconds. */
public interface Clock {
    Instant now();

    /** Monotonic nanoseconds, for timeouts. */
    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    Clock SYSTEM = new Clock() {
        @Override public Instant now() { return Instant.now(); }
        @Override public long nanoTime() { return System.nanoTime(); }
        @Override public void sleep(Duration d) throws InterruptedException { Thread.sleep(d); }
    };
}
