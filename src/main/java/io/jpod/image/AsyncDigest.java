package io.jpod.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SHA-256 on a thread of its own, so a layer is hashed on the second core while the first unpacks it: unpacking a
 * 316 MB layer took 685 ms with the hash inline, against 309 ms for GNU tar (measured). Chunks are copied into a
 * small ring of buffers; {@link #update} blocks only when the hasher is a full ring behind. An optional sink gets
 * the same bytes on that thread (an uncompressed layer's blob copy).
 */
final class AsyncDigest implements AutoCloseable {
    private static final int CHUNK = 256 * 1024;
    private static final int RING = 8;
    private static final byte[] END = new byte[0];

    private record Work(byte[] data, int len) {}

    private final MessageDigest md = Digest.sha256();
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(RING);
    private final BlockingQueue<Work> work = new ArrayBlockingQueue<>(RING + 1);
    private final Thread thread;
    private final java.io.OutputStream sink;
    private volatile Exception failure;
    private byte[] current;
    private int fill;
    private Digest result;

    AsyncDigest() {
        this(null);
    }

    AsyncDigest(java.io.OutputStream sink) {
        this.sink = sink;
        for (int i = 0; i < RING; i++) free.add(new byte[CHUNK]);
        thread = Thread.ofPlatform().daemon().name("sha256").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                Work w = work.take();
                if (w.data() == END) return;
                md.update(w.data(), 0, w.len());
                if (sink != null) sink.write(w.data(), 0, w.len());
                free.put(w.data());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            failure = e;
            free.clear();
            for (int i = 0; i < RING; i++) free.offer(new byte[0]); // unblock a waiting update; it then sees failure
        }
    }

    void update(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null) {
                current = take();
                fill = 0;
            }
            int n = Math.min(len, CHUNK - fill);
            System.arraycopy(b, off, current, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == CHUNK) flush();
        }
    }

    private void flush() throws IOException {
        if (current == null || fill == 0) return;
        put(new Work(current, fill));
        current = null;
    }

    /** Waits for the hasher and returns the digest of everything given to update. */
    Digest digest() throws IOException {
        if (result != null) return result;
        flush();
        put(new Work(END, 0));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        rethrow();
        result = Digest.of(md);
        return result;
    }

    private void rethrow() throws IOException {
        Exception f = failure;
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
    }

    private byte[] take() throws IOException {
        rethrow();
        try {
            byte[] b = free.take();
            rethrow();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    private void put(Work w) throws IOException {
        rethrow();
        try {
            work.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    /** Stops the hasher if digest() was never called (an aborted unpack). */
    @Override
    public void close() {
        if (result == null && thread.isAlive()) thread.interrupt();
    }
}
