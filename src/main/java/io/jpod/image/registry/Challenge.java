package io.jpod.image.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A parsed WWW-Authenticate challenge: scheme ("basic", "bearer") and its parameters (realm, service, scope). */
record Challenge(String scheme, Map<String, String> params) {
    /** Parses RFC 7235 syntax: scheme, then comma-separated name=value pairs, values bare or quoted with \-escapes. */
    static Challenge parse(String header) {
        if (header == null || header.isBlank()) return null;
        String h = header.trim();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        int n = h.length();
        while (i < n) {
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == ',')) i++;
            int eq = h.indexOf('=', i);
            if (eq < 0) break;
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < n && h.charAt(i) == '"') {
                i++;
                while (i < n && h.charAt(i) != '"') {
                    char c = h.charAt(i++);
                    if (c == '\\' && i < n) c = h.charAt(i++);
                    v.append(c);
                }
                i++; // closing quote
            } else {
                while (i < n && h.charAt(i) != ',') v.append(h.charAt(i++));
            }
            params.put(name, v.toString().trim());
        }
        return new Challenge(scheme, params);
    }
}
