package io.jpod.image;

import io.jpod.sys.FileOps;
import io.jpod.sys.linux.LinuxFileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static io.jpod.image.TestTar.dir;
import static io.jpod.image.TestTar.file;
import static io.jpod.image.TestTar.hardlink;
import static io.jpod.image.TestTar.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile layers. Each refused case asserts the one-line message names the entry, and that nothing outside the
 * root changed: a snapshot of the whole test area except the root (an "outside" dir with a sentinel, and the
 * root's own parent, which "../x" would hit) and of /etc/passwd is compared before and after.
 */
class LayerUnpackerSecurityTest {
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    final FileOps ops = new LinuxFileOps();
    Path base;
    Path outside;
    Path sentinel;
    Path root;
    Map<String, String> before;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory(Path.of("/var/tmp"), "jpod-sec-");
        outside = Files.createDirectory(base.resolve("outside"));
        sentinel = Files.writeString(outside.resolve("sentinel"), "keep");
        Files.createDirectory(outside.resolve("sub"));
        root = Files.createDirectories(base.resolve("work/root"));
        before = snapshot();
    }

    @AfterEach
    void tearDown() throws IOException {
        TestTar.deleteTree(base);
    }

    /** Unpacks, expects refusal naming the entry and the reason, then proves the outside world is untouched. */
    void assertRefused(String entry, String reason, TestTar.E... entries) throws IOException {
        byte[] tar = new TestTar().add(entries).bytes();
        var ex = assertThrows(LayerUnpacker.InvalidLayerException.class,
                () -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), root, ops));
        String m = ex.getMessage();
        assertTrue(m.startsWith("layer entry " + LayerUnpacker.quote(entry) + " "), "names the entry: " + m);
        assertTrue(m.contains(reason), "says why (" + reason + "): " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertUntouched();
    }

    void assertUntouched() throws IOException {
        assertEquals(before, snapshot(), "nothing outside the root changed");
    }

    /** Every path outside the root with type, owner, mode, links, size, mtime, content digest and opaque xattr. */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                if (d.equals(root)) return FileVisitResult.SKIP_SUBTREE;
                m.put(base.relativize(d) + "/", describe(d) + " entries=" + list(d));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                m.put(base.relativize(f).toString(), describe(f));
                return FileVisitResult.CONTINUE;
            }
        });
        m.put("/etc/passwd", describe(Path.of("/etc/passwd")));
        return m;
    }

    String describe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,nlink,size,lastModifiedTime,ino", NOFOLLOW);
        String s = new TreeMap<>(a).toString();
        if (Files.isRegularFile(p, NOFOLLOW)) {
            try {
                s += " sha=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        if (Files.isDirectory(p, NOFOLLOW)) {
            byte[] opq = ops.lgetxattr(p, "trusted.overlay.opaque");
            s += " opaque=" + (opq == null ? "-" : new String(opq));
        }
        return s;
    }

    static String list(Path d) throws IOException {
        try (var st = Files.list(d)) {
            return st.map(x -> x.getFileName().toString()).sorted().toList().toString();
        }
    }

    // --- ".." and absolute paths

    @Test
    void dotDotAtTheStart() throws IOException {
        assertRefused("../x", "escapes the layer root: path contains \"..\"", file("../x", "pwned"));
        assertFalse(Files.exists(base.resolve("work/x"), NOFOLLOW));
    }

    @Test
    void dotDotAfterADirectory() throws IOException {
        assertRefused("a/../../x", "escapes the layer root", dir("a/"), file("a/../../x", "pwned"));
    }

    @Test
    void dotDotReachingTheOutsideDir() throws IOException {
        assertRefused("../../outside/sentinel", "escapes the layer root", file("../../outside/sentinel", "pwned"));
        assertEquals("keep", Files.readString(sentinel));
    }

    @Test
    void absoluteDotDotIsStillAnEscape() throws IOException {
        assertRefused("/../x", "escapes the layer root", file("/../x", "pwned"));
    }

    @Test
    void dotDotInAPaxPath() throws IOException {
        String evil = "a/".repeat(60) + "../".repeat(62) + "x";
        assertRefused(evil, "escapes the layer root", file(evil, "pwned"));
    }

    @Test
    void dotDotInAGnuLongName() throws IOException {
        String evil = "../" + "y".repeat(120);
        assertRefused(evil, "escapes the layer root", file(evil, "pwned").longNames(TestTar.LongNames.GNU));
    }

    // --- symlinked parents

    @Test
    void symlinkParentToAnAbsoluteOutsideDir() throws IOException {
        assertRefused("a/evil", "a symlink", symlink("a", outside.toString()), file("a/evil", "pwned"));
        assertFalse(Files.exists(outside.resolve("evil"), NOFOLLOW));
    }

    @Test
    void symlinkParentToEtc() throws IOException {
        assertRefused("a/passwd", "goes through \"a\", a symlink to \"/etc\"", symlink("a", "/etc"),
                file("a/passwd", "root::0:0::/:/bin/sh\n"));
    }

    @Test
    void symlinkParentWithRelativeEscape() throws IOException {
        assertRefused("b/evil", "a symlink", symlink("b", "../../outside"), file("b/evil", "pwned"));
    }

    @Test
    void symlinkParentToDotDotDotDot() throws IOException {
        assertRefused("c/outside/sentinel", "a symlink", symlink("c", "../../.."), file("c/outside/sentinel", "pwned"));
    }

    @Test
    void symlinkDeeperInThePath() throws IOException {
        assertRefused("d/e/f/g", "goes through \"d/e\"", dir("d/"), symlink("d/e", outside.toString()), file("d/e/f/g", "x"));
        assertFalse(Files.exists(outside.resolve("f"), NOFOLLOW));
    }

    @Test
    void directoryReplacedBySymlinkIsNotTrustedAnyMore() throws IOException {
        // "a/b" was proven a directory, then "a" became a symlink: the cached proof must not survive
        assertRefused("a/b/c", "a symlink", dir("a/"), dir("a/b/"), symlink("a", outside.toString()),
                file("a/b/c", "pwned"));
    }

    @Test
    void directoryEntryThroughSymlinkParent() throws IOException {
        assertRefused("s/newdir/", "a symlink", symlink("s", outside.toString()), dir("s/newdir/"));
    }

    @Test
    void whiteoutThroughSymlinkParent() throws IOException {
        assertRefused("s/.wh.sentinel", "a symlink", symlink("s", outside.toString()), file("s/.wh.sentinel", ""));
        assertTrue(Files.isRegularFile(sentinel, NOFOLLOW));
    }

    @Test
    void opaqueMarkerThroughSymlinkParent() throws IOException {
        assertRefused("s/.wh..wh..opq", "a symlink", symlink("s", outside.toString()), file("s/.wh..wh..opq", ""));
    }

    @Test
    void whiteoutOfDotDot() throws IOException {
        assertRefused("sub/.wh...", "invalid whiteout", dir("sub/"), file("sub/.wh...", ""));
        assertRefused(".wh..", "invalid whiteout", file(".wh..", ""));
    }

    // --- hardlinks

    @Test
    void hardlinkToEtcPasswd() throws IOException {
        assertRefused("h", "has not extracted", hardlink("h", "/etc/passwd"));
    }

    @Test
    void hardlinkEscapingWithDotDot() throws IOException {
        assertRefused("h", "hardlink target \"../../outside/sentinel\" contains \"..\"",
                hardlink("h", "../../outside/sentinel"));
        assertEquals(1L, ((Number) Files.getAttribute(sentinel, "unix:nlink")).longValue());
    }

    @Test
    void hardlinkThroughSymlinkedParent() throws IOException {
        assertRefused("h", "hardlink target goes through \"s\"", symlink("s", outside.toString()), hardlink("h", "s/sentinel"));
        assertEquals(1L, ((Number) Files.getAttribute(sentinel, "unix:nlink")).longValue());
    }

    @Test
    void hardlinkThroughRelativeSymlinkedParent() throws IOException {
        assertRefused("h", "a symlink", symlink("s", "../../outside"), hardlink("h", "s/sentinel"));
    }

    @Test
    void hardlinkToASymlinkLinksTheSymlinkItself() throws IOException {
        // link(2) does not follow: the result is a second name for the symlink inode, still inside the root
        byte[] tar = new TestTar().add(symlink("l", sentinel.toString()), hardlink("h", "l")).bytes();
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), root, ops);
        assertTrue(Files.isSymbolicLink(root.resolve("h")));
        assertEquals(Files.getAttribute(root.resolve("l"), "unix:ino", NOFOLLOW),
                Files.getAttribute(root.resolve("h"), "unix:ino", NOFOLLOW));
        assertUntouched();
    }

    // --- final components that are symlinks: replaced, never written through

    @Test
    void fileOverSymlinkReplacesTheLink() throws IOException {
        byte[] tar = new TestTar().add(symlink("a", sentinel.toString()), file("a", "pwned").mode(0777).owner(1000, 1000),
                symlink("d", outside.toString()), dir("d/"), file("d/f", "inside"),
                symlink("n", sentinel.toString()), new TestTar.E("n").type('6')).bytes();
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), root, ops);
        assertEquals("pwned", Files.readString(root.resolve("a")));
        assertTrue(Files.isDirectory(root.resolve("d"), NOFOLLOW), "a dir entry over a symlink is a real dir");
        assertEquals("inside", Files.readString(root.resolve("d/f")));
        assertUntouched();
    }

    @Test
    void metadataOfASymlinkNeverReachesItsTarget() throws IOException {
        byte[] tar = new TestTar().add(symlink("l", sentinel.toString()).owner(1000, 1000).mode(04777)
                .xattr("user.x", new byte[] {1}).mtime(1)).bytes();
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), root, ops);
        assertEquals(1000, Files.getAttribute(root.resolve("l"), "unix:uid", NOFOLLOW));
        assertUntouched();
    }

    @Test
    void devicesAndFifosInsideTheRootAreFine() throws IOException {
        byte[] tar = new TestTar().add(new TestTar.E("dev/mem").type('3').dev(1, 1).mode(0640),
                new TestTar.E("dev/sda").type('4').dev(8, 0).mode(0660), new TestTar.E("p").type('6')).bytes();
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), root, ops);
        assertTrue(Files.exists(root.resolve("dev/mem"), NOFOLLOW));
        assertUntouched();
    }

    @Test
    void nonDirectoryNamingTheRootIsRefused() throws IOException {
        assertRefused("./", "names the layer root itself", file("./", "x"));
    }
}
