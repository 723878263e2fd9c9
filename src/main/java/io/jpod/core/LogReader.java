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

    private final Buffer out;
    private final Buffer err;
    private final Options opts;

    public LogReader(OutputStream out, OutputStream err, Options opts) {
        this.out = new Buffer(out);
        this.err = new Buffer(err);
        this.opts = opts;
    }

    /** An unsynchronised output buffer: a log is millions of small writes, and locks per write showed. */
    private static final class Buffer extends OutputStream {
        private final OutputStream target;
        private final byte[] buf = new byte[1 << 18];
        private int pos;

        Buffer(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            if (pos == buf.length) drain();
            buf[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - pos) {
                drain();
                if (len > buf.length) {
                    target.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }

        private void drain() throws IOException {
            if (pos > 0) target.write(buf, 0, pos);
            pos = 0;
        }

        @Override
        public void flush() throws IOException {
            drain();
            target.flush();
        }
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
            // One buffer, compacted after each pass: no per-chunk allocation on the 200 MB path.
            byte[] in = new byte[1 << 20];
            int have = 0;
            while (true) {
                if (have == in.length) in = java.util.Arrays.copyOf(in, in.length * 2); // a line longer than the buffer
                int n = c.read(ByteBuffer.wrap(in, have, in.length - have));
                if (n > 0) {
                    int end = have + n;
                    int consumed = emitLines(in, end);
                    System.arraycopy(in, consumed, in, 0, end - consumed);
                    have = end - consumed;
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

    /** Emits every complete line in b[0, end); returns how many bytes were consumed. */
    int emitLines(byte[] b, int end) throws IOException {
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (b[i] != '\n') continue;
            emit(b, start, i);
            start = i + 1;
        }
        return start;
    }

    int emitLines(byte[] b) throws IOException {
        return emitLines(b, b.length);
    }

    private void emit(byte[] b, int from, int to) throws IOException {
        int sp1 = indexOf(b, from, to, (byte) ' ');
        if (sp1 < 0) return;
        int sp2 = indexOf(b, sp1 + 1, to, (byte) ' ');
        if (sp2 < 0) return;
        int sp3 = indexOf(b, sp2 + 1, to, (byte) ' ');
        if (sp3 < 0) sp3 = to; // an empty line: "... stdout F"
        boolean stderr = sp2 - sp1 - 1 == 6 && b[sp1 + 1] == 's' && b[sp1 + 4] == 'e';
        boolean partial = sp3 > sp2 + 1 && b[sp2 + 1] == 'P';
        if (opts.since() != null || opts.until() != null) {
            Instant t = parseTime(new String(b, from, sp1 - from, StandardCharsets.US_ASCII));
            if (t != null && opts.since() != null && t.isBefore(opts.since())) return;
            if (t != null && opts.until() != null && t.isAfter(opts.until())) return;
        }
        Buffer o = stderr ? err : out;
        if (opts.timestamps()) {
            // podman prints UTC as "Z"; conmon writes "+00:00"
            int len = sp1 - from;
            if (len > 6 && b[sp1 - 6] == '+' && b[sp1 - 5] == '0' && b[sp1 - 4] == '0' && b[sp1 - 2] == '0' && b[sp1 - 1] == '0') {
                o.write(b, from, len - 6);
                o.write('Z');
            } else {
                o.write(b, from, len);
            }
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
