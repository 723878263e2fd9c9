package io.jpod.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A test-only tar writer that can produce exactly the headers the tests need, hostile ones included (names with
 * "..", absolute hardlinks, bad checksums). Not a general writer: no sparse files, no validation.
 */
public final class TestTar {
    enum LongNames { PAX, GNU, USTAR_PREFIX }

    /** One entry; fields are public-ish for terse tests. */
    public static final class E {
        String name;
        char type = '0';
        byte[] data = new byte[0];
        int mode = 0644;
        long uid;
        long gid;
        long mtime = 1_700_000_000L;
        String paxMtime;
        String paxAtime;
        String link = "";
        int major;
        int minor;
        boolean base256;
        LongNames longNames = LongNames.PAX;
        final Map<String, byte[]> xattrs = new LinkedHashMap<>();
        final Map<String, byte[]> pax = new LinkedHashMap<>();

        public E(String name) { this.name = name; }
        public E type(char t) { type = t; return this; }
        public E data(String s) { data = s.getBytes(StandardCharsets.UTF_8); return this; }
        public E data(byte[] d) { data = d; return this; }
        public E mode(int m) { mode = m; return this; }
        public E owner(long u, long g) { uid = u; gid = g; return this; }
        public E mtime(long t) { mtime = t; return this; }
        E paxMtime(String t) { paxMtime = t; return this; }
        E paxAtime(String t) { paxAtime = t; return this; }
        public E link(String l) { link = l; return this; }
        public E dev(int ma, int mi) { major = ma; minor = mi; return this; }
        E base256() { base256 = true; return this; }
        E longNames(LongNames l) { longNames = l; return this; }
        public E xattr(String k, byte[] v) { xattrs.put(k, v); return this; }
        E pax(String k, String v) { pax.put(k, v.getBytes(StandardCharsets.UTF_8)); return this; }
        E pax(String k, byte[] v) { pax.put(k, v); return this; }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static E file(String name, String content) { return new E(name).data(content); }
    public static E dir(String name) { return new E(name).type('5').mode(0755); }
    public static E symlink(String name, String target) { return new E(name).type('2').link(target).mode(0777); }
    public static E hardlink(String name, String target) { return new E(name).type('1').link(target); }

    public TestTar add(E... es) {
        for (E e : es) write(e);
        return this;
    }

    TestTar global(Map<String, String> records) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        records.forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
        byte[] body = paxBody(m);
        out.writeBytes(header("pax_global_header", 'g', body.length, 0644, 0, 0, 0, "", 0, 0, false, false, null));
        block(body);
        return this;
    }

    /** Raw bytes appended as-is (for corrupt-archive tests). */
    TestTar raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** The archive with its two zero end blocks. */
    public byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** Without end blocks (for truncation tests). */
    byte[] bytesNoEnd() {
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
                g.write(b);
            }
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a test tree without following symlinks (some point outside on purpose). */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                    throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e)
                    throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void write(E e) {
        Map<String, byte[]> pax = new LinkedHashMap<>(e.pax);
        String name = e.name;
        String link = e.link;
        String prefix = null;
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        boolean gnu = e.longNames == LongNames.GNU;
        if (nameBytes.length > 100) {
            switch (e.longNames) {
                case PAX -> pax.put("path", nameBytes);
                case GNU -> longLink('L', nameBytes);
                case USTAR_PREFIX -> {
                    int cut = name.lastIndexOf('/', 155);
                    prefix = name.substring(0, cut);
                    name = name.substring(cut + 1);
                }
            }
        }
        if (linkBytes.length > 100) {
            if (gnu) longLink('K', linkBytes);
            else pax.put("linkpath", linkBytes);
        }
        e.xattrs.forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (e.paxMtime != null) pax.put("mtime", e.paxMtime.getBytes(StandardCharsets.US_ASCII));
        if (e.paxAtime != null) pax.put("atime", e.paxAtime.getBytes(StandardCharsets.US_ASCII));
        if (!pax.isEmpty()) {
            byte[] body = paxBody(pax);
            out.writeBytes(header("PaxHeaders.0/" + trunc(name, 80), 'x', body.length, 0644, 0, 0, 0, "", 0, 0,
                    false, false, null));
            block(body);
        }
        out.writeBytes(header(trunc(name, 100), e.type, e.data.length, e.mode, e.uid, e.gid, e.mtime, trunc(link, 100),
                e.major, e.minor, e.base256, gnu, prefix));
        block(e.data);
    }

    private void longLink(char type, byte[] value) {
        byte[] body = new byte[value.length + 1];
        System.arraycopy(value, 0, body, 0, value.length);
        out.writeBytes(header("././@LongLink", type, body.length, 0644, 0, 0, 0, "", 0, 0, false, true, null));
        block(body);
    }

    private void block(byte[] data) {
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
    }

    static byte[] paxBody(Map<String, byte[]> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        records.forEach((k, v) -> {
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            int rest = 1 + kb.length + 1 + v.length + 1; // " " key "=" value "\n"
            int len = rest + 1;
            while (len != rest + Integer.toString(len).length()) len = rest + Integer.toString(len).length();
            b.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(kb);
            b.write('=');
            b.writeBytes(v);
            b.write('\n');
        });
        return b.toByteArray();
    }

    static byte[] header(String name, char type, long size, int mode, long uid, long gid, long mtime, String link,
                         int major, int minor, boolean base256, boolean gnu, String prefix) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        num(h, 108, 8, uid, base256);
        num(h, 116, 8, gid, base256);
        num(h, 124, 12, size, base256);
        num(h, 136, 12, mtime, base256);
        h[156] = (byte) type;
        put(h, 157, 100, link);
        if (gnu) put(h, 257, 8, "ustar  \0");
        else {
            put(h, 257, 6, "ustar\0");
            put(h, 263, 2, "00");
        }
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        if (prefix != null) put(h, 345, 155, prefix);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] cs = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(cs, 0, h, 148, 8);
        return h;
    }

    private static void num(byte[] h, int off, int len, long v, boolean base256) {
        if (!base256) {
            octal(h, off, len, v);
            return;
        }
        // two's complement big-endian with the top bit of the first byte set
        for (int i = len - 1; i >= 0; i--) {
            h[off + i] = (byte) v;
            v >>= 8;
        }
        h[off] |= (byte) 0x80;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException("value " + v + " does not fit; use base256()");
        put(h, off, len, "0".repeat(len - 1 - s.length()) + s + "\0");
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static String trunc(String s, int bytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= bytes ? s : new String(b, 0, bytes, StandardCharsets.UTF_8);
    }
}
