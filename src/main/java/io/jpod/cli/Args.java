package io.jpod.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lean flag parser with podman's (pflag's) rules: --name value, --name=value, -n value, -nvalue, grouped
 * booleans (-dit), --bool=false, "--" ends flags. With {@code stopAtPositional} (run, create, exec) parsing stops
 * at the first positional so the container's own command keeps its flags.
 */
final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    static Args parse(List<Flag> flags, List<String> args, int stopAfterPositionals) {
        Map<String, Flag> byLong = new LinkedHashMap<>();
        Map<Character, Flag> byShort = new HashMap<>();
        for (Flag f : flags) {
            byLong.put(f.name(), f);
            if (f.shortName() != '\0') byShort.put(f.shortName(), f);
        }
        Args a = new Args();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i++);
            if (stopAfterPositionals > 0 && a.positionals.size() >= stopAfterPositionals) {
                a.positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                while (i < args.size()) a.positionals.add(args.get(i++));
                break;
            }
            if (arg.startsWith("--")) {
                String name = arg.substring(2), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Flag f = byLong.get(name);
                if (f == null) throw new UsageException("unknown flag: --" + name);
                if (f.takesValue()) {
                    if (value == null) {
                        if (i >= args.size()) throw new UsageException("flag needs an argument: --" + name);
                        value = args.get(i++);
                    }
                    a.add(f.name(), value);
                } else {
                    a.add(f.name(), value == null ? "true" : boolValue(name, value));
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int k = 1; k < arg.length(); k++) {
                    char c = arg.charAt(k);
                    Flag f = byShort.get(c);
                    if (f == null) throw new UsageException("unknown shorthand flag: '" + c + "' in " + arg);
                    if (f.takesValue()) {
                        String value;
                        if (k + 1 < arg.length()) {
                            value = arg.substring(k + 1);
                            if (value.startsWith("=")) value = value.substring(1);
                        } else {
                            if (i >= args.size()) throw new UsageException("flag needs an argument: '" + c + "' in -" + c);
                            value = args.get(i++);
                        }
                        a.add(f.name(), value);
                        break;
                    }
                    a.add(f.name(), "true");
                }
            } else {
                a.positionals.add(arg);
            }
        }
        return a;
    }

    private static String boolValue(String name, String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "t" -> "true";
            case "false", "0", "f" -> "false";
            default -> throw new UsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: use true or false");
        };
    }

    private void add(String name, String value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean bool(String name) {
        List<String> v = values.get(name);
        return v != null && v.getLast().equals("true");
    }

    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.getLast();
    }

    String get(String name, String dflt) {
        String v = get(name);
        return v == null ? dflt : v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Integer integer(String name) {
        String v = get(name);
        if (v == null) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: expected a whole number");
        }
    }

    List<String> positionals() {
        return positionals;
    }
}
