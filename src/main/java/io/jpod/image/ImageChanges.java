package io.jpod.image;

import io.jpod.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies `--change` instructions (Dockerfile syntax: "CMD=/bin/sh", "CMD [\"a\"]", "ENV K=V") to an image's
 * run config. Unsupported or malformed instructions are rejected with the instruction named.
 */
public final class ImageChanges {
    private ImageChanges() {}

    public static Map<String, Object> apply(Map<String, Object> runConfig, List<String> changes) {
        Map<String, Object> c = new LinkedHashMap<>(runConfig);
        for (String change : changes) {
            String s = change.strip();
            int eq = s.indexOf('='), sp = s.indexOf(' ');
            int cut = eq < 0 ? sp : sp < 0 ? eq : Math.min(eq, sp);
            if (cut <= 0) throw bad(change, "expected INSTRUCTION=VALUE or INSTRUCTION VALUE");
            String instr = s.substring(0, cut).toUpperCase(java.util.Locale.ROOT);
            String value = s.substring(cut + 1).strip();
            switch (instr) {
                case "CMD" -> c.put("Cmd", commandForm(value, change));
                case "ENTRYPOINT" -> c.put("Entrypoint", commandForm(value, change));
                case "ENV" -> {
                    List<String> env = new ArrayList<>(strings(c.get("Env")));
                    for (String kv : keyValues(value, change)) {
                        String k = kv.substring(0, kv.indexOf('='));
                        env.removeIf(e -> e.startsWith(k + "="));
                        env.add(kv);
                    }
                    c.put("Env", env);
                }
                case "WORKDIR" -> c.put("WorkingDir", value);
                case "USER" -> c.put("User", value);
                case "STOPSIGNAL" -> c.put("StopSignal", value);
                case "LABEL" -> {
                    Map<String, Object> labels = new LinkedHashMap<>(map(c.get("Labels")));
                    for (String kv : keyValues(value, change)) labels.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    c.put("Labels", labels);
                }
                case "EXPOSE" -> {
                    Map<String, Object> ports = new LinkedHashMap<>(map(c.get("ExposedPorts")));
                    for (String p : value.split("\\s+")) ports.put(p.contains("/") ? p : p + "/tcp", Map.of());
                    c.put("ExposedPorts", ports);
                }
                case "VOLUME" -> {
                    Map<String, Object> vols = new LinkedHashMap<>(map(c.get("Volumes")));
                    for (String v : value.startsWith("[") ? jsonArray(value, change) : List.of(value.split("\\s+"))) vols.put(v, Map.of());
                    c.put("Volumes", vols);
                }
                default -> throw bad(change, "unsupported instruction " + instr
                        + " (use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME or WORKDIR)");
            }
        }
        return c;
    }

    private static List<String> commandForm(String value, String change) {
        if (value.startsWith("[")) return jsonArray(value, change);
        return List.of("/bin/sh", "-c", value);
    }

    private static List<String> jsonArray(String value, String change) {
        try {
            Object v = Json.parse(value);
            if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        } catch (Json.JsonException e) {
            throw bad(change, "the value is not a valid JSON array: " + e.getMessage());
        }
        throw bad(change, "the value is not a JSON array");
    }

    private static List<String> keyValues(String value, String change) {
        List<String> out = new ArrayList<>();
        if (!value.contains("=")) {
            int sp = value.indexOf(' ');
            if (sp < 0) throw bad(change, "expected KEY=VALUE");
            out.add(value.substring(0, sp) + "=" + value.substring(sp + 1).strip());
            return out;
        }
        // ENV A=1 B=2 sets both; a single pair may contain spaces in its value.
        String[] parts = value.split("\\s+(?=[^\\s=]+=)");
        for (String p : parts) {
            if (!p.contains("=") || p.startsWith("=")) throw bad(change, "expected KEY=VALUE but got \"" + p + "\"");
            out.add(unquote(p));
        }
        return out;
    }

    private static String unquote(String kv) {
        int i = kv.indexOf('=');
        String v = kv.substring(i + 1);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        return kv.substring(0, i + 1) + v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static IllegalArgumentException bad(String change, String why) {
        return new IllegalArgumentException("invalid --change \"" + change + "\": " + why);
    }
}
