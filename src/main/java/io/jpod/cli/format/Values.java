package io.jpod.cli.format;

import io.jpod.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Go-like views of plain JDK values: kinds, truthiness, type names and map key ordering. */
final class Values {
    private Values() {}

    /** Go's invalid reflect.Value: a missing map key; prints as {@code <no value>}. */
    enum NoValue { INSTANCE; @Override public String toString() { return "<no value>"; } }

    static final Object MISSING = NoValue.INSTANCE;

    /** Unwraps domain values (Json.JsonValue) and arrays so the rest of the engine sees Map/List/scalars. */
    static Object norm(Object v) {
        if (v instanceof Json.JsonValue jv) return norm(jv.toJson());
        if (v instanceof Object[] arr) return Arrays.asList(arr);
        return v;
    }

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    static boolean isList(Object v) {
        return v instanceof Collection<?>;
    }

    static List<?> asList(Object v) {
        return v instanceof List<?> l ? l : new ArrayList<>((Collection<?>) v);
    }

    /** Float64 value of a float-kind number; Float goes through its decimal string so 0.1f prints 0.1. */
    static double toDouble(Object v) {
        return v instanceof Float f ? Double.parseDouble(f.toString()) : ((Number) v).doubleValue();
    }

    /** Go's isTrue: empty string/collection/map, zero, false, nil and missing are false. */
    static boolean truth(Object v) {
        v = norm(v);
        return switch (v) {
            case null -> false;
            case NoValue n -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case BigDecimal d -> d.signum() != 0;
            case BigInteger d -> d.signum() != 0;
            case Number n -> isFloat(n) ? n.doubleValue() != 0 : n.longValue() != 0;
            default -> true;
        };
    }

    /** The Go type name podman would print for a value of this kind (%T, error messages). */
    static String goType(Object v) {
        v = norm(v);
        if (v == null || v == MISSING) return "<nil>";
        if (v instanceof String) return "string";
        if (v instanceof Boolean) return "bool";
        if (isInt(v)) return "int";
        if (isFloat(v)) return "float64";
        if (v instanceof Collection<?>) return "[]interface {}";
        if (v instanceof Map<?, ?>) return "map[string]interface {}";
        return v.getClass().getSimpleName();
    }

    /** fmt's sorted map-key order: numbers numerically, strings lexically, anything else by its text. */
    static final Comparator<Object> KEY_ORDER = (a, b) -> {
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        if (a instanceof Number x && b instanceof Number y) {
            if (isInt(x) && isInt(y)) return Long.compare(x.longValue(), y.longValue());
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    };

    static List<Map.Entry<?, ?>> sortedEntries(Map<?, ?> m) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        entries.sort((x, y) -> KEY_ORDER.compare(x.getKey(), y.getKey()));
        return entries;
    }

    /** m.get that reports an absent key as MISSING; sorted maps of other key types throw on a foreign key. */
    static Object lookup(Map<?, ?> m, Object key) {
        try {
            Object v = m.get(key);
            return v != null || m.containsKey(key) ? v : MISSING;
        } catch (ClassCastException | NullPointerException e) {
            return MISSING;
        }
    }

    /** Looks up a struct-like field: the exact key first, then a case-insensitive match. */
    static Object field(Map<?, ?> m, String name) {
        Object v = lookup(m, name);
        if (v != MISSING) return v;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof String k && k.equalsIgnoreCase(name)) return e.getValue();
        }
        return MISSING;
    }
}
