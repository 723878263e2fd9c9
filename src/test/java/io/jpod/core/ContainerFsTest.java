package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path resolution inside a container root: symlinks and ".." can never leave it. */
class ContainerFsTest {
    @TempDir
    Path tmp;

    @Test
    void symlinksAndDotDotStayInsideTheRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("a/b/up"), Path.of("../../../../../.."));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("a/b"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        ContainerFs fs = new ContainerFs(root, List.of());
        assertEquals(root.resolve("etc/passwd"), fs.resolve("/abs/passwd"), "an absolute target starts at the root");
        assertEquals(root.resolve("etc"), fs.resolve("/a/b/up/etc"), "\"..\" stops at the root");
        assertEquals(root.resolve("etc"), fs.resolve("/../../etc"));
        assertEquals(root.resolve("a/b/x"), fs.resolve("rel/x"));
        assertEquals(root.resolve("abs"), fs.resolve("/abs", false), "a final link is itself unless followed");
        assertEquals(root.resolve("etc"), fs.resolve("/abs/", false), "a trailing slash follows it");
        IOException loop = assertThrows(IOException.class, () -> fs.resolve("/loop/x"));
        assertTrue(loop.getMessage().contains("too many levels of symbolic links"));
    }

    @Test
    void mountsAreTheirOwnRoots() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        Path vol = Files.createDirectories(tmp.resolve("vol/_data"));
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(vol.resolve("out"), Path.of("/etc"));
        ContainerFs fs = new ContainerFs(root, List.of(new MountSpec("volume", vol.toString(), "/data", List.of())));
        assertEquals(vol.resolve("f"), fs.resolve("/data/f"));
        assertEquals(root.resolve("etc"), fs.resolve("/data/out"), "an absolute link in a volume means the container's /");
        assertEquals(root.resolve("etc"), fs.resolve("/data/../etc"), "\"..\" out of a mount point climbs into the rootfs");
    }
}
