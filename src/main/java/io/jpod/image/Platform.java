package io.jpod.image;

/** os/architecture[/variant], as `--platform linux/arm64/v8` and image indexes spell them. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }

    /** The host's platform; this build runs on linux/amd64 only (the FFM layer is x86-64). */
    public static Platform host() {
        return new Platform("linux", "amd64", "");
    }

    /** Parses "os/arch[/variant]"; --os/--arch/--variant values fill in what is blank. */
    public static Platform parse(String s) {
        String[] p = s.split("/", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty())
            throw new IllegalArgumentException("invalid platform \"" + s + "\": expected os/arch[/variant], e.g. linux/arm64");
        return new Platform(p[0], normalizeArch(p[1]), p.length == 3 ? p[2] : "");
    }

    static String normalizeArch(String a) {
        return switch (a) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    /** Whether an index entry's platform serves this one: os and arch equal; variant only when asked for. */
    public boolean matches(Platform entry) {
        if (entry == null) return false;
        if (!os.equals(entry.os()) || !architecture.equals(normalizeArch(entry.architecture()))) return false;
        return variant.isEmpty() || variant.equals(entry.variant());
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
