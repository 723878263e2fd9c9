package io.jpod.cli;

import java.util.Collection;
import java.util.Map;

/** Just enough YAML for `info`: nested maps, lists and scalars, two-space indent, as podman prints it. */
final class Yaml {
    private Yaml() {}

    static String write(Map<String, ?> m) {
        StringBuilder sb = new StringBuilder();
        map(sb, m, 0);
        return sb.toString();
    }

    private static void map(StringBuilder sb, Map<?, ?> m, int indent) {
        for (Map.Entry<?, ?> e : io.jpod.json.Json.ordered(m)) {
            sb.append("  ".repeat(indent)).append(e.getKey()).append(':');
            value(sb, e.getValue(), indent);
        }
    }

    private static void value(StringBuilder sb, Object v, int indent) {
        if (v instanceof Map<?, ?> mm) {
            if (mm.isEmpty()) {
                sb.append(" {}\n");
            } else {
                sb.append('\n');
                map(sb, mm, indent + 1);
            }
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append(" []\n");
                return;
            }
            sb.append('\n');
            for (Object o : c) sb.append("  ".repeat(indent)).append("- ").append(scalar(o)).append('\n');
        } else {
            sb.append(' ').append(scalar(v)).append('\n');
        }
    }

    /** Quotes what a YAML reader would otherwise take for something else. */
    static String scalar(Object o) {
        if (o == null) return "null";
        String s = o.toString();
        if (o instanceof Number || o instanceof Boolean) return s;
        boolean plain = !s.isEmpty() && s.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "/._-+@".indexOf(ch) >= 0)
                && !s.equals("true") && !s.equals("false") && !s.equals("null") && !Character.isDigit(s.charAt(0));
        return plain ? s : '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
