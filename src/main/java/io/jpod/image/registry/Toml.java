package io.jpod.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TOML that registries.conf uses: tables, arrays of tables, quoted and dotted keys, strings (basic and literal,
 * one line or multi-line arrays of them), booleans and integers. Anything else is a clear error naming the line.
 */
final class Toml {
    private final String src;
    private final String file;
    private int i;
    private int line = 1;

    private Toml(String src, String file) {
        this.src = src;
        this.file = file;
    }

    static Map<String, Object> parse(String src, String file) {
        return new Toml(src, file).document();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> document() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> current = root;
        while (true) {
            skipBlankAndComments();
            if (i >= src.length()) return root;
            char c = src.charAt(i);
            if (c == '[') {
                boolean array = src.startsWith("[[", i);
                i += array ? 2 : 1;
                List<String> keys = keyPath();
                expect(array ? "]]" : "]");
                Map<String, Object> parent = root;
                for (int k = 0; k < keys.size() - 1; k++) parent = descend(parent, keys.get(k));
                String last = keys.getLast();
                if (array) {
                    Object existing = parent.computeIfAbsent(last, x -> new ArrayList<Map<String, Object>>());
                    if (!(existing instanceof List<?>)) throw error("\"" + last + "\" is both a table and an array of tables");
                    Map<String, Object> t = new LinkedHashMap<>();
                    ((List<Object>) existing).add(t);
                    current = t;
                } else {
                    current = descend(parent, last);
                }
                endOfLine();
            } else {
                List<String> keys = keyPath();
                skipSpaces();
                expect("=");
                skipSpaces();
                Object v = value();
                Map<String, Object> t = current;
                for (int k = 0; k < keys.size() - 1; k++) t = descend(t, keys.get(k));
                t.put(keys.getLast(), v);
                endOfLine();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> descend(Map<String, Object> t, String key) {
        Object o = t.computeIfAbsent(key, x -> new LinkedHashMap<String, Object>());
        if (o instanceof List<?> l && !l.isEmpty() && l.getLast() instanceof Map<?, ?> m) return (Map<String, Object>) m;
        if (!(o instanceof Map<?, ?>)) throw error("\"" + key + "\" is a value, not a table");
        return (Map<String, Object>) o;
    }

    private List<String> keyPath() {
        List<String> keys = new ArrayList<>();
        while (true) {
            skipSpaces();
            keys.add(key());
            skipSpaces();
            if (i < src.length() && src.charAt(i) == '.') {
                i++;
                continue;
            }
            return keys;
        }
    }

    private String key() {
        if (i >= src.length()) throw error("a key is missing");
        char c = src.charAt(i);
        if (c == '"' || c == '\'') return string();
        int start = i;
        while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_' || src.charAt(i) == '-')) i++;
        if (start == i) throw error("unexpected '" + c + "' where a key should be");
        return src.substring(start, i);
    }

    private Object value() {
        if (i >= src.length()) throw error("a value is missing");
        char c = src.charAt(i);
        if (c == '"' || c == '\'') return string();
        if (c == '[') {
            i++;
            List<Object> out = new ArrayList<>();
            while (true) {
                skipBlankAndComments();
                if (i >= src.length()) throw error("an array is not closed");
                if (src.charAt(i) == ']') {
                    i++;
                    return out;
                }
                out.add(value());
                skipBlankAndComments();
                if (i < src.length() && src.charAt(i) == ',') i++;
            }
        }
        if (src.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (src.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        int start = i;
        while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '-' || src.charAt(i) == '+' || src.charAt(i) == '_')) i++;
        if (start < i) {
            try {
                return Long.parseLong(src.substring(start, i).replace("_", ""));
            } catch (NumberFormatException e) {
                throw error("invalid number " + src.substring(start, i));
            }
        }
        throw error("unsupported value starting with '" + c + "'");
    }

    private String string() {
        char q = src.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= src.length() || src.charAt(i) == '\n') throw error("a string is not closed");
            char c = src.charAt(i++);
            if (c == q) return sb.toString();
            if (c == '\\' && q == '"') {
                if (i >= src.length()) throw error("a string is not closed");
                char e = src.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'u' -> {
                        if (i + 4 > src.length()) throw error("bad \\u escape");
                        sb.append((char) Integer.parseInt(src.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("unsupported escape \\" + e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private void skipSpaces() {
        while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) i++;
    }

    private void skipBlankAndComments() {
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '#') {
                while (i < src.length() && src.charAt(i) != '\n') i++;
            } else if (c == '\n') {
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else {
                return;
            }
        }
    }

    private void endOfLine() {
        skipSpaces();
        if (i < src.length() && src.charAt(i) == '#') while (i < src.length() && src.charAt(i) != '\n') i++;
        if (i < src.length() && src.charAt(i) == '\r') i++;
        if (i < src.length() && src.charAt(i) != '\n') throw error("unexpected text after a value");
    }

    private void expect(String s) {
        if (!src.startsWith(s, i)) throw error("expected \"" + s + "\"");
        i += s.length();
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(file + ": line " + line + ": " + why);
    }
}
