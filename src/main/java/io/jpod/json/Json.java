package io.jpod.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer over plain JDK values: {@code Map<String,Object>} (insertion-ordered),
 * {@code List<Object>}, String, Long/Double/BigDecimal, Boolean and null. Hand-rolled because the CLI's
 * hot path must not pay Jackson's class-loading cost at every start.
 */
public final class Json {
    private Json() {}

    /** Parses one JSON value; throws {@link JsonException} naming the offset on malformed input. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWs();
        Object v = p.value();
        p.skipWs();
        if (p.pos != text.length()) throw p.error("unexpected trailing content");
        return v;
    }

    /** Parses a JSON object; throws if the text is another kind of value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new JsonException("expected a JSON object but found " + kind(v));
        return (Map<String, Object>) v;
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, "  ");
        return sb.toString();
    }

    /** Indented like Go's json.MarshalIndent(v, "", indent), which podman prints (its unit differs per command). */
    public static String writePretty(Object value, String indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, indent);
        return sb.toString();
    }

    public static String writePretty(Object value) {
        return writePretty(value, "  ");
    }

    private static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof List) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Boolean) return "a boolean";
        return "a number";
    }

    private static void write(StringBuilder sb, Object v, int level, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof BigDecimal || v instanceof java.math.BigInteger) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) sb.append((long) d);
            else sb.append(d);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) { sb.append("{}"); return; }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ordered(m)) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, level + 1, level, indent);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(level >= 0 ? ": " : ":");
                write(sb, e.getValue(), level >= 0 ? level + 1 : -1, indent);
            }
            newline(sb, level, level, indent);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) { sb.append("[]"); return; }
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, level + 1, level, indent);
                write(sb, o, level >= 0 ? level + 1 : -1, indent);
            }
            newline(sb, level, level, indent);
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            write(sb, List.of(arr), level, indent);
        } else if (v instanceof JsonValue jv) {
            write(sb, jv.toJson(), level, indent);
        } else if (v instanceof Enum<?> e) {
            quote(sb, e.toString());
        } else {
            quote(sb, v.toString());
        }
    }

    /**
     * A map's entries in a stable order: insertion order where the map keeps one, else sorted by key, as Go's
     * encoder does. Map.of's iteration order changes from one JVM run to the next.
     */
    public static Iterable<? extends Map.Entry<?, ?>> ordered(Map<?, ?> m) {
        if (m instanceof java.util.LinkedHashMap<?, ?> || m instanceof java.util.SortedMap<?, ?> || m.size() < 2) {
            return m.entrySet();
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
        return entries;
    }

    private static void newline(StringBuilder sb, int target, int level, String indent) {
        if (level < 0) return;
        sb.append('\n');
        for (int i = 0; i < target; i++) sb.append(indent);
    }

    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** A domain value that knows its own JSON shape (a Map, List or scalar). */
    public interface JsonValue {
        Object toJson();
    }

    public static final class JsonException extends RuntimeException {
        public JsonException(String message) { super(message); }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        JsonException error(String what) {
            return new JsonException("invalid JSON at offset " + pos + ": " + what);
        }

        void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') pos++;
                else break;
            }
        }

        Object value() {
            if (pos >= s.length()) throw error("unexpected end of input");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("expected " + word);
            pos += word.length();
            return v;
        }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipWs();
            if (peek() == '}') { pos++; return m; }
            while (true) {
                skipWs();
                if (peek() != '"') throw error("expected a string key");
                String k = string();
                skipWs();
                if (peek() != ':') throw error("expected ':'");
                pos++;
                skipWs();
                m.put(k, value());
                skipWs();
                char c = peek();
                pos++;
                if (c == '}') return m;
                if (c != ',') { pos--; throw error("expected ',' or '}'"); }
            }
        }

        List<Object> array() {
            List<Object> l = new ArrayList<>();
            pos++;
            skipWs();
            if (peek() == ']') { pos++; return l; }
            while (true) {
                skipWs();
                l.add(value());
                skipWs();
                char c = peek();
                pos++;
                if (c == ']') return l;
                if (c != ',') { pos--; throw error("expected ',' or ']'"); }
            }
        }

        char peek() {
            if (pos >= s.length()) throw error("unexpected end of input");
            return s.charAt(pos);
        }

        String string() {
            pos++;
            // Fast path: most strings have no escapes; String.indexOf scans far faster than a loop of charAt
            // calls in the interpreter, where a short-lived CLI spends most of its time.
            int quote = s.indexOf('"', pos);
            if (quote >= 0) {
                int slash = s.indexOf('\\', pos, quote);
                if (slash < 0) {
                    String r = s.substring(pos, quote);
                    pos = quote + 1;
                    return r;
                }
            }
            StringBuilder sb = null;
            int start = pos;
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos);
                if (c == '"') {
                    String r = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                    pos++;
                    return r;
                }
                if (c == '\\') {
                    if (sb == null) sb = new StringBuilder();
                    sb.append(s, start, pos);
                    pos++;
                    char e = peek();
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (pos + 5 > s.length() || !s.substring(pos + 1, pos + 5).matches("[0-9a-fA-F]{4}")) {
                                throw error("bad \\u escape");
                            }
                            sb.append((char) Integer.parseInt(s.substring(pos + 1, pos + 5), 16));
                            pos += 4;
                        }
                        default -> throw error("bad escape \\" + e);
                    }
                    pos++;
                    start = pos;
                } else {
                    pos++;
                }
            }
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            boolean frac = false;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c >= '0' && c <= '9') pos++;
                else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { frac = true; pos++; }
                else break;
            }
            String n = s.substring(start, pos);
            try {
                if (!frac) {
                    if (n.length() < 19) return Long.parseLong(n);
                    return new BigDecimal(n);
                }
                return Double.parseDouble(n);
            } catch (NumberFormatException e) {
                throw error("bad number " + n);
            }
        }
    }
}
