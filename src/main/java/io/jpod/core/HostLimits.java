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

    /** Capability names by number (linux/capability.h), for reading CapBnd. */
    private static final String[] CAP_NAMES = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

    private static java.util.Set<String> bounding;

    /**
     * The capabilities this process may hand on (its bounding set): a container cannot get more, so
     * --privileged and --cap-add ALL mean "all of these" (podman does the same).
     */
    static synchronized java.util.Set<String> boundingCaps() {
        if (bounding != null) return bounding;
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (!line.startsWith("CapBnd:")) continue;
                long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                for (int i = 0; i < CAP_NAMES.length; i++) if ((mask & (1L << i)) != 0) out.add(CAP_NAMES[i]);
            }
        } catch (IOException | RuntimeException e) {
            out.addAll(java.util.List.of(CAP_NAMES));
        }
        bounding = java.util.Set.copyOf(out);
        return bounding;
    }

    static int oomScoreAdj() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
