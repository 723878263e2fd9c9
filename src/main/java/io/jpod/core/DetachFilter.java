package io.jpod.core;

import java.io.ByteArrayOutputStream;

/**
 * Watches typed input for the detach sequence, as podman's escape proxy does: bytes that could start the
 * sequence are held back until it is clear whether they do; a sequence that breaks off is passed on whole; the
 * completed sequence itself never reaches the container, but everything typed before it does.
 */
public final class DetachFilter {
    private final byte[] keys;
    private int matched;
    private boolean detached;

    public DetachFilter(byte[] keys) {
        this.keys = keys.clone();
    }

    /** The bytes of buf[0..n) to forward; after the sequence completes, {@link #detached()} is true and the rest dropped. */
    public byte[] feed(byte[] buf, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        if (keys.length == 0) {
            out.write(buf, 0, n);
            return out.toByteArray();
        }
        for (int i = 0; i < n && !detached; i++) {
            byte b = buf[i];
            if (b == keys[matched]) {
                if (++matched == keys.length) detached = true;
                continue;
            }
            // the held-back prefix was not the sequence after all: it goes on, then this byte is looked at afresh
            out.write(keys, 0, matched);
            matched = 0;
            if (b == keys[0]) {
                matched = keys.length == 1 ? 0 : 1;
                if (keys.length == 1) detached = true;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    public boolean detached() { return detached; }
}
