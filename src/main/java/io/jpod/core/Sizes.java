package io.jpod.core;

import java.util.Locale;

/** Sizes as podman takes them: "64m", "1g", "512k", "1024" (bytes), binary units. */
public final class Sizes {
    private Sizes() {}

    public static long parseBytes(String s, String flag) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        else if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                case 't' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            if (!t.matches("\\d+(\\.\\d+)?")) throw new NumberFormatException(); // parseDouble takes "1d", "1e3"
            double v = Double.parseDouble(t);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v) || t.isEmpty()) throw new NumberFormatException();
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw JpodException.invalid("invalid size \"" + s + "\" for " + flag + ": use a number with an optional unit b, k, m or g (e.g. 64m)");
        }
    }
}
