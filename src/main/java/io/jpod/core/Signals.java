package io.jpod.core;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers; {@link #parse} accepts "SIGTERM", "TERM", "term" and "15", as podman does. */
public final class Signals {
    private Signals() {}

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
            Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28),
            Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    /** "SIGTERM" for 15; a number without a name (real-time signals) as its digits. */
    public static String name(int signal) {
        String best = null;
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            // IOT, CLD, POLL share numbers with ABRT, CHLD, IO: the latter are the names in use
            if (e.getValue() == signal && !e.getKey().equals("IOT") && !e.getKey().equals("CLD") && !e.getKey().equals("POLL")) best = e.getKey();
        }
        return best == null ? String.valueOf(signal) : "SIG" + best;
    }

    public static int parse(String s) {
        if (s == null || s.isBlank()) throw JpodException.invalid("invalid signal: the signal is empty; use a name like SIGTERM or a number");
        String u = s.strip().toUpperCase(Locale.ROOT);
        if (u.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(u);
            if (n < 1 || n > 64) throw JpodException.invalid("invalid signal: " + s + ": numbers run from 1 to 64");
            return n;
        }
        if (u.startsWith("SIG")) u = u.substring(3);
        if (u.startsWith("RTMIN") || u.startsWith("RTMAX")) {
            int n = (u.startsWith("RTMIN") ? 34 : 64) + offset(u.substring(5), s);
            if (n < 34 || n > 64) throw JpodException.invalid("invalid signal: " + s + ": real-time signals run from RTMIN (34) to RTMAX (64)");
            return n;
        }
        Integer n = BY_NAME.get(u);
        if (n == null) throw JpodException.invalid("invalid signal: " + s + ": use a name like SIGTERM or KILL, or a number");
        return n;
    }

    private static int offset(String rest, String orig) {
        if (rest.isEmpty()) return 0;
        try {
            return Integer.parseInt(rest);
        } catch (NumberFormatException e) {
            throw JpodException.invalid("invalid signal: " + orig);
        }
    }
}
