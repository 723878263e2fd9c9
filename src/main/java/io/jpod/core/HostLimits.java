package io.jpod.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** This process's resource limits and OOM score, which the container may not exceed. */
final class HostLimits {
    private HostLimits() {}

    /** RLIMIT_* name to {soft, hard}, from /proc/self/limits ("unlimited" is Long.MAX_VALUE). */
    static Map<String, long[]> hardLimits() {
        Map<String, long[]> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                String key = line.startsWith("Max open files") ? "RLIMIT_NOFILE"
                        : line.startsWith("Max processes") ? "RLIMIT_NPROC" : null;
                if (key == null) continue;
                String[] f = line.substring(26).trim().split("\\s+");
                out.put(key, new long[] {parse(f[0]), parse(f[1])});
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static long parse(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }

    static int oomScoreAdj() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
