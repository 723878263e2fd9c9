package io.jpod.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the plain archives save and export need: ustar headers, PAX records for long names and large sizes. */
final class TarWriter implements AutoCloseable {
    private final OutputStream out;
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A regular file whose content is exactly {@code size} bytes of {@code content}. */
    void file(String name, long size, long mtime, InputStream content) throws IOException {
        header(name, '0', size, 0444, mtime, "");
        long copied = content.transferTo(out);
        if (copied != size) throw new IOException("archive member " + name + " changed size while being written: "
                + size + " expected, " + copied + " read");
        written += size;
        pad();
    }

    void file(String name, byte[] data, long mtime) throws IOException {
        file(name, data.length, mtime, new java.io.ByteArrayInputStream(data));
    }

    void dir(String name, long mtime) throws IOException {
        header(name.endsWith("/") ? name : name + "/", '5', 0, 0755, mtime, "");
    }

    /** Any entry type with full metadata, for export: content (may be null) must be exactly size bytes. */
    void entry(String name, char type, long size, int mode, int uid, int gid, long mtime, String link, int major,
               int minor, InputStream content) throws IOException {
        header(name, type, size, mode, mtime, link, uid, gid, major, minor);
        if (size > 0) {
            // a file of a running container may change meanwhile: exactly size bytes go out, zero-filled if it shrank
            byte[] buf = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = content.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    java.util.Arrays.fill(buf, (byte) 0);
                    while (left > 0) {
                        int z = (int) Math.min(buf.length, left);
                        out.write(buf, 0, z);
                        left -= z;
                    }
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
            written += size;
            pad();
        }
    }

    private void header(String name, char type, long size, int mode, long mtime, String link) throws IOException {
        header(name, type, size, mode, mtime, link, 0, 0, 0, 0);
    }

    private void header(String name, char type, long size, int mode, long mtime, String link, int uid, int gid,
                        int major, int minor) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        StringBuilder pax = new StringBuilder();
        if (nameBytes.length > 100) pax.append(record("path", name));
        if (linkBytes.length > 100) pax.append(record("linkpath", link));
        if (size > 077777777777L) pax.append(record("size", Long.toString(size)));
        if (!pax.isEmpty()) {
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            writeHeader("PaxHeaders/" + trim(name, 80), 'x', body.length, 0644, mtime, "", 0, 0, 0, 0);
            out.write(body);
            written += body.length;
            pad();
        }
        writeHeader(trim(name, 100), type, size > 077777777777L ? 0 : size, mode, mtime, trim(link, 100), uid, gid, major, minor);
    }

    private static String trim(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.UTF_8);
    }

    private static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) total++;
        return total + body;
    }

    private void writeHeader(String name, char type, long size, int mode, long mtime, String link, int uid, int gid,
                             int major, int minor) throws IOException {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(0, mtime));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        h[262] = 0;
        h[263] = '0';
        h[264] = '0';
        if (type == '3' || type == '4') {
            octal(h, 329, 8, major);
            octal(h, 337, 8, minor);
        }
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
        written += 512;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException("value " + v + " does not fit a tar header field");
        String padded = "0".repeat(len - 1 - s.length()) + s;
        put(h, off, len - 1, padded);
        h[off + len - 1] = 0;
    }

    private void pad() throws IOException {
        int rem = (int) (written % 512);
        if (rem != 0) {
            out.write(new byte[512 - rem]);
            written += 512 - rem;
        }
    }

    /** Writes the two zero end blocks; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.flush();
    }
}
