package io.jpod.core;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * `top`'s table with podman's (psgo's) descriptors, seen from inside the container: its pids, its users and
 * groups (from its own /etc/passwd and /etc/group), ppid 0 for a parent outside it. Elapsed and CPU times are
 * Go durations, %CPU is CPU time over elapsed time, as psgo prints them.
 */
public record TopTable(List<String> headers, List<List<String>> rows) {
    public static final List<String> DEFAULT = List.of("user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args");

    private static final Map<String, String> HEADERS = new LinkedHashMap<>();
    static {
        String[][] h = {{"args", "COMMAND"}, {"capamb", "AMBIENT CAPS"}, {"capbnd", "BOUNDING CAPS"}, {"capeff", "EFFECTIVE CAPS"},
                {"capinh", "INHERITED CAPS"}, {"capprm", "PERMITTED CAPS"}, {"comm", "COMMAND"}, {"etime", "ELAPSED"},
                {"group", "GROUP"}, {"hgroup", "HGROUP"}, {"hpid", "HPID"}, {"huser", "HUSER"}, {"label", "LABEL"},
                {"nice", "NI"}, {"pcpu", "%CPU"}, {"pgid", "PGID"}, {"pid", "PID"}, {"ppid", "PPID"}, {"rgroup", "RGROUP"},
                {"ruser", "RUSER"}, {"seccomp", "SECCOMP"}, {"state", "STATE"}, {"stime", "STIME"}, {"time", "TIME"},
                {"tty", "TTY"}, {"user", "USER"}, {"vsz", "VSZ"}};
        for (String[] e : h) HEADERS.put(e[0], e[1]);
    }

    /** ps-style aliases podman accepts for its descriptors. */
    private static final Map<String, String> ALIASES = Map.of("%cpu", "pcpu", "cmd", "args", "command", "args",
            "ucomm", "comm", "stat", "state", "ni", "nice", "pgrp", "pgid", "uid", "user", "gid", "group");

    public static boolean known(String descriptor) {
        return HEADERS.containsKey(ALIASES.getOrDefault(descriptor, descriptor));
    }

    public static TopTable of(List<ProcFs.Proc> procs, List<String> descriptors, Path rootfs, Path hostRoot,
                              Instant now, long bootTimeSeconds) {
        Map<Integer, Integer> nsPid = new HashMap<>();
        for (ProcFs.Proc p : procs) nsPid.put(p.hostPid(), p.pid());
        Names ctr = new Names(rootfs), host = new Names(hostRoot);
        List<String> headers = new ArrayList<>();
        List<Function<ProcFs.Proc, String>> cols = new ArrayList<>();
        for (String d0 : descriptors) {
            String d = ALIASES.getOrDefault(d0, d0);
            if (!HEADERS.containsKey(d)) {
                throw JpodException.invalid("unknown descriptor: " + d0 + ": use one of " + String.join(", ", HEADERS.keySet()));
            }
            headers.add(HEADERS.get(d));
            cols.add(switch (d) {
                case "args" -> p -> p.args().isEmpty() ? "[" + p.comm() + "]" : String.join(" ", p.args());
                case "comm" -> ProcFs.Proc::comm;
                case "user" -> p -> ctr.user(p.euid());
                case "ruser" -> p -> ctr.user(p.ruid());
                case "huser" -> p -> host.user(p.euid());
                case "group" -> p -> ctr.group(p.egid());
                case "rgroup" -> p -> ctr.group(p.rgid());
                case "hgroup" -> p -> host.group(p.egid());
                case "pid" -> p -> Integer.toString(p.pid());
                case "hpid" -> p -> Integer.toString(p.hostPid());
                case "ppid" -> p -> Integer.toString(nsPid.getOrDefault(p.hostPpid(), 0));
                case "pgid" -> p -> Integer.toString(nsPid.getOrDefault(p.hostPgrp(), 0));
                case "nice" -> p -> Integer.toString(p.nice());
                case "vsz" -> p -> Long.toString(p.vszKib());
                case "state" -> ProcFs.Proc::state;
                case "tty" -> p -> tty(p.ttyNr());
                case "time" -> p -> goDuration(Duration.ofMillis(p.cpuTicks() * 1000 / ProcFs.CLK_TCK));
                case "etime" -> p -> goDuration(elapsed(p, now, bootTimeSeconds));
                case "stime" -> p -> started(p, bootTimeSeconds).toString();
                case "pcpu" -> p -> {
                    double secs = elapsed(p, now, bootTimeSeconds).toNanos() / 1e9;
                    return String.format(java.util.Locale.ROOT, "%.3f", secs <= 0 ? 0 : p.cpuTicks() / (double) ProcFs.CLK_TCK / secs * 100);
                };
                case "seccomp" -> p -> switch (p.seccomp()) { case "1" -> "strict"; case "2" -> "filter"; default -> "disabled"; };
                case "label" -> ProcFs.Proc::label;
                case "capamb" -> p -> caps(p.capsHex().get("CapAmb"));
                case "capbnd" -> p -> caps(p.capsHex().get("CapBnd"));
                case "capeff" -> p -> caps(p.capsHex().get("CapEff"));
                case "capinh" -> p -> caps(p.capsHex().get("CapInh"));
                case "capprm" -> p -> caps(p.capsHex().get("CapPrm"));
                default -> throw new IllegalStateException(d);
            });
        }
        List<List<String>> rows = new ArrayList<>();
        for (ProcFs.Proc p : procs) {
            List<String> r = new ArrayList<>();
            for (Function<ProcFs.Proc, String> c : cols) r.add(c.apply(p));
            rows.add(r);
        }
        return new TopTable(List.copyOf(headers), List.copyOf(rows));
    }

    private static Instant started(ProcFs.Proc p, long boot) {
        return Instant.ofEpochSecond(boot).plusMillis(p.startTicks() * 1000 / ProcFs.CLK_TCK);
    }

    private static Duration elapsed(ProcFs.Proc p, Instant now, long boot) {
        Duration d = Duration.between(started(p, boot), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    static String tty(int nr) {
        if (nr == 0) return "?";
        int major = (nr >> 8) & 0xfff, minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) return "pts/" + ((major - 136) * 256 + minor);
        if (major == 4) return minor < 64 ? "tty" + minor : "ttyS" + (minor - 64);
        if (major == 5 && minor == 1) return "console";
        return "?";
    }

    /** Go's time.Duration.String(): "0s", "640.571992ms", "1.640407027s", "2m3.5s", "1h0m0s". */
    public static String goDuration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) return "0s";
        if (ns < 1_000) return ns + "ns";
        if (ns < 1_000_000) return fraction(ns, 1_000) + "µs";
        if (ns < 1_000_000_000) return fraction(ns, 1_000_000) + "ms";
        long h = ns / 3_600_000_000_000L, m = ns / 60_000_000_000L % 60;
        String s = fraction(ns % 60_000_000_000L, 1_000_000_000) + "s";
        if (h > 0) return h + "h" + m + "m" + s;
        if (m > 0) return m + "m" + s;
        return s;
    }

    private static String fraction(long v, long unit) {
        long whole = v / unit, rest = v % unit;
        if (rest == 0) return Long.toString(whole);
        StringBuilder digits = new StringBuilder(Long.toString(rest));
        while (digits.length() < Long.toString(unit).length() - 1) digits.insert(0, '0');
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') end--;
        return whole + "." + digits.substring(0, end);
    }

    private static final List<String> CAP_NAMES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
            "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
            "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    static String caps(String hex) {
        long v = hex == null ? 0 : Long.parseUnsignedLong(hex, 16);
        if (v == 0) return "none";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CAP_NAMES.size(); i++) if ((v & (1L << i)) != 0) names.add(CAP_NAMES.get(i));
        return names.size() == CAP_NAMES.size() ? "full" : String.join(",", names);
    }

    /** uid and gid names from a root's /etc/passwd and /etc/group; the number where there is no entry. */
    private static final class Names {
        private final Map<Integer, String> users = new HashMap<>(), groups = new HashMap<>();

        Names(Path root) {
            load(root, "etc/passwd", users);
            load(root, "etc/group", groups);
        }

        private static void load(Path root, String file, Map<Integer, String> into) {
            if (root == null) return;
            Path p = root.resolve(file);
            // a regular file inside the root only: an image's symlink must not make us read the host's files
            if (!java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
            try {
                for (String l : java.nio.file.Files.readAllLines(p)) {
                    String[] f = l.split(":");
                    if (f.length >= 3) {
                        try {
                            into.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            // a malformed line
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // unreadable: numbers it is
            }
        }

        String user(int uid) { return users.getOrDefault(uid, Integer.toString(uid)); }

        String group(int gid) { return groups.getOrDefault(gid, Integer.toString(gid)); }
    }
}
