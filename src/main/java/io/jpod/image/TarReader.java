package io.jpod.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming tar parser for image layers: ustar, GNU ('L'/'K' long names, base-256 numbers) and PAX ('x' and
 * 'g' headers). Hand-written because commons-compress decodes PAX values as UTF-8, which corrupts binary
 * {@code SCHILY.xattr.*} values such as security.capability; here those stay raw bytes. One pass, own 64 KiB
 * buffer, never seeks, so every byte of the stream passes through whatever digest the caller reads it with.
 * Follows Go's archive/tar where formats are vague, since that is what built (and what unpacks) most layers.
 */
final class TarReader {
    static final char REG = '0', HARDLINK = '1', SYMLINK = '2', CHAR = '3', BLOCK = '4', DIR = '5', FIFO = '6';

    private static final int BLOCK_SIZE = 512;
    /** Like Go's limit for PAX and GNU long-name payloads: large enough for any sane xattr set, small enough for memory. */
    private static final int MAX_META = 1 << 20;
    private static final String SCHILY_XATTR = "SCHILY.xattr.";
    private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";

    /**
     * One archive member. Times are seconds and nanoseconds since the epoch; atime is absent (hasAtime false) unless
     * PAX or GNU headers carried it. size is the content length (0 for every type but regular files).
     */
    record Entry(String name, char type, long size, int mode, int uid, int gid,
                 long mtimeSec, int mtimeNsec, boolean hasAtime, long atimeSec, int atimeNsec,
                 String linkName, int devMajor, int devMinor, Map<String, byte[]> xattrs, long headerOffset) {}

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private final byte[] hdr = new byte[BLOCK_SIZE];
    private int pos;
    private int lim;
    private long offset;      // stream offset of buf[pos]
    private long remaining;   // unread content of the current entry
    private long padding;     // zero fill after the current entry's content
    private boolean done;
    private final Map<String, byte[]> globalPax = new HashMap<>();

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next real entry (metadata headers are folded in), or null at the end of the archive. */
    Entry next() throws IOException {
        if (done) return null;
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        Map<String, byte[]> pax = null;
        String gnuName = null;
        String gnuLink = null;
        while (true) {
            long at = offset;
            if (!readHeader()) {
                done = true;
                if (pax != null || gnuName != null || gnuLink != null)
                    throw bad("the archive ends right after an extended header at offset " + at + "; it is truncated");
                return null;
            }
            if (allZero(hdr)) {
                // End of archive is two zero blocks; Go also accepts one followed by EOF.
                long second = offset;
                if (!readHeader() || allZero(hdr)) {
                    done = true;
                    return null;
                }
                throw bad("data follows a single zero block at offset " + second
                        + "; the archive is corrupt (a zero block marks its end)");
            }
            verifyChecksum(at);
            char type = (char) (hdr[156] & 0xff);
            long size = numeric(124, 12, "size", at);
            if (size < 0) throw bad("the header at offset " + at + " has a negative size");
            switch (type) {
                case 'x', 'g' -> {
                    Map<String, byte[]> records = parsePax(readMeta(size, at), at);
                    if (type == 'g') {
                        for (var r : records.entrySet()) {
                            if (r.getValue().length == 0) globalPax.remove(r.getKey());
                            else globalPax.put(r.getKey(), r.getValue());
                        }
                    } else {
                        if (pax == null) pax = new HashMap<>();
                        pax.putAll(records);
                    }
                }
                case 'L' -> gnuName = cString(readMeta(size, at));
                case 'K' -> gnuLink = cString(readMeta(size, at));
                default -> {
                    Map<String, byte[]> merged = globalPax;
                    if (pax != null) {
                        merged = new HashMap<>(globalPax);
                        merged.putAll(pax);
                    }
                    return entry(type, size, merged, gnuName, gnuLink, at);
                }
            }
        }
    }

