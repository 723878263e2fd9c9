package io.jpod.image;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, "sha256:" and 64 lowercase hex digits: the only algorithm registries use for images. */
public record Digest(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches())
            throw new IllegalArgumentException("invalid digest \"" + hex + "\": expected 64 lowercase hex digits");
    }

    /** Parses "sha256:HEX"; a bare 64-digit hex is taken as sha256 too. */
    public static Digest parse(String s) {
        if (s == null) throw new IllegalArgumentException("invalid digest: it is missing");
        if (s.startsWith("sha256:")) return new Digest(s.substring(7));
        if (s.indexOf(':') > 0) throw new IllegalArgumentException("unsupported digest algorithm in \"" + s
                + "\": jpod supports sha256 only");
        return new Digest(s);
    }

    public static Digest of(byte[] data) {
        MessageDigest md = sha256();
        return new Digest(HexFormat.of().formatHex(md.digest(data)));
    }

    static Digest of(MessageDigest md) {
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    /** A SHA-256 for bulk data (layers, blobs): libcrypto's, which is fast from the first byte (see NativeSha256). */
    public static MessageDigest sha256() {
        return io.jpod.sys.linux.NativeSha256.create();
    }

    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
