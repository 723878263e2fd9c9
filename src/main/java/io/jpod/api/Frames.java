package io.jpod.api;

import java.io.IOException;
import java.io.OutputStream;

/** Docker's stream framing: an 8-byte header (stream 1 stdout or 2 stderr, 3 zero bytes, big-endian length) per write. */
final class Frames {
    private Frames() {}

    /** A stream's writes as Docker frames ({@code framed}) or as they are, flushed each time (follow is live). */
    static OutputStream of(OutputStream body, int stream, boolean framed) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len == 0) return;
                synchronized (body) {
                    if (framed) body.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
                    body.write(b, off, len);
                    body.flush();
                }
            }
        };
    }
}
