package io.jpod.core;

import java.util.List;
import java.util.Map;

/** Typed reads from parsed JSON maps, tolerant of absent keys (older rows lack newer fields). */
final class J {
    private J() {}

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

    static double dbl(Map<String, Object> m, String k, double dflt) {
        return m.get(k) instanceof Number n ? n.doubleValue() : dflt;
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
