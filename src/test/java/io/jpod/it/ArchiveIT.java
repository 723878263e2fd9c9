package io.jpod.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** save, load and export with real archives, and podman reading jpod's archives and the other way round. */
class ArchiveIT extends CliIT {
    String id() {
        return cli.ok("image", "inspect", "--format", "{{.Id}}", JpodCli.IMAGE).out();
    }

    static String tarList(Path tar) throws Exception {
        Process p = new ProcessBuilder("tar", "tf", tar.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar tf failed");
        return out;
    }

    @Test
    void saveRmiLoadRunInBothFormats() throws Exception {
        String id = id();
        for (String format : List.of("docker-archive", "oci-archive")) {
            Path archive = cli.scratch().resolve(format + ".tar");
            JpodCli.Result save = cli.run("save", "--format", format, "-o", archive.toString(), JpodCli.IMAGE);
            assertEquals(0, save.exit(), save::toString);
            String members = tarList(archive);
            if (format.equals("docker-archive")) {
                assertTrue(members.contains("manifest.json") && members.contains(id + ".json"), members);
            } else {
                assertTrue(members.contains("oci-layout") && members.contains("index.json") && members.contains("blobs/sha256/" + id), members);
            }
            cli.ok("rmi", JpodCli.IMAGE);
            JpodCli.Result load = cli.run("load", "-i", archive.toString());
            assertEquals(0, load.exit(), load::toString);
            assertEquals("Loaded image: " + JpodCli.IMAGE + ":latest", load.out());
            assertEquals(id, id(), "the same config, the same image ID");
            assertEquals(format, cli.ok("run", "--rm", JpodCli.IMAGE, "echo", format).out());
        }
        // stdin, and a second load of what is there already
        Path archive = cli.scratch().resolve("docker-archive.tar");
        JpodCli.Result again = cli.run(JpodCli.DEFAULT_TIMEOUT, "load", "-q", "-i", archive.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals("", again.stderr(), "-q silences progress");
    }

    @Test
    void ociDirAndMultiImageArchives() throws Exception {
        cli.ok("tag", JpodCli.IMAGE, "localhost/second:2");
        Path multi = cli.scratch().resolve("multi.tar");
        cli.ok("save", "-q", "-m", "-o", multi.toString(), JpodCli.IMAGE, "localhost/second:2");
        cli.ok("rmi", "-f", JpodCli.IMAGE, "localhost/second:2");
        JpodCli.Result load = cli.run("load", "-i", multi.toString());
        assertEquals(List.of("Loaded image: localhost/busybox:latest", "Loaded image: localhost/second:2"), load.lines(), load::toString);
        Path dir = cli.scratch().resolve("layout");
        cli.ok("save", "-q", "--format", "oci-dir", "-o", dir.toString(), "localhost/second:2");
        assertTrue(Files.isRegularFile(dir.resolve("index.json")) && Files.isRegularFile(dir.resolve("oci-layout")));
        cli.ok("rmi", "localhost/second:2");
        JpodCli.Result fromDir = cli.run("load", "-q", "-i", dir.toString());
        assertEquals("Loaded image: localhost/second:2", fromDir.out(), fromDir::toString);
        cli.ok("rmi", "localhost/second:2");
    }

    @Test
    void badArchivesAreOneLineAndStoreNothing() throws Exception {
        List<String> before = cli.ok("images", "-q").lines();
        Path junk = cli.scratch().resolve("junk.tar");
        Files.writeString(junk, "this is not a tar archive, not at all, and it goes on for a while...".repeat(20));
        JpodCli.Result bad = cli.run("load", "-i", junk.toString());
        assertEquals(125, bad.exit(), bad::toString);
        assertTrue(bad.stderr().contains("payload does not match any of the supported image formats"), bad::toString);

        Path good = cli.scratch().resolve("good.tar");
        cli.ok("save", "-q", "-o", good.toString(), JpodCli.IMAGE);
        byte[] all = Files.readAllBytes(good);
        Path cut = cli.scratch().resolve("cut.tar");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
        cli.ok("rmi", JpodCli.IMAGE);
        JpodCli.Result truncated = cli.run("load", "-i", cut.toString());
        assertEquals(125, truncated.exit(), truncated::toString);
        assertTrue(truncated.stderr().contains("truncated"), truncated::toString);
        assertEquals(List.of(), cli.ok("images", "-q").lines(), "nothing half-loaded");
        try (var s = Files.list(cli.root().resolve("tmp"))) {
            assertEquals(List.of(), s.toList(), "the spool directory is gone");
        }
        assertEquals(1, cli.ok("load", "-q", "-i", good.toString()).lines().size(), "a retry with a good archive works");
        assertEquals(before.size(), cli.ok("images", "-q").lines().size());

        JpodCli.Result missing = cli.run("load", "-i", cli.scratch().resolve("nope.tar").toString());
        assertEquals(125, missing.exit(), missing::toString);
        JpodCli.Result fmt = cli.run("save", "--format", "zip", "-o", cli.scratch().resolve("x").toString(), JpodCli.IMAGE);
        assertEquals(125, fmt.exit(), fmt::toString);
        assertTrue(fmt.stderr().contains("unsupported save format \"zip\""), fmt::toString);
        assertFalse(Files.exists(cli.scratch().resolve("x")), "a failed save leaves no file");
    }

    @Test
    void exportWritesTheContainersFilesystem() throws Exception {
        String name = cli.name("exp");
        cli.ok("create", "--name", name, JpodCli.IMAGE, "sh", "-c", "echo hi > /made.txt; ln -s /made.txt /link; rm /bin/vi");
        assertEquals(0, cli.run("start", "-a", name).exit());
        Path out = cli.scratch().resolve("export.tar");
        cli.ok("export", "-o", out.toString(), name);
        String members = tarList(out);
        assertTrue(members.lines().anyMatch("made.txt"::equals), "the container's own file");
        assertTrue(members.lines().anyMatch("link"::equals), "the symlink, not followed");
        assertTrue(members.lines().anyMatch("bin/sh"::equals), "the image's files");
        assertFalse(members.lines().anyMatch("bin/vi"::equals), "what the container deleted is not there");
        assertTrue(members.lines().noneMatch(l -> l.startsWith("./") || l.startsWith("/")), "names are relative");
        assertEquals(List.of(), cli.mounts().stream().filter(m -> m.contains("merged")).toList(), "the rootfs is unmounted after");
    }

    @Test
    void podmanAndJpodReadEachOthersArchives() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "podman is not installed");
        Path podRoot = cli.scratch().resolve("podman-root");
        Path podRun = Path.of("/run/" + cli.scratch().getFileName() + "-podman");
        List<String> podman = List.of("podman", "--root", podRoot.toString(), "--runroot", podRun.toString());
        try {
            for (String format : List.of("docker-archive", "oci-archive")) {
                Path mine = cli.scratch().resolve("mine-" + format + ".tar");
                cli.ok("save", "-q", "--format", format, "-o", mine.toString(), JpodCli.IMAGE);
                assertEquals(0, exec(podman, "load", "-q", "-i", mine.toString()), "podman loads jpod's " + format);
                Path theirs = cli.scratch().resolve("theirs-" + format + ".tar");
                assertEquals(0, exec(podman, "save", "-q", "--format", format, "-o", theirs.toString(), JpodCli.IMAGE));
                cli.ok("rmi", JpodCli.IMAGE);
                JpodCli.Result load = cli.run("load", "-q", "-i", theirs.toString());
                assertEquals(0, load.exit(), "jpod loads podman's " + format + ": " + load);
                assertEquals("ok", cli.ok("run", "--rm", JpodCli.IMAGE, "echo", "ok").out());
                assertEquals(0, exec(podman, "rmi", "-a", "-f"));
            }
        } finally {
            exec(podman, "system", "reset", "-f");
            exec(List.of("rm", "-rf", podRoot.toString(), podRun.toString()));
        }
    }

    static int exec(List<String> base, String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(base);
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
