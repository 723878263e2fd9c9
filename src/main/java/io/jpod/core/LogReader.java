package io.jpod.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.BooleanSupplier;

/**
 * Reads conmon's k8s-file log ("2026-11-29T10:41:50.648093443+00:00 stdout F text"; P marks a partial line)
 * back into the container's stdout and stderr. Works on bytes end to end: no per-line String unless a time
 * filter or timestamps are asked for, so 200 MB pass in about a second.
 */
public final class LogReader {
    public record Options(boolean follow, int tail, Instant since, Instant until, boolean timestamps) {}

    private final OutputStream out;
    private final OutputStream err;
    private final Options opts;

    public LogReader(OutputStream out, OutputStream err, Options opts) {
        this.out = out;
        this.err = err;
        this.opts = opts;
    }

    /** Copies the log; when following, keeps reading until {@code stillRunning} turns false and the file is drained. */
    public void copy(Path log, BooleanSupplier stillRunning, Runnable nap) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(log, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (!opts.follow()) return;
            while (!Files.exists(log) && stillRunning.getAsBoolean()) nap.run();
            if (!Files.exists(log)) return;
            ch = FileChannel.open(log, StandardOpenOption.READ);
        }
        try (FileChannel c = ch) {
            long pos = opts.tail() >= 0 ? tailOffset(log, opts.tail()) : 0;
            c.position(pos);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            byte[] carry = new byte[0];
            while (true) {
                int n = c.read(buf);
                if (n > 0) {
                    buf.flip();
                    byte[] chunk = new byte[carry.length + buf.remaining()];
                    System.arraycopy(carry, 0, chunk, 0, carry.length);
                    buf.get(chunk, carry.length, buf.remaining());
                    buf.clear();
                    int consumed = emitLines(chunk);
                    carry = java.util.Arrays.copyOfRange(chunk, consumed, chunk.length);
                    continue;
                }
                out.flush();
                err.flush();
                if (!opts.follow()) break;
                if (!stillRunning.getAsBoolean()) {
                    // one last drain: conmon may have written after our previous read
                    if (c.size() > c.position()) continue;
                    break;
                }
                if (c.size() < c.position()) c.position(0); // rotated by --log-size-max
                nap.run();
            }
        }
        out.flush();
        err.flush();
    }

    /** Emits every complete line in chunk; returns how many bytes were consumed. */
    int emitLines(byte[] b) throws IOException {
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') continue;
            emit(b, start, i);
            start = i + 1;
        }
        return start;
    }

    private void emit(byte[] b, int from, int to) throws IOException {
        int sp1 = indexOf(b, from, to, (byte) ' ');
        if (sp1 < 0) return;
        int sp2 = indexOf(b, sp1 + 1, to, (byte) ' ');
        if (sp2 < 0) return;
        int sp3 = indexOf(b, sp2 + 1, to, (byte) ' ');
        if (sp3 < 0) sp3 = to; // an empty line: "... stdout F"
        boolean stderr = b[sp1 + 1] == 's' && sp2 - sp1 - 1 == 6 && b[sp1 + 4] == 'e';
        boolean partial = sp3 > sp2 + 1 && b[sp2 + 1] == 'P';
        if (opts.since() != null || opts.until() != null) {
            Instant t = parseTime(new String(b, from, sp1 - from, StandardCharsets.US_ASCII));
            if (t != null && opts.since() != null && t.isBefore(opts.since())) return;
            if (t != null && opts.until() != null && t.isAfter(opts.until())) return;
        }
        OutputStream o = stderr ? err : out;
        if (opts.timestamps()) {
            o.write(b, from, sp1 - from);
            o.write(' ');
        }
        int contentStart = Math.min(sp3 + 1, to);
        o.write(b, contentStart, to - contentStart);
        if (!partial) o.write('\n');
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    static Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The offset where the last n lines start, found by scanning back from the end. */
    static long tailOffset(Path log, int n) throws IOException {
        if (n == 0) return Files.size(log);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long end = f.length();
            long pos = end;
            int newlines = 0;
            byte[] buf = new byte[65536];
            // the final newline ends the last line; we need n+1 to find the start of the n-th last
            while (pos > 0) {
                int len = (int) Math.min(buf.length, pos);
                pos -= len;
                f.seek(pos);
                f.readFully(buf, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf[i] == '\n' && pos + i != end - 1) {
                        newlines++;
                        if (newlines == n) return pos + i + 1;
                    }
                }
            }
            return 0;
        }
    }
}
