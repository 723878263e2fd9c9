package io.jpod.sys;

/** Start-up phase timing for `-Djpod.trace=true`: milliseconds since JVM start, to stderr. Free when off. */
public final class Trace {
    private Trace() {}

    public static final boolean ON = Boolean.getBoolean("jpod.trace");

    public static void mark(String what) {
        if (!ON) return;
        long up = System.currentTimeMillis() - ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        System.err.println("[trace " + up + " ms] " + what);
    }
}
