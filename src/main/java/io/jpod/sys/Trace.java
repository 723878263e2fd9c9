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
        System.err.printf("[trace %6.1f ms] %s%n", (now - t0) / 1e6, what);
    }
}