    /** Reads the current entry's content; -1 at its end. Throws if the stream ends early. */
    int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) return -1;
        int want = (int) Math.min(len, remaining);
        int n;
        if (pos < lim) {
            n = Math.min(want, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        } else if (want >= buf.length) {
            n = in.read(b, off, want); // large reads bypass the buffer
            if (n < 0) throw truncated();
        } else {
            if (fill() < 0) throw truncated();
            n = Math.min(want, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        }
        offset += n;
        remaining -= n;
        return n;
    }

    /** Where an entry's content goes when it is copied rather than read: bytes from the buffer, ranges of the file. */
    interface ContentSink {
        void write(byte[] b, int off, int len) throws IOException;

        /** The archive's bytes [offset, offset+len), copied in the kernel. */
        void copyFromArchive(long offset, long len) throws IOException;
    }

    /**
     * Copies the current entry's content to sink: what is buffered from the buffer, the rest as a range of the
     * archive file, which must be the channel this reader reads (from position 0, unbuffered in between).
     */
    void transferContent(java.nio.channels.FileChannel file, ContentSink sink) throws IOException {
        int inBuf = (int) Math.min(remaining, lim - pos);
        if (inBuf > 0) sink.write(buf, pos, inBuf);
        pos += inBuf;
        offset += inBuf;
        remaining -= inBuf;
        if (remaining == 0) return;
        // the buffer is empty: the channel stands at offset
        if (offset + remaining > file.size()) throw truncated();
        sink.copyFromArchive(offset, remaining);
        offset += remaining;
        file.position(offset);
        remaining = 0;
    }

    /** Consumes whatever follows the archive (padding to a record size, for instance) so digests cover it all. */
    void drain() throws IOException {
        pos = lim;
        while (in.read(buf, 0, buf.length) >= 0) {
            // discard; the caller's stream hashes and counts it
        }
    }

    private Entry entry(char type, long size, Map<String, byte[]> pax, String gnuName, String gnuLink, long at)
            throws IOException {
        boolean ustar = match(257, "ustar\0");
        boolean gnu = match(257, "ustar  \0");
        String name = string(0, 100);
        if (ustar) {
            // star puts atime/ctime after a shorter prefix and marks itself with "tar\0" at the block's end
            int prefixLen = match(508, "tar\0") ? 131 : 155;
            String prefix = string(345, prefixLen);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        String link = string(157, 100);
        int mode = (int) (numeric(100, 8, "mode", at) & 07777);
        long uid = numeric(108, 8, "uid", at);
        long gid = numeric(116, 8, "gid", at);
        long mtimeSec = numeric(136, 12, "mtime", at);
        int mtimeNsec = 0;
        boolean hasAtime = false;
        long atimeSec = 0;
        int atimeNsec = 0;
        if (gnu && hdr[345] != 0) {
            atimeSec = numeric(345, 12, "atime", at);
            hasAtime = true;
        }
        int major = 0;
        int minor = 0;
        if (type == CHAR || type == BLOCK) {
            major = (int) numeric(329, 8, "devmajor", at);
            minor = (int) numeric(337, 8, "devminor", at);
        }
        if (type == 'S') throw bad("entry " + LayerUnpacker.quote(name) + " is a GNU sparse file, which jpod does not support");

        Map<String, byte[]> xattrs = Map.of();
        if (!pax.isEmpty()) {
            Map<String, byte[]> libarchive = null;
            for (var r : pax.entrySet()) {
                String k = r.getKey();
                byte[] v = r.getValue();
                if (k.startsWith(SCHILY_XATTR)) {
                    if (xattrs.isEmpty()) xattrs = new LinkedHashMap<>();
                    xattrs.put(k.substring(SCHILY_XATTR.length()), v);
                    continue;
                }
                if (k.startsWith(LIBARCHIVE_XATTR)) {
                    if (libarchive == null) libarchive = new LinkedHashMap<>();
                    libarchive.put(k, v);
                    continue;
                }
                if (k.startsWith("GNU.sparse."))
                    throw bad("entry " + LayerUnpacker.quote(name) + " is a PAX sparse file, which jpod does not support");
                if (v.length == 0) continue; // an empty value means: use the header field
                switch (k) {
                    case "path" -> name = text(v, k, at);
                    case "linkpath" -> link = text(v, k, at);
                    case "size" -> size = paxLong(v, k, at);
                    case "uid" -> uid = paxLong(v, k, at);
                    case "gid" -> gid = paxLong(v, k, at);
                    case "mtime" -> {
                        long[] t = paxTime(v, k, at);
                        mtimeSec = t[0];
                        mtimeNsec = (int) t[1];
                    }
                    case "atime" -> {
                        long[] t = paxTime(v, k, at);
                        atimeSec = t[0];
                        atimeNsec = (int) t[1];
                        hasAtime = true;
                    }
                    default -> { } // uname, gname, ctime, comment, charset: not used for unpacking
                }
            }
            if (libarchive != null) {
                // bsdtar writes both forms; SCHILY wins, LIBARCHIVE (URL-encoded name, base64 value) fills gaps
                for (var r : libarchive.entrySet()) {
                    String xname = urlDecode(r.getKey().substring(LIBARCHIVE_XATTR.length()));
                    if (xattrs.isEmpty()) xattrs = new LinkedHashMap<>();
                    if (!xattrs.containsKey(xname)) {
                        try {
                            xattrs.put(xname, Base64.getDecoder().decode(new String(r.getValue(), StandardCharsets.ISO_8859_1).trim()));
                        } catch (IllegalArgumentException e) {
                            throw bad("entry " + LayerUnpacker.quote(name) + " has a malformed " + r.getKey() + " value (not base64)");
                        }
                    }
                }
            }
        }
        if (gnuName != null) name = gnuName;
        if (gnuLink != null) link = gnuLink;
        if (size < 0) throw bad("entry " + LayerUnpacker.quote(name) + " has a negative size");
        if (uid < 0 || uid > 0xFFFF_FFFFL || gid < 0 || gid > 0xFFFF_FFFFL)
            throw bad("entry " + LayerUnpacker.quote(name) + " has an out-of-range owner " + uid + ":" + gid);

        if (type == '\0') type = name.endsWith("/") ? DIR : REG; // pre-POSIX tars mark directories by a trailing slash
        else if (type == '7') type = REG;                         // "contiguous file" is a regular file to everyone
        boolean headerOnly = type == HARDLINK || type == SYMLINK || type == CHAR || type == BLOCK
                || type == DIR || type == FIFO;
        long dataSize = headerOnly ? 0 : size; // as Go: these types never carry data, whatever size says
        remaining = dataSize;
        padding = pad(dataSize);
        return new Entry(name, type, dataSize, mode, (int) uid, (int) gid, mtimeSec, mtimeNsec,
                hasAtime, atimeSec, atimeNsec, link, major, minor, xattrs, at);
    }

    // --- header fields

    private void verifyChecksum(long at) throws IOException {
        long stored;
        try {
            stored = numeric(148, 8, "checksum", at);
        } catch (LayerUnpacker.InvalidLayerException e) {
            throw bad("the header at offset " + at + " has no valid checksum field: the layer is corrupt or not a tar archive");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK_SIZE; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : hdr[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : hdr[i]; // some historic writers summed signed chars
        }
        if (stored != unsigned && stored != signed)
            throw bad("the header at offset " + at + " has a bad checksum (stored " + stored + ", computed " + unsigned
                    + "): the layer is corrupt or not a tar archive");
    }

    /** Octal (space/NUL padded) or, when the top bit is set, base-256 two's complement as GNU and Go write it. */
    private long numeric(int off, int len, String field, long at) throws IOException {
        if ((hdr[off] & 0x80) != 0) {
            int inv = (hdr[off] & 0x40) != 0 ? 0xff : 0;
            long x = 0;
            for (int i = 0; i < len; i++) {
                int c = (hdr[off + i] & 0xff) ^ inv;
                if (i == 0) c &= 0x7f;
                if ((x >>> 56) != 0) throw bad("the " + field + " field at offset " + at + " overflows 64 bits");
                x = (x << 8) | c;
            }
            if ((x >>> 63) != 0) throw bad("the " + field + " field at offset " + at + " overflows 64 bits");
            return inv == 0xff ? ~x : x;
        }
        int s = off;
        int e = off + len;
        while (s < e && (hdr[s] == ' ' || hdr[s] == 0)) s++;
        while (e > s && (hdr[e - 1] == ' ' || hdr[e - 1] == 0)) e--;
        long x = 0;
        for (int i = s; i < e; i++) {
            int c = hdr[i];
            if (c < '0' || c > '7')
                throw bad("the " + field + " field of the header at offset " + at + " is not an octal number: \""
                        + LayerUnpacker.printable(new String(hdr, off, len, StandardCharsets.ISO_8859_1)) + "\"");
            if ((x >>> 60) != 0) throw bad("the " + field + " field at offset " + at + " overflows 64 bits");
            x = (x << 3) | (c - '0');
        }
        return x;
    }

    private String string(int off, int len) {
        int e = off;
        while (e < off + len && hdr[e] != 0) e++;
        return new String(hdr, off, e - off, StandardCharsets.UTF_8);
    }

    private boolean match(int off, String s) {
        for (int i = 0; i < s.length(); i++) if (hdr[off + i] != s.charAt(i)) return false;
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static long pad(long size) {
        return (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
    }

    private static String cString(byte[] b) {
        int e = 0;
        while (e < b.length && b[e] != 0) e++;
        return new String(b, 0, e, StandardCharsets.UTF_8);
    }

    // --- PAX

    /** Records are "LEN KEY=VALUE\n"; values stay raw bytes (xattr values are binary). */
    private Map<String, byte[]> parsePax(byte[] d, long at) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < d.length) {
            int sp = i;
            long len = 0;
            while (sp < d.length && d[sp] >= '0' && d[sp] <= '9' && len < Integer.MAX_VALUE) len = len * 10 + (d[sp++] - '0');
            if (sp == i || sp >= d.length || d[sp] != ' ' || len <= sp - i + 1 || i + len > d.length || d[(int) (i + len - 1)] != '\n')
                throw bad("the PAX header at offset " + at + " has a malformed record at byte " + i);
            int end = (int) (i + len) - 1; // index of the newline
            int eq = sp + 1;
            while (eq < end && d[eq] != '=') eq++;
            if (eq == end || eq == sp + 1) throw bad("the PAX header at offset " + at + " has a record without a key at byte " + i);
            String key = new String(d, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(d, eq + 1, end);
            out.put(key, value);
            i = end + 1;
        }
        return out;
    }

    private String text(byte[] v, String key, long at) throws IOException {
        for (byte b : v) if (b == 0) throw bad("the PAX " + key + " of the entry at offset " + at + " contains a NUL byte");
        return new String(v, StandardCharsets.UTF_8);
    }

    private long paxLong(byte[] v, String key, long at) throws IOException {
        String s = new String(v, StandardCharsets.ISO_8859_1);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad("the PAX " + key + " of the entry at offset " + at + " is not a number: \"" + LayerUnpacker.printable(s) + "\"");
        }
    }

    /** "SECONDS[.FRACTION]", possibly negative; returns {sec, nsec} with 0 <= nsec < 1e9. */
    private long[] paxTime(byte[] v, String key, long at) throws IOException {
        String s = new String(v, StandardCharsets.ISO_8859_1);
        boolean neg = s.startsWith("-");
        String body = neg ? s.substring(1) : s;
        int dot = body.indexOf('.');
        String whole = dot < 0 ? body : body.substring(0, dot);
        String frac = dot < 0 ? "" : body.substring(dot + 1);
        if (whole.isEmpty() || !whole.chars().allMatch(Character::isDigit) || !frac.chars().allMatch(Character::isDigit))
            throw bad("the PAX " + key + " of the entry at offset " + at + " is not a time: \"" + LayerUnpacker.printable(s) + "\"");
        long sec;
        try {
            sec = Long.parseLong(whole);
        } catch (NumberFormatException e) {
            throw bad("the PAX " + key + " of the entry at offset " + at + " is out of range: \"" + LayerUnpacker.printable(s) + "\"");
        }
        String nine = (frac + "000000000").substring(0, 9); // digits past nanoseconds are truncated, as Go does
        long nsec = Long.parseLong(nine);
        if (neg) {
            sec = -sec;
            if (nsec > 0) {
                sec -= 1;
                nsec = 1_000_000_000L - nsec;
            }
        }
        return new long[] {sec, nsec};
    }

    private static String urlDecode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    // --- buffered stream

    private byte[] readMeta(long size, long at) throws IOException {
        if (size > MAX_META)
            throw bad("the extended header at offset " + at + " is " + size + " bytes; more than " + MAX_META
                    + " is refused as a likely attack");
        byte[] d = new byte[(int) size];
        readFully(d, d.length);
        skip(pad(size));
        return d;
    }

    /** Reads one 512-byte header block; false on a clean EOF before its first byte. */
    private boolean readHeader() throws IOException {
        if (pos == lim && fill() < 0) return false;
        readFully(hdr, BLOCK_SIZE);
        return true;
    }

    private void readFully(byte[] dst, int len) throws IOException {
        int got = 0;
        while (got < len) {
            if (pos == lim && fill() < 0) throw truncated();
            int n = Math.min(len - got, lim - pos);
            System.arraycopy(buf, pos, dst, got, n);
            pos += n;
            got += n;
            offset += n;
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim && fill() < 0) throw truncated();
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            offset += k;
            n -= k;
        }
    }

    private int fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        pos = 0;
        lim = Math.max(n, 0);
        return n;
    }

    private IOException truncated() {
        return bad("the archive ends unexpectedly at offset " + offset + "; the layer is truncated or corrupt");
    }

    private static LayerUnpacker.InvalidLayerException bad(String why) {
        return new LayerUnpacker.InvalidLayerException("invalid layer tar: " + why);
    }
}
