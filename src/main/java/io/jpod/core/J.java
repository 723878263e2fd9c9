package io.jpod.core;

import java.util.List;
import java.util.Map;

/** Typed reads from parsed JSON maps, tolerant of absent keys (older rows lack newer fields). */
final class J {
    private J() {}

    /**
     * Instant.toString()'s form ("2026-11-29T14:10:48.221940297Z") parsed by hand: java.time's parser costs
     * ~0.1 ms a call in the interpreter, and ps parses three per container. Other forms go to Instant.parse.
     */
    static java.time.Instant instant(String t) {
        if (t == null) return null;
        int n = t.length();
        if (n >= 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(16) == ':' && t.charAt(n - 1) == 'Z') {
            try {
                int year = num(t, 0, 4), month = num(t, 5, 7), day = num(t, 8, 10);
                int hour = num(t, 11, 13), min = num(t, 14, 16), sec = num(t, 17, 19);
                int nanos = 0;
                if (n > 20) {
                    if (t.charAt(19) != '.') return java.time.Instant.parse(t);
                    int digits = n - 21;
                    if (digits < 1 || digits > 9) return java.time.Instant.parse(t);
                    nanos = num(t, 20, n - 1);
                    for (int i = digits; i < 9; i++) nanos *= 10;
                }
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return java.time.Instant.ofEpochSecond(days * 86400 + hour * 3600L + min * 60L + sec, nanos);
            } catch (RuntimeException e) {
                return java.time.Instant.parse(t);
            }
        }
        return java.time.Instant.parse(t);
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new NumberFormatException(s);
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    static String str(Map<String, Object> m, String k, String dflt) {
        Object v = m.get(k);
        return v == null ? dflt : v.toString();
    }

    static long lng(Map<String, Object> m, String k, long dflt) {
        return m.get(k) instanceof Number n ? n.longValue() : dflt;
    }

    static int integer(Map<String, Object> m, String k, int dflt) {
        return m.get(k) instanceof Number n ? n.intValue() : dflt;
    }


    static boolean bool(Map<String, Object> m, String k) {
        return Boolean.TRUE.equals(m.get(k));
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> strMap(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Map<?, ?> mm)) return Map.of();
        var out = new java.util.LinkedHashMap<String, String>();
        mm.forEach((a, b) -> out.put(String.valueOf(a), String.valueOf(b)));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof List<?> l) return (List<Map<String, Object>>) l;
        return List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
    }
}
