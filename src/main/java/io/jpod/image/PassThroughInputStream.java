package io.jpod.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter that must see every byte it passes on (to hash, copy or count it): single-byte reads and skips go
 * through {@link #read(byte[], int, int)}, and mark/reset is off.
 */
abstract class PassThroughInputStream extends FilterInputStream {
    PassThroughInputStream(InputStream in) {
        super(in);
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long left = n;
        while (left > 0) {
            int r = read(scratch, 0, (int) Math.min(left, scratch.length));
            if (r < 0) break;
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
