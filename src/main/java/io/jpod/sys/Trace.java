package io.jpod.sys;

/** Phase timing for `-Djpod.trace=true`: milliseconds since the first mark, to stderr. Free when off. */
public final class Trace {
    private Trace() {}

    public static final boolean ON = Boolean.getBoolean("jpod.trace");
    private static long t0;

    public static void mark(String what) {
        if (!ON) return;
        long now = System.nanoTime();
        if (t0 == 0) t0 = now;
        long tenths = (now - t0) / 100_000; // no printf: its first use costs ~25 ms and would skew the next mark
        System.err.println("[trace " + tenths / 10 + "." + tenths % 10 + " ms] " + what);
    }
}
