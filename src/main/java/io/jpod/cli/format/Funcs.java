package io.jpod.cli.format;

import io.jpod.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The template function table: Go's text/template builtins, podman's report.DefaultFuncs (join json
 * lower pad split title truncate upper) and a few string helpers jpod adds (contains hasPrefix hasSuffix
 * replace).
 */
final class Funcs {
    private Funcs() {}

    /** Parameter kinds; the executor converts arguments and reports Go's type errors. */
    enum P {
        ANY("interface {}"), STRING("string"), INT("int"), LIST("[]string");

        final String goName;

        P(String goName) { this.goName = goName; }
    }

    @FunctionalInterface
    interface Impl {
        Object call(Object[] args);
    }

    /** A function: fixed parameter kinds, an optional variadic kind, and its body (null for and/or). */
    record Def(String name, List<P> fixed, P variadic, Impl impl) {
        P param(int i) { return i < fixed.size() ? fixed.get(i) : variadic; }
    }

    /** A failure inside a function body; reported as "error calling NAME: MSG". */
    static final class CallError extends RuntimeException {
        CallError(String message) { super(message, null, false, false); }
    }

    private static final Map<String, Def> DEFS = new HashMap<>();

    private static void def(String name, P variadic, Impl impl, P... fixed) {
        DEFS.put(name, new Def(name, List.of(fixed), variadic, impl));
    }

    static Def lookup(String name) {
        return DEFS.get(name);
    }

    static {
        // Go builtins (call, and the html/js/urlquery escapers beyond the basics, are the rarely used rest)
        def("and", P.ANY, null, P.ANY);
        def("or", P.ANY, null, P.ANY);
        def("not", null, a -> !Values.truth(a[0]), P.ANY);
        def("len", null, a -> length(a[0]), P.ANY);
        def("index", P.ANY, Funcs::index, P.ANY);
        def("slice", P.ANY, Funcs::slice, P.ANY);
        def("print", P.ANY, GoFmt::sprint);
        def("println", P.ANY, GoFmt::sprintln);
        def("printf", P.ANY, a -> GoFmt.sprintf((String) a[0], Arrays.copyOfRange(a, 1, a.length)), P.STRING);
        def("html", P.ANY, a -> html(evalArgs(a)));
        def("js", P.ANY, a -> js(evalArgs(a)));
        def("urlquery", P.ANY, a -> urlquery(evalArgs(a)));
        def("eq", P.ANY, Funcs::eq, P.ANY);
        def("ne", null, a -> !eq(new Object[] {a[0], a[1]}), P.ANY, P.ANY);
        def("lt", null, a -> lt(a[0], a[1]), P.ANY, P.ANY);
        def("le", null, a -> le(a[0], a[1]), P.ANY, P.ANY);
        def("gt", null, a -> !le(a[0], a[1]), P.ANY, P.ANY);
        def("ge", null, a -> !lt(a[0], a[1]), P.ANY, P.ANY);
        // containers/common pkg/report DefaultFuncs
        def("join", null, a -> join((List<?>) a[0], (String) a[1]), P.LIST, P.STRING);
        def("json", null, a -> json(a[0]), P.ANY);
        def("lower", null, a -> mapCase((String) a[0], false), P.STRING);
        def("upper", null, a -> mapCase((String) a[0], true), P.STRING);
        def("pad", null, a -> pad((String) a[0], (Long) a[1], (Long) a[2]), P.STRING, P.INT, P.INT);
        def("split", null, a -> split((String) a[0], (String) a[1]), P.STRING, P.STRING);
        def("title", null, a -> title((String) a[0]), P.STRING);
        def("truncate", null, a -> truncate((String) a[0], (Long) a[1]), P.STRING, P.INT);
        // jpod extensions, argument order as Go's strings package (so {{if contains .Names "web"}} reads naturally)
        def("contains", null, a -> ((String) a[0]).contains((String) a[1]), P.STRING, P.STRING);
        def("hasPrefix", null, a -> ((String) a[0]).startsWith((String) a[1]), P.STRING, P.STRING);
        def("hasSuffix", null, a -> ((String) a[0]).endsWith((String) a[1]), P.STRING, P.STRING);
        def("replace", null, a -> ((String) a[0]).replace((String) a[1], (String) a[2]), P.STRING, P.STRING, P.STRING);
    }

    // ---- builtins ----

