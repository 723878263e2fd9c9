package io.jpod.engine;

import io.jpod.core.JpodException;

import java.io.ByteArrayOutputStream;

/**
 * The key sequence that detaches from an attached terminal, in podman's notation: comma-separated keys, each a
 * single character or ctrl-X (X a letter or one of @ [ \ ] ^ _). The default is ctrl-p,ctrl-q; "" disables it.
 */
public record DetachKeys(byte[] sequence) {
    public static final String DEFAULT = "ctrl-p,ctrl-q";

    public DetachKeys {
        sequence = sequence.clone();
    }

    public static DetachKeys defaults() { return parse(DEFAULT); }

    public static DetachKeys parse(String spec) {
        if (spec == null) return parse(DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!spec.isEmpty()) {
            for (String key : spec.split(",", -1)) out.write(key(spec, key));
        }
        return new DetachKeys(out.toByteArray());
    }

    private static int key(String spec, String key) {
        if (key.length() == 1) return key.charAt(0);
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.startsWith("ctrl-") && k.length() == 6) {
            char c = k.charAt(5);
            if (c >= 'a' && c <= 'z') return c - 'a' + 1;
            switch (c) {
                case '@': return 0;
                case '[': return 27;
                case '\\': return 28;
                case ']': return 29;
                case '^': return 30;
                case '_': return 31;
                default: break;
            }
        }
        throw JpodException.invalid("invalid detach keys \"" + spec + "\": \"" + key + "\" is not a key: use single "
                + "characters or ctrl-<a-z, @, [, \\, ], ^, _>, separated by commas (default " + DEFAULT + ")");
    }

    public boolean disabled() { return sequence.length == 0; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachKeys d && java.util.Arrays.equals(sequence, d.sequence);
    }

    @Override
    public int hashCode() { return java.util.Arrays.hashCode(sequence); }
}
