package io.jpod.image;

import io.jpod.sys.FileOps;
import io.jpod.sys.linux.LinuxFileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.jpod.image.TestTar.dir;
import static io.jpod.image.TestTar.file;
import static io.jpod.image.TestTar.hardlink;
import static io.jpod.image.TestTar.symlink;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacks crafted layers into a real ext4 directory (not tmpfs: trusted.* xattrs and mknod need it) as root. */
class LayerUnpackerTest {
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    static final int S_IFMT = 0170000;

    final FileOps ops = new LinuxFileOps();
    Path base;
    Path root;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory(Path.of("/var/tmp"), "jpod-unpack-");
        root = Files.createDirectory(base.resolve("root"));
    }

    @AfterEach
    void tearDown() throws IOException {
        TestTar.deleteTree(base);
    }

    LayerUnpacker.UnpackResult unpack(byte[] layer) throws IOException {
        return LayerUnpacker.unpack(new ByteArrayInputStream(layer), root, ops);
    }

    static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW);
    }

    static Object attr(Path p, String name) throws IOException {
        return Files.getAttribute(p, "unix:" + name, NOFOLLOW);
    }

    static Instant mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, NOFOLLOW).toInstant();
    }

    @Test
    void aFileIsUnpackedInTheKernelToTheSameTreeDigestAndBlob() throws IOException {
        byte[] big = new byte[300_000]; // bigger than the reader's buffer: part buffered, part copy_file_range
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        byte[] tar = new TestTar().add(dir("d/"), file("d/small", "hi").mode(0640).owner(5, 6),
                new TestTar.E("d/big").data(big), hardlink("d/big.link", "d/big"), symlink("d/s", "small"),
                file("d/.wh.gone", ""), file("after", "tail")).bytes();
        Path layer = Files.write(base.resolve("layer.tar"), tar);
        BlobStore blobs = new BlobStore(base.resolve("blobs"));
        LayerUnpacker.UnpackResult r;
        try (BlobStore.Ingest ingest = blobs.begin(false)) {
            r = LayerUnpacker.unpackFile(layer, root, ops, ingest);
            Digest d = ingest.commitKnown(Digest.parse(r.diffId()), null, tar.length);
            assertArrayEquals(tar, Files.readAllBytes(blobs.path(d)), "the blob is the file, byte for byte");
        }
        assertEquals(Digest.of(tar).toString(), r.diffId());
        assertEquals(tar.length, r.size());
        assertArrayEquals(big, Files.readAllBytes(root.resolve("d/big")));
        assertEquals("hi", Files.readString(root.resolve("d/small")));
        assertEquals("tail", Files.readString(root.resolve("after")));
        assertEquals(5, attr(root.resolve("d/small"), "uid"));
        assertEquals(attr(root.resolve("d/big"), "ino"), attr(root.resolve("d/big.link"), "ino"));
        assertEquals(0020000, mode(root.resolve("d/gone")) & S_IFMT, "the whiteout in overlay's form");
        // the same archive through the streaming path: the same digest
        Path other = Files.createDirectory(base.resolve("other"));
        assertEquals(r.diffId(), LayerUnpacker.unpack(new ByteArrayInputStream(tar), other, ops).diffId());
    }

    @Test
    void aTruncatedFileFailsTheKernelPathToo() throws IOException {
        byte[] tar = new TestTar().add(new TestTar.E("big").data(new byte[200_000])).bytes();
        Path layer = Files.write(base.resolve("cut.tar"), java.util.Arrays.copyOf(tar, 100_000));
        IOException e = assertThrows(IOException.class, () -> LayerUnpacker.unpackFile(layer, root, ops, null));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void everyEntryTypeIsCreated() throws IOException {
        byte[] tar = new TestTar().add(
                dir("etc/"),
                file("etc/hosts", "127.0.0.1 localhost\n").mode(0640).owner(5, 6),
                hardlink("etc/hosts.link", "etc/hosts"),
                symlink("etc/verbatim", "..//usr/./lib/"),
                symlink("etc/abs", "/etc/passwd"),
                new TestTar.E("dev/null").type('3').dev(1, 3).mode(0666),
                new TestTar.E("dev/loop0").type('4').dev(7, 0).mode(0660),
                new TestTar.E("run/fifo").type('6').mode(0620),
                file("empty", "")).bytes();
        var r = unpack(tar);
        assertEquals(9, r.entries());

        Path hosts = root.resolve("etc/hosts");
        assertEquals("127.0.0.1 localhost\n", Files.readString(hosts));
        assertEquals(0100640, mode(hosts));
        assertEquals(5, attr(hosts, "uid"));
        assertEquals(6, attr(hosts, "gid"));
        assertEquals(attr(hosts, "ino"), attr(root.resolve("etc/hosts.link"), "ino"), "a hardlink shares the inode");
        assertEquals(2, attr(hosts, "nlink"));
        assertEquals("..//usr/./lib/", readlink(root.resolve("etc/verbatim")), "symlink targets are stored verbatim");
        assertEquals("/etc/passwd", readlink(root.resolve("etc/abs")));

        Path nul = root.resolve("dev/null");
        assertEquals(0020666, mode(nul));
        assertEquals((1L << 8) | 3, attr(nul, "rdev"));
        Path loop = root.resolve("dev/loop0");
        assertEquals(0060660, mode(loop));
        assertEquals(7L << 8, attr(loop, "rdev"));
        assertEquals(0010620, mode(root.resolve("run/fifo")));
        assertEquals(0040755, mode(root.resolve("run")), "missing parents are created 0755");
        assertEquals(0, Files.size(root.resolve("empty")));
    }

    /** readlink(1) shows the raw bytes; java.nio would normalise "a//b/" on the way out. */
    static String readlink(Path p) throws IOException {
        try {
            Process pr = new ProcessBuilder("readlink", p.toString()).start();
            String s = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            pr.waitFor();
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    @Test
    void diffIdSizeAndCountCoverTheUncompressedStream() throws Exception {
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        byte[] tar = new TestTar().add(dir("a/"), file("a/big", "").data(big), file("a/small", "s")).bytes();
        // trailing padding after the end blocks (as a 10240-byte record would leave) is part of the diffID
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 4096);
        String want = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(padded));

        var plain = unpack(padded);
        assertEquals(want, plain.diffId());
        assertEquals(padded.length, plain.size());
        assertEquals(3, plain.entries());
        assertArrayEquals(big, Files.readAllBytes(root.resolve("a/big")));

        TestTar.deleteTree(root);
        Files.createDirectory(root);
        var gz = unpack(TestTar.gzip(padded));
        assertEquals(want, gz.diffId(), "the diffID is the digest of the uncompressed tar");
        assertEquals(padded.length, gz.size());
        assertArrayEquals(big, Files.readAllBytes(root.resolve("a/big")));
    }

    /** zstd-compressed with Debian's zstd tool (the format registries produce with --compression-format zstd). */
    static byte[] zstd(byte[] data) throws Exception {
        Process p = new ProcessBuilder("zstd", "-q", "-c", "-3").start();
        try (var o = p.getOutputStream()) {
            o.write(data);
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "zstd failed (apt-get install zstd)");
        return out;
    }

    @Test
    void zstdLayersUnpackThroughLibzstd() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17]; // several of libzstd's stream blocks
        new Random(11).nextBytes(big);
        byte[] tar = new TestTar().add(dir("z/"), file("z/big", "").data(big), file("z/small", "s")).bytes();
        String want = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar));
        var r = unpack(zstd(tar));
        assertEquals(want, r.diffId());
        assertArrayEquals(big, Files.readAllBytes(root.resolve("z/big")));
        assertEquals("s", Files.readString(root.resolve("z/small")));
    }

    @Test
    void truncatedOrCorruptZstdIsAnInvalidLayer() throws Exception {
        byte[] z = zstd(new TestTar().add(file("f", "x".repeat(100_000))).bytes());
        byte[] cut = java.util.Arrays.copyOf(z, z.length / 2);
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> unpack(cut));
        assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
        byte[] garbage = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        var ex2 = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> unpack(garbage));
        assertTrue(ex2.getMessage().contains("zstd"), ex2.getMessage());
    }

    @Test
    void corruptGzipIsAnInvalidLayer() {
        byte[] gz = TestTar.gzip(new TestTar().add(file("f", "x".repeat(10_000))).bytes());
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> unpack(cut));
        assertTrue(ex.getMessage().contains("corrupt or truncated"), ex.getMessage());
        byte[] flipped = gz.clone();
        flipped[20] ^= 0x55;
        assertThrows(LayerUnpacker.InvalidLayerException.class, () -> unpack(flipped));
    }

    @Test
    void emptyLayerIsFine() throws Exception {
        var r = unpack(new byte[0]);
        assertEquals(0, r.entries());
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", r.diffId());
    }

    @Test
    void longNamesPaxAndGnu() throws IOException {
        String pax = "usr/share/" + "p".repeat(120) + "/" + "file-with-a-very-long-name-".repeat(4);
        String gnu = "usr/lib/" + "g".repeat(150) + "/lib.so";
        byte[] tar = new TestTar().add(
                file(pax, "pax"),
                file(gnu, "gnu").longNames(TestTar.LongNames.GNU),
                symlink("link", "/" + "t".repeat(180)).longNames(TestTar.LongNames.GNU)).bytes();
        unpack(tar);
        assertEquals("pax", Files.readString(root.resolve(pax)));
        assertEquals("gnu", Files.readString(root.resolve(gnu)));
        assertEquals("/" + "t".repeat(180), readlink(root.resolve("link")));
    }

    @Test
    void binaryXattrsRoundTripExactly() throws IOException {
        byte[] v = {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 0x00, 0x7a};
        byte[] tar = new TestTar().add(
                file("bin", "x").xattr("user.bin", v).xattr("user.empty", new byte[0]),
                dir("d/").xattr("user.dir", "yes".getBytes(StandardCharsets.UTF_8))).bytes();
        var r = unpack(tar);
        assertArrayEquals(v, ops.lgetxattr(root.resolve("bin"), "user.bin"));
        assertArrayEquals(new byte[0], ops.lgetxattr(root.resolve("bin"), "user.empty"));
        assertArrayEquals("yes".getBytes(StandardCharsets.UTF_8), ops.lgetxattr(root.resolve("d"), "user.dir"));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void fileCapabilitySurvivesChownAndChmod() throws IOException {
        // VFS_CAP_REVISION_2 with cap_net_bind_service (bit 10) permitted and effective; set after chown, which clears it
        byte[] cap = {0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] tar = new TestTar().add(file("ping", "elf").mode(04755).owner(0, 0).xattr("security.capability", cap)).bytes();
        unpack(tar);
        assertArrayEquals(cap, ops.lgetxattr(root.resolve("ping"), "security.capability"));
        assertEquals(0104755, mode(root.resolve("ping")));
    }

    @Test
    void whiteoutsBecomeCharDevicesAndOpaqueDirsGetTheXattr() throws IOException {
        byte[] tar = new TestTar().add(
                file("gone", "replace me"),
                dir("tree/"), file("tree/child", "c"),
                dir("opq/"),
                file(".wh.gone", "").owner(3, 4),
                file(".wh.tree", ""),
                file(".wh.never-existed", ""),
                file("deep/er/.wh.x", ""),
                file("opq/.wh..wh..opq", ""),
                file(".wh..wh.plnk/123", "aufs bookkeeping")).bytes();
        unpack(tar);
        for (String w : new String[] {"gone", "tree", "never-existed", "deep/er/x"}) {
            Path p = root.resolve(w);
            assertEquals(0020000, mode(p), w + " is a char device with no permissions");
            assertEquals(0L, attr(p, "rdev"), w + " is 0:0");
        }
        assertEquals(3, attr(root.resolve("gone"), "uid"));
        assertEquals(4, attr(root.resolve("gone"), "gid"));
        assertArrayEquals(new byte[] {'y'}, ops.lgetxattr(root.resolve("opq"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(root.resolve(".wh.gone"), NOFOLLOW), "the marker itself is not written");
        assertFalse(Files.exists(root.resolve("opq/.wh..wh..opq"), NOFOLLOW));
        assertFalse(Files.exists(root.resolve(".wh..wh.plnk"), NOFOLLOW), "AUFS metadata is skipped");
    }

    @Test
    void opaqueMarkerAtTheRootAndInAMissingDir() throws IOException {
        unpack(new TestTar().add(file(".wh..wh..opq", ""), file("new/dir/.wh..wh..opq", "")).bytes());
        assertArrayEquals(new byte[] {'y'}, ops.lgetxattr(root, "trusted.overlay.opaque"));
        assertArrayEquals(new byte[] {'y'}, ops.lgetxattr(root.resolve("new/dir"), "trusted.overlay.opaque"));
        assertNull(ops.lgetxattr(root.resolve("new"), "trusted.overlay.opaque"));
    }

    @Test
    void specialModeBitsAndOwnership() throws IOException {
        byte[] tar = new TestTar().add(
                file("suid", "x").mode(04755).owner(1000, 1000),
                file("sgid", "x").mode(02711).owner(1000, 50),
                dir("tmp/").mode(01777).owner(1000, 1000),
                dir("shared/").mode(03770),
                symlink("lnk", "suid").owner(1000, 1001)).bytes();
        unpack(tar);
        assertEquals(0104755, mode(root.resolve("suid")), "setuid survives the chown (chmod comes after it)");
        assertEquals(1000, attr(root.resolve("suid"), "uid"));
        assertEquals(1000, attr(root.resolve("suid"), "gid"));
        assertEquals(0102711, mode(root.resolve("sgid")));
        assertEquals(50, attr(root.resolve("sgid"), "gid"));
        assertEquals(0041777, mode(root.resolve("tmp")));
        assertEquals(1000, attr(root.resolve("tmp"), "uid"));
        assertEquals(0043770, mode(root.resolve("shared")));
        assertEquals(1000, attr(root.resolve("lnk"), "uid"), "lchown owns the link itself");
        assertEquals(1001, attr(root.resolve("lnk"), "gid"));
        assertEquals(1000, attr(root.resolve("suid"), "uid"));
    }

    @Test
    void directoryTimesAreSetAfterTheirChildren() throws IOException {
        byte[] tar = new TestTar().add(
                dir("d/").paxMtime("1500000000.123456789"),
                dir("d/sub/").mtime(1_400_000_000L),
                file("d/sub/f", "x").paxMtime("1300000000.5"),
                file("d/g", "y").mtime(1_200_000_000L),
                symlink("d/l", "g").mtime(1_100_000_000L),
                file("d/.wh.old", "")).bytes();
        unpack(tar);
        assertEquals(Instant.ofEpochSecond(1_500_000_000L, 123_456_789), mtime(root.resolve("d")),
                "children and whiteouts written later did not bump the directory");
        assertEquals(Instant.ofEpochSecond(1_400_000_000L), mtime(root.resolve("d/sub")));
        assertEquals(Instant.ofEpochSecond(1_300_000_000L, 500_000_000), mtime(root.resolve("d/sub/f")));
        assertEquals(Instant.ofEpochSecond(1_200_000_000L), mtime(root.resolve("d/g")));
        assertEquals(Instant.ofEpochSecond(1_100_000_000L), mtime(root.resolve("d/l")), "symlinks get times too");
        assertEquals(Instant.ofEpochSecond(1_200_000_000L), mtime(root.resolve("d/g")), "not the symlink's target");
    }

    @Test
    void atimeIsAppliedWhenPresent() throws IOException {
        unpack(new TestTar().add(file("f", "x").paxMtime("1000").paxAtime("2000.25")).bytes());
        FileTime atime = (FileTime) Files.getAttribute(root.resolve("f"), "lastAccessTime", NOFOLLOW);
        assertEquals(Instant.ofEpochSecond(2000, 250_000_000), atime.toInstant());
    }

    @Test
    void fifoTimesAreSetWithoutOpeningIt() {
        byte[] tar = new TestTar().add(new TestTar.E("p").type('6').paxMtime("1234567890.987654321")).bytes();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> unpack(tar), "opening a FIFO would block forever");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertEquals(Instant.ofEpochSecond(1_234_567_890L, 987_654_321), mtime(root.resolve("p"))));
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws IOException {
        byte[] tar = new TestTar().add(
                file("f", "first"), file("f", "second").mode(0600),
                file("to-dir", "file"), dir("to-dir/").mode(0700),
                dir("to-file/"), file("to-file/child", "c"), dir("to-file/sub/"), file("to-file", "now a file"),
                symlink("to-fifo", "x"), new TestTar.E("to-fifo").type('6'),
                dir("kept/").mode(0755).owner(1, 1), file("kept/child", "stays"), dir("kept/").mode(0711).owner(2, 2)).bytes();
        unpack(tar);
        assertEquals("second", Files.readString(root.resolve("f")));
        assertEquals(0100600, mode(root.resolve("f")));
        assertEquals(0040700, mode(root.resolve("to-dir")));
        assertEquals("now a file", Files.readString(root.resolve("to-file")));
        assertEquals(0010644, mode(root.resolve("to-fifo")));
        assertEquals("stays", Files.readString(root.resolve("kept/child")), "a dir entry over a dir keeps its content");
        assertEquals(0040711, mode(root.resolve("kept")), "and updates its metadata");
        assertEquals(2, attr(root.resolve("kept"), "uid"));
    }

    @Test
    void leadingSlashAndDotSlashAreStripped() throws IOException {
        var r = unpack(new TestTar().add(dir("./"), dir("/abs/"), file("/abs/f", "a"), file("./rel/f", "b"),
                file("x/./y/../z", "c"), hardlink("/abs/h", "/abs/f")).bytes());
        assertEquals(6, r.entries());
        assertEquals("a", Files.readString(root.resolve("abs/f")));
        assertEquals("b", Files.readString(root.resolve("rel/f")));
        assertEquals("c", Files.readString(root.resolve("x/z")), "'..' that stays inside the root is fine");
        assertEquals(attr(root.resolve("abs/f"), "ino"), attr(root.resolve("abs/h"), "ino"),
                "an absolute hardlink target is resolved inside the root");
    }

    @Test
    void xattrsTheFileSystemRefusesOnlyWarn() throws IOException {
        // user.* xattrs are not allowed on symlinks (EPERM): containers/storage warns and goes on, so do we
        var r = unpack(new TestTar().add(symlink("l", "t").xattr("user.x", new byte[] {1}),
                file("f", "x").xattr("trusted.overlay.redirect", "/elsewhere".getBytes(StandardCharsets.UTF_8))).bytes());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("user.x"), r.warnings().get(0));
        assertTrue(r.warnings().get(1).contains("trusted.overlay.redirect"), r.warnings().get(1));
        assertNull(ops.lgetxattr(root.resolve("f"), "trusted.overlay.redirect"), "overlay metadata never comes from layer content");
    }

    @Test
    void unsupportedEntryTypeNamesTheEntry() {
        byte[] tar = new TestTar().add(new TestTar.E("weird").type('Z')).bytes();
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class, () -> unpack(tar));
        assertTrue(ex.getMessage().startsWith("layer entry \"weird\""), ex.getMessage());
    }

    @Test
    void theCallerStreamIsNotClosed() throws IOException {
        boolean[] closed = {false};
        var in = new ByteArrayInputStream(TestTar.gzip(new TestTar().add(file("f", "x")).bytes())) {
            @Override
            public void close() { closed[0] = true; }
        };
        LayerUnpacker.unpack(in, root, ops);
        assertFalse(closed[0]);
        assertEquals(-1, in.read(), "read to the end");
    }

    @Test
    void localFailuresNameTheEntry() throws IOException {
        // a regular file where a parent directory should be is a broken layer, reported with the entry's name
        var ex = assertThrows(IOException.class, () -> unpack(new TestTar().add(file("a", "x"), file("a/b", "y")).bytes()));
        assertTrue(ex.getMessage().startsWith("layer entry \"a/b\""), ex.getMessage());
        assertTrue(ex.getMessage().contains("not a directory"), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
    }

    @Test
    void rootMustBeADirectory() throws IOException {
        Path f = Files.writeString(base.resolve("plain"), "x");
        assertThrows(IOException.class, () -> LayerUnpacker.unpack(new ByteArrayInputStream(new byte[0]), f, ops));
    }

    @Test
    void matchesWhatGnuTarWrites() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")), "needs GNU tar");
        Path src = Files.createDirectory(base.resolve("src"));
        Path deep = Files.createDirectories(src.resolve("d/" + "long-directory-name-".repeat(8) + "/x"));
        Files.writeString(deep.resolve("f".repeat(140)), "deep");
        Path suid = Files.writeString(src.resolve("suid"), "#!/bin/sh\n");
        ops.lchown(suid, 1000, 1000);
        ops.chmod(suid, 04755);
        ops.lsetxattr(suid, "user.bin", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 0x00, 0x7a});
        Files.createLink(src.resolve("d/hard"), suid);
        ops.symlink("../" + "t".repeat(120), src.resolve("d/long-link"));
        ops.mknod(src.resolve("d/fifo"), FileOps.S_IFIFO | 0640, 0, 0);
        ops.mknod(src.resolve("d/tty"), FileOps.S_IFCHR | 0620, 4, 1);
        Path sticky = Files.createDirectory(src.resolve("tmp"));
        ops.chmod(sticky, 01777);
        ops.lchown(src.resolve("d/fifo"), 3_000_000, 2_500_000); // past 7 octal digits: base-256 in GNU format
        ops.utimensat(src.resolve("d/fifo"), 5, 0, 1_111_111_111L, 222_333_444);
        ops.utimensat(src.resolve("d"), 5, 0, 1_000_000_000L, 123_456_789);
        ops.utimensat(src, 5, 0, 999_999_999L, 0);

        for (String format : new String[] {"pax", "gnu"}) {
            TestTar.deleteTree(root);
            Files.createDirectory(root);
            List<String> cmd = new java.util.ArrayList<>(List.of("tar", "--format=" + format, "--numeric-owner", "-cf", "-",
                    "-C", src.toString(), "."));
            if (format.equals("pax")) cmd.addAll(1, List.of("--xattrs", "--xattrs-include=user.*"));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] tar = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "tar failed");
            unpack(tar);
            boolean pax = format.equals("pax"); // GNU format has neither nanoseconds nor xattrs
            assertEquals(tree(src, pax), tree(root, pax), format + " archive unpacks to the same tree");
        }
    }

    /** A comparable listing: type and mode, owner, device, links, link target, content, mtime, user xattrs. */
    Map<String, String> tree(Path top, boolean pax) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var walk = Files.walk(top)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(top)) continue;
                StringBuilder sb = new StringBuilder();
                sb.append(Integer.toOctalString(mode(p))).append(' ').append(attr(p, "uid")).append(':').append(attr(p, "gid"));
                sb.append(" rdev=").append(attr(p, "rdev")).append(" nlink=").append(attr(p, "nlink"));
                Instant t = mtime(p);
                sb.append(" mtime=").append(pax ? t : Instant.ofEpochSecond(t.getEpochSecond()));
                if (Files.isSymbolicLink(p)) sb.append(" -> ").append(readlink(p));
                else if (Files.isRegularFile(p, NOFOLLOW)) sb.append(" content=").append(Files.readString(p));
                byte[] x = pax ? ops.lgetxattr(p, "user.bin") : null;
                if (x != null) sb.append(" user.bin=").append(HexFormat.of().formatHex(x));
                m.put(top.relativize(p).toString(), sb.toString());
            }
        }
        return m;
    }
}