    private static boolean isNil(Object v) {
        return v == null || v == Values.MISSING;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) { n += 4; k++; }
            else n += 3;
        }
        return n;
    }

    private static Object length(Object raw) {
        Object v = Values.norm(raw);
        if (isNil(v)) throw new CallError("len of nil pointer");
        if (v instanceof String s) return (long) utf8Length(s);
        if (v instanceof Collection<?> c) return (long) c.size();
        if (v instanceof Map<?, ?> m) return (long) m.size();
        throw new CallError("len of type " + Values.goType(v));
    }

    private static int indexArg(Object raw, int cap) {
        Object idx = Values.norm(raw);
        if (isNil(idx)) throw new CallError("cannot index slice/array with nil");
        if (!Values.isInt(idx)) throw new CallError("cannot index slice/array with type " + Values.goType(idx));
        long x = ((Number) idx).longValue();
        if (x < 0 || x > cap) throw new CallError("index out of range: " + x);
        return (int) x;
    }

    private static Object index(Object[] a) {
        Object item = Values.norm(a[0]);
        if (isNil(item)) throw new CallError("index of untyped nil");
        for (int k = 1; k < a.length; k++) {
            item = Values.norm(item);
            if (isNil(item)) throw new CallError("index of nil pointer");
            switch (item) {
                case Collection<?> c -> {
                    List<?> l = Values.asList(c);
                    int x = indexArg(a[k], l.size());
                    if (x == l.size()) throw new CallError("index out of range: " + x);
                    item = l.get(x);
                }
                case String s -> {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    int x = indexArg(a[k], b.length);
                    if (x == b.length) throw new CallError("index out of range: " + x);
                    item = (long) (b[x] & 0xff);
                }
                case Map<?, ?> m -> {
                    Object key = Values.norm(a[k]);
                    Object found = Values.lookup(m, key);
                    if (found != Values.MISSING) item = found;
                    else if (!(key instanceof String)) {
                        // maps in the data model are Map<String, ?>, like Go's map[string]T keys
                        throw new CallError("value has type " + Values.goType(key) + "; should be string");
                    } else item = zeroOf(m);
                }
                default -> throw new CallError("can't index item of type " + Values.goType(item));
            }
        }
        return item;
    }

    /**
     * Go returns the map's zero element for a missing key. Labels and annotations are map[string]string
     * in podman (so "" prints); other maps hold interface values (so nil, printed as {@code <no value>}).
     */
    private static Object zeroOf(Map<?, ?> m) {
        for (Object v : m.values()) return v instanceof String ? "" : null;
        return "";
    }

    private static Object slice(Object[] a) {
        Object item = Values.norm(a[0]);
        if (isNil(item)) throw new CallError("slice of untyped nil");
        if (a.length > 4) throw new CallError("too many slice indexes: " + (a.length - 1));
        int cap;
        byte[] bytes = null;
        List<?> list = null;
        if (item instanceof String s) {
            if (a.length == 4) throw new CallError("cannot 3-index slice a string");
            bytes = s.getBytes(StandardCharsets.UTF_8);
            cap = bytes.length;
        } else if (item instanceof Collection<?> c) {
            list = Values.asList(c);
            cap = list.size();
        } else {
            throw new CallError("can't slice item of type " + Values.goType(item));
        }
        int[] idx = {0, cap, cap};
        for (int k = 1; k < a.length; k++) idx[k - 1] = indexArg(a[k], cap);
        if (idx[0] > idx[1]) throw new CallError("invalid slice index: " + idx[0] + " > " + idx[1]);
        if (a.length == 4 && idx[1] > idx[2]) throw new CallError("invalid slice index: " + idx[1] + " > " + idx[2]);
        if (bytes != null) return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
        return new ArrayList<>(list.subList(idx[0], idx[1]));
    }

    /** Go's evalArgs for html/js/urlquery: a lone string as is, otherwise Sprint with nil as "<no value>". */
    private static String evalArgs(Object[] a) {
        if (a.length == 1 && Values.norm(a[0]) instanceof String s) return s;
        Object[] b = new Object[a.length];
        for (int k = 0; k < a.length; k++) b[k] = isNil(a[k]) ? "<no value>" : a[k];
        return GoFmt.sprint(b);
    }

    private static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case 0 -> sb.append('\uFFFD');
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String js(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); ) {
            int r = s.codePointAt(k);
            k += Character.charCount(r);
            switch (r) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '<' -> sb.append("\\u003C");
                case '>' -> sb.append("\\u003E");
                case '&' -> sb.append("\\u0026");
                case '=' -> sb.append("\\u003D");
                default -> {
                    if (r < ' ' || (r >= 0x80 && !GoFmt.isPrint(r))) {
                        String h = Integer.toHexString(r).toUpperCase(java.util.Locale.ROOT);
                        sb.append("\\u").repeat('0', Math.max(0, 4 - h.length())).append(h);
                    }
                    else sb.appendCodePoint(r);
                }
            }
        }
        return sb.toString();
    }

    private static String urlquery(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    // ---- comparisons: Go's basicKind rules, except int vs float and list/map equality, which Go refuses ----

    private enum K { BOOL, NUM, STRING, NIL, OTHER }

    private static K kind(Object v) {
        if (isNil(v)) return K.NIL;
        if (v instanceof Boolean) return K.BOOL;
        if (v instanceof String) return K.STRING;
        if (Values.isInt(v) || Values.isFloat(v)) return K.NUM;
        return K.OTHER;
    }

    private static int compareNumbers(Object a, Object b) {
        if (Values.isInt(a) && Values.isInt(b)) return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        return Double.compare(Values.toDouble(a), Values.toDouble(b));
    }

    private static boolean eq(Object[] a) {
        if (a.length < 2) throw new CallError("missing argument for comparison");
        Object x = Values.norm(a[0]);
        K kx = kind(x);
        for (int k = 1; k < a.length; k++) {
            Object y = Values.norm(a[k]);
            K ky = kind(y);
            boolean truth;
            if (kx == K.NIL || ky == K.NIL) {
                truth = kx == ky;
            } else if (kx != ky) {
                throw new CallError("incompatible types for comparison");
            } else {
                truth = switch (kx) {
                    case NUM -> compareNumbers(x, y) == 0;
                    // Go refuses to compare non-nil slices and maps; equal contents is the useful answer here
                    default -> x.equals(y);
                };
            }
            if (truth) return true;
        }
        return false;
    }

    private static boolean lt(Object a, Object b) {
        Object x = Values.norm(a), y = Values.norm(b);
        K kx = kind(x), ky = kind(y);
        if (kx == K.NIL || kx == K.OTHER || ky == K.NIL || ky == K.OTHER) throw new CallError("invalid type for comparison");
        if (kx != ky) throw new CallError("incompatible types for comparison");
        return switch (kx) {
            case BOOL -> throw new CallError("invalid type for comparison");
            case NUM -> compareNumbers(x, y) < 0;
            default -> ((String) x).compareTo((String) y) < 0;
        };
    }

    private static boolean le(Object a, Object b) {
        return lt(a, b) || eq(new Object[] {a, b});
    }

    // ---- podman's DefaultFuncs ----

    private static String join(List<?> list, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < list.size(); k++) {
            if (k > 0) sb.append(sep);
            Object e = Values.norm(list.get(k));
            if (e instanceof String s) sb.append(s);
            else GoFmt.printV(sb, e);
        }
        return sb.toString();
    }

    /** encoding/json with SetEscapeHTML(false), as podman's json function: &lt; &gt; &amp; stay literal. */
    static String json(Object v) {
        String s = Json.write(v == Values.MISSING ? null : v);
        if (s.indexOf("\\u00") < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c != '\\' || k + 1 >= s.length()) { sb.append(c); continue; }
            if (s.startsWith("u003c", k + 1)) { sb.append('<'); k += 5; }
            else if (s.startsWith("u003e", k + 1)) { sb.append('>'); k += 5; }
            else if (s.startsWith("u0026", k + 1)) { sb.append('&'); k += 5; }
            else { sb.append(c).append(s.charAt(k + 1)); k++; }
        }
        return sb.toString();
    }

    /** strings.ToUpper/ToLower map rune by rune (so "ß" stays one rune, unlike String.toUpperCase). */
    private static String mapCase(String s, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(upper ? Character.toUpperCase(c) : Character.toLowerCase(c)));
        return sb.toString();
    }

    private static String pad(String s, long prefix, long suffix) {
        if (s.isEmpty()) return s;
        if (prefix < 0 || suffix < 0) throw new CallError("strings: negative Repeat count");
        return " ".repeat((int) prefix) + s + " ".repeat((int) suffix);
    }

    /** strings.Split: an empty separator splits into runes; no regex is involved. */
    private static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        int from = 0;
        for (int x; (x = s.indexOf(sep, from)) >= 0; from = x + sep.length()) out.add(s.substring(from, x));
        out.add(s.substring(from));
        return out;
    }

    /** strings.Title: upper-cases (title-cases) the first letter of every word. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int prev = ' ';
        for (int k = 0; k < s.length(); ) {
            int r = s.codePointAt(k);
            k += Character.charCount(r);
            sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(r) : r);
            prev = r;
        }
        return sb.toString();
    }

    private static boolean isSeparator(int r) {
        if (r <= 0x7F) {
            return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
        }
        if (Character.isLetter(r) || Character.isDigit(r)) return false;
        return Character.isWhitespace(r) || Character.isSpaceChar(r);
    }

    /** podman's truncate, counting runes rather than bytes so a multi-byte character is never cut. */
    private static String truncate(String s, long n) {
        if (n < 0) throw new CallError("runtime error: slice bounds out of range [:" + n + "]");
        if (s.codePointCount(0, s.length()) < n) return s;
        return s.substring(0, s.offsetByCodePoints(0, (int) n));
    }

    static String upperForHeader(String s) {
        return mapCase(s, true);
    }
}
