package io.jpod.engine;

import java.util.Locale;

/** --pull for create and run: when a missing or stale local image is fetched. */
public enum PullPolicy {
    MISSING, ALWAYS, NEVER, NEWER;

    public static PullPolicy parse(String s) {
        if (s == null || s.isEmpty()) return MISSING;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "missing", "ifmissing", "ifnotpresent" -> MISSING;
            case "always", "true" -> ALWAYS;
            case "never", "false" -> NEVER;
            case "newer", "ifnewer" -> NEWER;
            default -> throw new IllegalArgumentException("invalid pull policy \"" + s + "\": use missing, always, never or newer");
        };
    }
}
