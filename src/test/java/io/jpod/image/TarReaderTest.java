package io.jpod.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.jpod.image.TestTar.dir;
import static io.jpod.image.TestTar.file;
import static io.jpod.image.TestTar.hardlink;
import static io.jpod.image.TestTar.symlink;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarReaderTest {
    record Read(TarReader.Entry e, byte[] content) {}

    static List<Read> readAll(byte[] tar) throws IOException {
        return readAll(new ByteArrayInputStream(tar));
    }

    static List<Read> readAll(InputStream in) throws IOException {
        TarReader r = new TarReader(in);
        List<Read> out = new ArrayList<>();
        byte[] b = new byte[777]; // odd size: content reads straddle the reader's buffer
        for (TarReader.Entry e; (e = r.next()) != null; ) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            for (int n; (n = r.read(b, 0, b.length)) > 0; ) bo.write(b, 0, n);
            out.add(new Read(e, bo.toByteArray()));
        }
        r.drain();
        return out;
    }

    @Test
    void everyEntryTypeWithItsFields() throws IOException {
        byte[] tar = new TestTar().add(
                file("f.txt", "hello").mode(04755).owner(1000, 1001).mtime(1_600_000_000L),
                new TestTar.E("old").type('\0').data("x"),
                new TestTar.E("olddir/").type('\0'),
                hardlink("h", "f.txt"),
                symlink("s", "/abs/target"),
                new TestTar.E("c").type('3').dev(1, 3),
                new TestTar.E("b").type('4').dev(259, 70000),
                dir("d/").mode(01777),
                new TestTar.E("p").type('6'),
                new TestTar.E("contig").type('7').data("c")).bytes();
        List<Read> all = readAll(tar);
        assertEquals(10, all.size());
        TarReader.Entry f = all.get(0).e();
        assertEquals("f.txt", f.name());
        assertEquals(TarReader.REG, f.type());
        assertEquals(04755, f.mode());
        assertEquals(1000, f.uid());
        assertEquals(1001, f.gid());
        assertEquals(1_600_000_000L, f.mtimeSec());
        assertFalse(f.hasAtime());
        assertEquals("hello", new String(all.get(0).content(), StandardCharsets.UTF_8));
        assertEquals(TarReader.REG, all.get(1).e().type(), "'\\0' is a regular file");
        assertEquals(TarReader.DIR, all.get(2).e().type(), "'\\0' with a trailing slash is a directory");
        assertEquals(TarReader.HARDLINK, all.get(3).e().type());
        assertEquals("f.txt", all.get(3).e().linkName());
        assertEquals(TarReader.SYMLINK, all.get(4).e().type());
        assertEquals("/abs/target", all.get(4).e().linkName());
        assertEquals(TarReader.CHAR, all.get(5).e().type());
        assertEquals(1, all.get(5).e().devMajor());
        assertEquals(3, all.get(5).e().devMinor());
        assertEquals(259, all.get(6).e().devMajor());
        assertEquals(70000, all.get(6).e().devMinor());
        assertEquals(TarReader.DIR, all.get(7).e().type());
        assertEquals(01777, all.get(7).e().mode());
        assertEquals(TarReader.FIFO, all.get(8).e().type());
        assertEquals(TarReader.REG, all.get(9).e().type(), "'7' (contiguous) is a regular file");
    }

    @Test
    void paxLongNamesLinksAndFractionalTimes() throws IOException {
        String longName = "dir/" + "n".repeat(150) + "/" + "f".repeat(120);
        String longLink = "/target/" + "t".repeat(200);
        byte[] tar = new TestTar().add(
                file(longName, "data").paxMtime("1700000000.123456789").paxAtime("1700000001.5"),
                symlink("l", longLink),
                file("neg", "").paxMtime("-1.25")).bytes();
        List<Read> all = readAll(tar);
        assertEquals(3, all.size());
        assertEquals(longName, all.get(0).e().name());
        assertEquals(1_700_000_000L, all.get(0).e().mtimeSec());
        assertEquals(123_456_789, all.get(0).e().mtimeNsec());
        assertTrue(all.get(0).e().hasAtime());
        assertEquals(1_700_000_001L, all.get(0).e().atimeSec());
        assertEquals(500_000_000, all.get(0).e().atimeNsec());
        assertEquals("data", new String(all.get(0).content(), StandardCharsets.UTF_8));
        assertEquals(longLink, all.get(1).e().linkName());
        assertEquals(-2, all.get(2).e().mtimeSec(), "-1.25 s is -2 s + 0.75 s");
        assertEquals(750_000_000, all.get(2).e().mtimeNsec());
    }

    @Test
    void gnuLongNameAndLongLink() throws IOException {
        String longName = "g/" + "x".repeat(300);
        String longLink = "y".repeat(250);
        byte[] tar = new TestTar().add(
                file(longName, "gnu").longNames(TestTar.LongNames.GNU),
                hardlink("z/" + "h".repeat(120), longLink).longNames(TestTar.LongNames.GNU)).bytes();
        List<Read> all = readAll(tar);
        assertEquals(2, all.size());
        assertEquals(longName, all.get(0).e().name());
        assertEquals("gnu", new String(all.get(0).content(), StandardCharsets.UTF_8));
        assertEquals("z/" + "h".repeat(120), all.get(1).e().name());
        assertEquals(longLink, all.get(1).e().linkName());
    }

    @Test
    void ustarPrefixJoinsTheName() throws IOException {
        String name = "p".repeat(90) + "/" + "q".repeat(60) + "/file";
        List<Read> all = readAll(new TestTar().add(file(name, "x").longNames(TestTar.LongNames.USTAR_PREFIX)).bytes());
        assertEquals(name, all.get(0).e().name());
    }

    @Test
    void paxGlobalHeaderAppliesUntilOverridden() throws IOException {
        byte[] tar = new TestTar()
                .global(Map.of("uid", "4242", "gid", "4343"))
                .add(file("a", "1"), file("b", "2").pax("uid", "7"))
                .bytes();
        List<Read> all = readAll(tar);
        assertEquals(4242, all.get(0).e().uid());
        assertEquals(4343, all.get(0).e().gid());
        assertEquals(7, all.get(1).e().uid(), "a per-entry 'x' record overrides the global one");
        assertEquals(4343, all.get(1).e().gid());
    }

    @Test
    void binaryXattrValuesStayRawBytes() throws IOException {
        byte[] v = {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 0x00, 0x7a};
        byte[] tricky = "a=b\nc".getBytes(StandardCharsets.UTF_8); // '=' and newline inside a value
        byte[] tar = new TestTar().add(file("f", "x").xattr("security.capability", v).xattr("user.t", tricky)).bytes();
        TarReader.Entry e = readAll(tar).get(0).e();
        assertArrayEquals(v, e.xattrs().get("security.capability"));
        assertArrayEquals(tricky, e.xattrs().get("user.t"));
    }

    @Test
    void libarchiveXattrsFillInWhenSchilyIsAbsent() throws IOException {
        byte[] v = {1, 2, (byte) 0xff};
        byte[] tar = new TestTar().add(file("f", "x")
                .pax("LIBARCHIVE.xattr.user.a%3Db", Base64.getEncoder().encodeToString(v))
                .pax("LIBARCHIVE.xattr.user.both", Base64.getEncoder().encodeToString(new byte[] {9}))
                .xattr("user.both", new byte[] {7})).bytes();
        TarReader.Entry e = readAll(tar).get(0).e();
        assertArrayEquals(v, e.xattrs().get("user.a=b"));
        assertArrayEquals(new byte[] {7}, e.xattrs().get("user.both"), "SCHILY wins over LIBARCHIVE");
    }

    @Test
    void base256NumericFields() throws IOException {
        byte[] tar = new TestTar().add(file("big", "x").owner(3_000_000_000L, 70_000_000L).mtime(-1).base256()).bytes();
        TarReader.Entry e = readAll(tar).get(0).e();
        assertEquals(3_000_000_000L, Integer.toUnsignedLong(e.uid()), "uids past 2^31 survive as unsigned");
        assertEquals(70_000_000, e.gid());
        assertEquals(-1, e.mtimeSec());
        assertEquals(1, e.size());
    }

    @Test
    void largeContentCrossesBufferBoundaries() throws IOException {
        byte[] big = new byte[200_003];
        new Random(1).nextBytes(big);
        byte[] tar = new TestTar().add(file("a", "small"), file("big", "").data(big), file("c", "tail")).bytes();
        List<Read> all = readAll(tar);
        assertArrayEquals(big, all.get(1).content());
        assertEquals("tail", new String(all.get(2).content(), StandardCharsets.UTF_8));
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        byte[] tar = new TestTar().add(file("a", "x".repeat(100_000)), file("b", "y")).bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        assertEquals("a", r.next().name());
        assertEquals("b", r.next().name());
        assertNull(r.next());
    }

    @Test
    void badChecksumIsReportedWithItsOffset() {
        byte[] tar = new TestTar().add(file("a", "x"), file("b", "y")).bytes();
        tar[1024 + 3] ^= 1; // second header's name
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(tar));
        assertTrue(ex.getMessage().contains("bad checksum"), ex.getMessage());
        assertTrue(ex.getMessage().contains("offset 1024"), ex.getMessage());
    }

    @Test
    void notATarArchive() {
        byte[] junk = "this is not a tar archive at all, just text\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(junk));
        assertTrue(ex.getMessage().contains("not a tar archive"), ex.getMessage());
    }

    @Test
    void truncatedContentIsAnError() {
        byte[] full = new TestTar().add(file("a", "z".repeat(5000))).bytesNoEnd();
        byte[] cut = java.util.Arrays.copyOf(full, 512 + 1000);
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(cut));
        assertTrue(ex.getMessage().contains("ends unexpectedly"), ex.getMessage());
    }

    @Test
    void endOfArchiveVariants() throws IOException {
        byte[] noEnd = new TestTar().add(file("a", "1")).bytesNoEnd();
        assertEquals(1, readAll(noEnd).size(), "EOF at a header boundary ends the archive, as in Go");
        byte[] oneZero = new TestTar().add(file("a", "1")).raw(new byte[512]).bytesNoEnd();
        assertEquals(1, readAll(oneZero).size());
        byte[] trailing = new TestTar().add(file("a", "1")).raw(new byte[512]).raw(new byte[512]).raw(new byte[9000]).bytesNoEnd();
        assertEquals(1, readAll(trailing).size());
        assertEquals(0, readAll(new byte[0]).size());
    }

    @Test
    void sparseFilesAreRefused() {
        byte[] tar = new TestTar().add(new TestTar.E("sp").type('S')).bytes();
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(tar));
        assertTrue(ex.getMessage().contains("sparse"), ex.getMessage());
        byte[] pax = new TestTar().add(file("sp2", "x").pax("GNU.sparse.major", "1")).bytes();
        assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(pax));
    }

    @Test
    void malformedPaxRecordIsAnError() {
        byte[] tar = new TestTar().add(file("f", "x").pax("path", "ok")).bytes();
        // the record length "11" becomes "91"; the PAX body is data, so header checksums stay valid
        tar[512] = '9';
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(tar));
        assertTrue(ex.getMessage().contains("PAX"), ex.getMessage());
    }

    @Test
    void nulInPaxPathIsRefused() {
        byte[] tar = new TestTar().add(file("f", "x").pax("path", "a\0b")).bytes();
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> readAll(tar));
        assertTrue(ex.getMessage().contains("NUL"), ex.getMessage());
    }
}
