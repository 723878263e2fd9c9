package io.jpod.sys.linux;

import io.jpod.sys.FileOps;
import io.jpod.sys.SysException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Runs as root on ext4 under /var/tmp: mknod and trusted.* xattrs need both. */
class LinuxFileOpsTest {
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    final FileOps ops = new LinuxFileOps();
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "jpod-fileops-");
    }

    @AfterEach
    void tearDown() throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static Object attr(Path p, String name) throws IOException {
        return Files.getAttribute(p, "unix:" + name, NOFOLLOW);
    }

    @Test
    void mknodCreatesDevicesAndFifos() throws IOException {
        Path c = dir.resolve("null");
        ops.mknod(c, FileOps.S_IFCHR | 0666, 1, 3);
        assertEquals(0020000, (int) attr(c, "mode") & 0170000, "a character device (bits are subject to umask)");
        assertEquals((1L << 8) | 3, attr(c, "rdev"));
        Path b = dir.resolve("blk");
        ops.mknod(b, FileOps.S_IFBLK | 0600, 259, 70000);
        // majors past 12 bits and minors past 8 bits use glibc's split dev_t encoding
        assertEquals(LinuxFileOps.makedev(259, 70000), attr(b, "rdev"));
        assertEquals(((70000L & 0xffffff00L) << 12) | (259L << 8) | (70000L & 0xff), attr(b, "rdev"));
        Path f = dir.resolve("fifo");
        ops.mknod(f, FileOps.S_IFIFO | 0600, 0, 0);
        assertEquals(0010600, attr(f, "mode"));
    }

    @Test
    void errorsCarryCallErrnoAndAReadableMessage() {
        Path c = dir.resolve("x");
        ops.mknod(c, FileOps.S_IFIFO | 0600, 0, 0);
        SysException ex = assertThrows(SysException.class, () -> ops.mknod(c, FileOps.S_IFIFO | 0600, 0, 0));
        assertEquals(17, ex.errno());
        assertEquals("mknod", ex.call());
        assertEquals("mknod " + c + ": File exists (errno 17)", ex.getMessage());
        SysException missing = assertThrows(SysException.class, () -> ops.lchown(dir.resolve("nope"), 0, 0));
        assertEquals(2, missing.errno());
        assertEquals("lchown " + dir.resolve("nope") + ": No such file or directory (errno 2)", missing.getMessage());
    }

    @Test
    void xattrsRoundTripRawBytes() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        byte[] v = {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 0x00, 0x7a};
        ops.lsetxattr(f, "user.bin", v);
        assertArrayEquals(v, ops.lgetxattr(f, "user.bin"));
        byte[] big = new byte[3000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        ops.lsetxattr(f, "user.big", big);
        assertArrayEquals(big, ops.lgetxattr(f, "user.big"));
        ops.lsetxattr(f, "user.empty", new byte[0]);
        assertArrayEquals(new byte[0], ops.lgetxattr(f, "user.empty"));
        assertNull(ops.lgetxattr(f, "user.absent"));
        ops.lsetxattr(dir, "trusted.overlay.opaque", new byte[] {'y'});
        assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), ops.lgetxattr(dir, "trusted.overlay.opaque"));
    }

    @Test
    void xattrOnSymlinkTouchesTheLinkNotTheTarget() throws IOException {
        Path t = Files.writeString(dir.resolve("t"), "x");
        Path l = Files.createSymbolicLink(dir.resolve("l"), t);
        ops.lsetxattr(l, "trusted.jpod", new byte[] {1});
        assertArrayEquals(new byte[] {1}, ops.lgetxattr(l, "trusted.jpod"));
        assertNull(ops.lgetxattr(t, "trusted.jpod"));
    }

    @Test
    void utimensatSetsNanosecondsOnFifoWithoutOpeningIt() {
        Path f = dir.resolve("fifo");
        ops.mknod(f, FileOps.S_IFIFO | 0644, 0, 0);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            ops.utimensat(f, 1_000_000_000L, 5, 1_234_567_890L, 987_654_321);
            assertEquals(Instant.ofEpochSecond(1_234_567_890L, 987_654_321), Files.getLastModifiedTime(f, NOFOLLOW).toInstant());
            assertEquals(Instant.ofEpochSecond(1_000_000_000L, 5),
                    ((java.nio.file.attribute.FileTime) Files.getAttribute(f, "lastAccessTime", NOFOLLOW)).toInstant());
        });
    }

    @Test
    void utimensatOnSymlinkDoesNotFollow() throws IOException {
        Path t = Files.writeString(dir.resolve("t"), "x");
        Instant tBefore = Files.getLastModifiedTime(t).toInstant();
        Path l = Files.createSymbolicLink(dir.resolve("l"), t);
        ops.utimensat(l, 100, 0, 200, 0);
        assertEquals(Instant.ofEpochSecond(200), Files.getLastModifiedTime(l, NOFOLLOW).toInstant());
        assertEquals(tBefore, Files.getLastModifiedTime(t).toInstant());
    }

    @Test
    void lchownChangesTheLinkNotTheTarget() throws IOException {
        Path t = Files.writeString(dir.resolve("t"), "x");
        Path l = Files.createSymbolicLink(dir.resolve("l"), t);
        ops.lchown(l, 1000, 1001);
        assertEquals(1000, attr(l, "uid"));
        assertEquals(1001, attr(l, "gid"));
        assertEquals(0, attr(t, "uid"));
        ops.lchown(t, 1000, 1000);
        assertEquals(1000, attr(t, "uid"));
    }

    @Test
    void chmodSetsSpecialBitsAndRefusesSymlinks() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        ops.lchown(f, 1000, 1000);
        ops.chmod(f, 07755);
        assertEquals(0107755, attr(f, "mode"));
        Path d = Files.createDirectory(dir.resolve("d"));
        ops.chmod(d, 01777);
        assertEquals(0041777, attr(d, "mode"));
        Path l = Files.createSymbolicLink(dir.resolve("l"), f);
        SysException ex = assertThrows(SysException.class, () -> ops.chmod(l, 0600));
        assertEquals(95, ex.errno(), "EOPNOTSUPP: symlinks have no mode, and the target must not change");
        assertEquals(0107755, attr(f, "mode"));
    }

    @Test
    void symlinkStoresTheTargetVerbatim() throws Exception {
        Path l = dir.resolve("l");
        ops.symlink("..//a/./b/", l);
        Process p = new ProcessBuilder("readlink", l.toString()).start();
        assertEquals("..//a/./b/\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        p.waitFor();
        SysException ex = assertThrows(SysException.class, () -> ops.symlink("x", l));
        assertEquals(17, ex.errno());
    }

    @Test
    void nulBytesAreRejectedBeforeReachingLibc() {
        assertThrows(IllegalArgumentException.class, () -> ops.symlink("a\0b", dir.resolve("n")));
    }
}
