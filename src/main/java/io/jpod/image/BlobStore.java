package io.jpod.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blobs (manifests, configs, layer archives as pulled or imported) under blobs/sha256/HEX. Every blob is written to
 * an ingest file first, its size and digest checked, then renamed into place: nothing unverified is ever visible
 * under its digest. Ingest files carry the writer's pid, so a killed writer's leftovers are recognised and swept.
 */
public final class BlobStore {
    private static final AtomicLong SEQ = new AtomicLong();
    private final Path dir;

    public BlobStore(Path dir) {
        this.dir = dir;
    }

    public Path path(Digest d) {
        return dir.resolve("sha256").resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public byte[] read(Digest d) throws IOException {
        try {
            return Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path(d).toString(), null, "blob " + d + " is missing from the store");
        }
    }

    public InputStream open(Digest d) throws IOException {
        return Files.newInputStream(path(d));
    }

    public long size(Digest d) throws IOException {
        return Files.size(path(d));
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    /** Stores bytes whose digest must be {@code expected} (null: whatever they hash to); returns the digest. */
    public Digest put(byte[] data, Digest expected) throws IOException {
        try (Ingest in = begin()) {
            in.write(data);
            return in.commit(expected, data.length);
        }
    }

    public Ingest begin() throws IOException {
        return begin(true);
    }

    /** An ingest that hashes what it is given, or (hash false) takes its digest from the caller at commit. */
    public Ingest begin(boolean hash) throws IOException {
        Path ingest = dir.resolve("ingest");
        Files.createDirectories(ingest);
        Files.createDirectories(dir.resolve("sha256"));
        Path tmp = ingest.resolve(ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime());
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Ingest(tmp, ch, hash);
    }

    /** Removes ingest files of writers that are gone (killed mid-pull); live writers' files stay. */
    public void sweep() {
        Path ingest = dir.resolve("ingest");
        if (!Files.isDirectory(ingest)) return;
        try (var s = Files.list(ingest)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                int dash = n.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? n.substring(0, dash) : n);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                } catch (NumberFormatException e) {
                    // not ours: remove it as well
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover only costs disk space
        }
    }

    /** A blob being written; commit verifies it, close without commit discards it. */
    public final class Ingest extends OutputStream {
        private final Path tmp;
        private final OutputStream out;
        private final MessageDigest md;
        private long size;
        private boolean done;

        private final java.nio.channels.FileChannel channel;

        private Ingest(Path tmp, java.nio.channels.FileChannel channel, boolean hash) {
            this.tmp = tmp;
            this.channel = channel;
            this.out = java.nio.channels.Channels.newOutputStream(channel);
            this.md = hash ? Digest.sha256() : null;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            if (md != null) md.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (md != null) md.update(b, off, len);
            size += len;
        }

        /**
         * Copies a whole file in, in the kernel (copy_file_range), for content the caller hashes itself (begin(false),
         * commitKnown): an uncompressed layer imported from a file.
         */
        public void copyFrom(java.nio.channels.FileChannel src) throws IOException {
            if (md != null) throw new IllegalStateException("copyFrom bypasses hashing: use begin(false) and commitKnown");
            long n = src.size();
            for (long at = 0; at < n; ) {
                long k = src.transferTo(at, n - at, channel);
                if (k <= 0) throw new IOException("copying into the blob store stopped at byte " + at + " of " + n);
                at += k;
            }
            size += n;
        }

        public long size() {
            return size;
        }

        /**
         * Checks the content against {@code expected} (digest; null takes any) and {@code expectedSize} (-1: any), then
         * moves it into place. A mismatch discards the content and throws {@link ContentMismatchException}.
         */
        public Digest commit(Digest expected, long expectedSize) throws IOException {
            if (md == null) throw new IllegalStateException("an ingest without hashing needs commitKnown");
            out.close();
            return place(Digest.of(md), expected, expectedSize);
        }

        /**
         * commit for content whose digest the caller computed over the same bytes (an uncompressed layer: its blob
         * digest is its diffID, which unpacking hashed already).
         */
        public Digest commitKnown(Digest actual, Digest expected, long expectedSize) throws IOException {
            out.close();
            return place(actual, expected, expectedSize);
        }

        private Digest place(Digest actual, Digest expected, long expectedSize) throws IOException {
            if (expectedSize >= 0 && expectedSize != size) {
                discard();
                throw new ContentMismatchException("size mismatch for " + (expected != null ? expected : actual)
                        + ": expected " + expectedSize + " bytes, got " + size);
            }
            if (expected != null && !expected.equals(actual)) {
                discard();
                throw new ContentMismatchException("digest mismatch: expected " + expected + ", got " + actual
                        + "; the content was discarded");
            }
            Path target = path(actual);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp); // same digest, same bytes: someone stored it first
            } catch (AtomicMoveNotSupportedException e) {
                discard();
                throw new IOException("cannot move blob into place: " + e.getMessage(), e);
            }
            done = true;
            return actual;
        }

        private void discard() throws IOException {
            done = true;
            Files.deleteIfExists(tmp);
        }

        @Override
        public void close() throws IOException {
            if (done) return;
            try {
                out.close();
            } finally {
                discard();
            }
        }
    }

    /** Content that does not match the digest or size it was announced with. */
    public static final class ContentMismatchException extends IOException {
        public ContentMismatchException(String message) {
            super(message);
        }
    }
}
