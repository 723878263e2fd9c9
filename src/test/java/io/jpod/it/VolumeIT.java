package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named and anonymous volumes with real containers: sharing, copy-up, read-only, in use, rm -v, --rm, prune. */
class VolumeIT extends CliIT {
    @AfterEach
    void removeVolumes() {
        cli.run("volume", "rm", "-a", "-f");
    }

    List<String> volumes() {
        return cli.ok("volume", "ls", "-q").lines();
    }

    @Test
    void colonUChownsTheSourceToTheContainersUser() throws Exception {
        Path host = Files.createDirectories(cli.scratch().resolve("u-bind-" + System.nanoTime()));
        Files.writeString(host.resolve("f"), "x");
        Files.createSymbolicLink(host.resolve("escape"), Path.of("/etc/hostname"));
        int before = (int) Files.getAttribute(Path.of("/etc/hostname"), "unix:uid");
        String vol = cli.name("uvol");
        Result r = cli.ok("run", "--rm", "-u", "1234:2345", "-v", host + ":/b:U", "-v", vol + ":/v:U", JpodCli.IMAGE,
                "stat", "-c", "%u:%g", "/b", "/b/f", "/v");
        assertEquals(List.of("1234:2345", "1234:2345", "1234:2345"), r.lines());
        assertEquals(1234, (int) Files.getAttribute(host.resolve("escape"), "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(before, (int) Files.getAttribute(Path.of("/etc/hostname"), "unix:uid"), "a symlink is never followed");
        cli.ok("volume", "rm", vol);
    }

    @Test
    void createListInspectExistsRemove() {
        assertEquals("data", cli.ok("volume", "create", "--label", "k=v", "data").out());
        JpodCli.Result dup = cli.run("volume", "create", "data");
        assertEquals(125, dup.exit(), dup::toString);
        assertTrue(dup.stderr().contains("volume with name data already exists"), dup::toString);
        JpodCli.Result bad = cli.run("volume", "create", "no/slash");
        assertEquals(125, bad.exit(), bad::toString);
        assertTrue(bad.stderr().contains("invalid volume name"), bad::toString);

        List<String> table = cli.ok("volume", "ls").lines();
        assertTrue(table.getFirst().matches("DRIVER\\s+VOLUME NAME"), table.toString());
        assertTrue(table.get(1).matches("local\\s+data"), table.toString());
        assertEquals(List.of("data"), cli.ok("volume", "ls", "-q", "--filter", "label=k=v").lines());
        assertEquals(List.of(), cli.ok("volume", "ls", "-q", "--filter", "label=k=other").lines());
        String mp = cli.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "data").out();
        assertEquals(cli.root().resolve("volumes/data/_data").toString(), mp);
        assertTrue(Files.isDirectory(Path.of(mp)));
        assertEquals(0, cli.run("volume", "exists", "data").exit());
        assertEquals(1, cli.run("volume", "exists", "nope").exit());

        assertEquals("data", cli.ok("volume", "rm", "data").out());
        assertFalse(Files.exists(Path.of(mp)), "the directory goes with the volume");
        JpodCli.Result gone = cli.run("volume", "rm", "data");
        assertEquals(1, gone.exit(), "podman's code for a missing volume: " + gone);
        assertTrue(gone.stderr().contains("no such volume"), gone::toString);
    }

    @Test
    void namedVolumesAreSharedCopiedUpOnceAndCanBeReadOnly() throws Exception {
        cli.ok("run", "--rm", "-v", "shared:/data", JpodCli.IMAGE, "sh", "-c", "echo hello > /data/f");
        assertEquals("hello", cli.ok("run", "--rm", "-v", "shared:/data:ro", JpodCli.IMAGE, "cat", "/data/f").out(),
                "-v NAME made the volume on first use; a second container sees its data");
        JpodCli.Result ro = cli.run("run", "--rm", "-v", "shared:/data:ro", JpodCli.IMAGE, "sh", "-c", "echo x > /data/g");
        assertNotEquals(0, ro.exit(), "read-only: " + ro);

        // a new volume over /etc is filled with the image's /etc, once
        assertTrue(cli.ok("run", "--rm", "-v", "etcvol:/etc", JpodCli.IMAGE, "cat", "/etc/passwd").out().startsWith("root:"));
        Path data = Path.of(cli.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "etcvol").out());
        assertTrue(Files.isRegularFile(data.resolve("passwd")));
        Files.delete(data.resolve("group"));
        cli.ok("run", "--rm", "-v", "etcvol:/etc", JpodCli.IMAGE, "true");
        assertFalse(Files.exists(data.resolve("group")), "copy-up happens only for a never-used volume");

        // --mount works the same way
        assertEquals("hello", cli.ok("run", "--rm", "--mount", "type=volume,source=shared,target=/m,readonly",
                JpodCli.IMAGE, "cat", "/m/f").out());
        assertEquals("tmpfs", cli.ok("run", "--rm", "--mount", "type=tmpfs,target=/t", JpodCli.IMAGE,
                "sh", "-c", "grep ' /t ' /proc/mounts | cut -d' ' -f3").out());
    }

    @Test
    void copyUpNeverFollowsASymlinkInTheImage() throws Exception {
        // an image whose /danger is a symlink to /etc: followed on the host it would name the host's /etc
        Path dir = cli.scratch().resolve("symimg");
        Files.createDirectories(dir);
        Path tar = cli.scratch().resolve("rootfs.tar");
        assertEquals(0, TestRegistry.exitOf("tar", "-C", dir.toString(), "-xf", tar.toString()));
        Files.createSymbolicLink(dir.resolve("danger"), Path.of("/etc"));
        Path out = cli.scratch().resolve("sym.tar");
        assertEquals(0, TestRegistry.exitOf("tar", "-C", dir.toString(), "-cf", out.toString(), "."));
        cli.ok("import", "--change", "CMD=[\"sh\"]", out.toString(), "localhost/symimg:1");
        try {
            cli.run("run", "--rm", "-v", "symvol:/danger/x", "localhost/symimg:1", "true");
            Path data = Path.of(cli.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "symvol").out());
            try (var s = Files.list(data)) {
                assertEquals(List.of(), s.toList(), "nothing copied through the symlink");
            }
        } finally {
            cli.run("rmi", "-f", "localhost/symimg:1");
        }
    }

    @Test
    void volumesInUseAnonymousVolumesAndPrune() {
        String user = cli.name("user");
        cli.ok("run", "-d", "--name", user, "-v", "busy:/data", JpodCli.IMAGE, "sleep", "100");
        JpodCli.Result inUse = cli.run("volume", "rm", "busy");
        assertEquals(2, inUse.exit(), inUse::toString);
        assertTrue(inUse.stderr().contains("volume busy is being used by the following container(s)"), inUse::toString);
        assertEquals(List.of("busy"), volumes(), "prune keeps a volume in use");
        cli.ok("volume", "prune", "-f");
        assertEquals(List.of("busy"), volumes());
        assertEquals("busy", cli.ok("volume", "rm", "-f", "busy").out());
        assertEquals(1, cli.run("container", "exists", user).exit(), "volume rm -f removed the container using it");

        // anonymous volumes: -v /path; kept by rm, removed by rm -v and by --rm
        String a = cli.name("anon");
        cli.ok("create", "--name", a, "-v", "/scratch", JpodCli.IMAGE, "true");
        assertEquals(1, volumes().size());
        assertEquals("volume", cli.ok("inspect", "--format", "{{range .Mounts}}{{.Type}}{{end}}", a).out());
        cli.ok("rm", "-v", a);
        assertEquals(List.of(), volumes(), "rm -v removes the anonymous volume");
        String b = cli.name("anon");
        cli.ok("create", "--name", b, "-v", "/scratch", JpodCli.IMAGE, "true");
        cli.ok("rm", b);
        assertEquals(1, volumes().size(), "plain rm keeps it, as podman");
        cli.ok("run", "--rm", "-v", "/scratch2", JpodCli.IMAGE, "true");
        assertEquals(1, volumes().size(), "--rm takes its anonymous volume along");

        JpodCli.Result no = cli.runWithInput("n\n", "volume", "prune");
        assertTrue(no.stdout().startsWith("WARNING! This will remove all volumes not used by at least one container."), no::toString);
        assertEquals(1, volumes().size());
        assertEquals(1, cli.ok("volume", "prune", "-f").lines().size());
        assertEquals(List.of(), volumes());
    }

    @Test
    void anImagesVolumesBecomeAnonymousVolumes() {
        assertEquals(0, cli.importBusybox("localhost/withvol:1", JpodCli.PATH_ENV, "CMD=[\"sh\"]", "VOLUME=/vol").exit());
        try {
            String c = cli.name("iv");
            cli.ok("create", "--name", c, "localhost/withvol:1", "sh", "-c", "echo in > /vol/x");
            assertEquals(1, volumes().size());
            assertEquals("/vol", cli.ok("inspect", "--format", "{{range .Mounts}}{{.Destination}}{{end}}", c).out());
            assertEquals(0, cli.run("start", "-a", c).exit());
            cli.ok("rm", "-v", c);
            assertEquals(List.of(), volumes());
        } finally {
            cli.run("rmi", "-f", "localhost/withvol:1");
        }
    }

    @Test
    void localDriverOptionsMountTmpfsAndBindVolumes() throws Exception {
        cli.ok("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=4m", "tv");
        assertEquals("tmpfs size=4096k", cli.ok("run", "--rm", "-v", "tv:/t", JpodCli.IMAGE, "sh", "-c",
                "grep ' /t ' /proc/mounts | cut -d' ' -f3,4 | sed 's/rw,relatime,//'").out());
        Path host = Files.createDirectories(cli.scratch().resolve("bound-dir"));
        cli.ok("volume", "create", "-o", "type=none", "-o", "device=" + host, "-o", "o=bind", "bv");
        cli.ok("run", "--rm", "-v", "bv:/b", JpodCli.IMAGE, "sh", "-c", "echo bound > /b/y");
        assertEquals("bound\n", Files.readString(host.resolve("y")), "a bind volume writes to its device directory");
        cli.ok("volume", "create", "-o", "nocopy", "empty");
        cli.ok("run", "--rm", "-v", "empty:/etc", JpodCli.IMAGE, "true");
        Path data = Path.of(cli.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "empty").out());
        try (var st = Files.list(data)) {
            assertEquals(List.of(), st.filter(p -> !List.of("hosts", "hostname", "resolv.conf").contains(p.getFileName().toString())).toList(),
                    "nocopy: the image's /etc is not copied in");
        }
        JpodCli.Result bad = cli.run("volume", "create", "-o", "foo=bar", "x");
        assertEquals(125, bad.exit());
        assertTrue(bad.stderr().contains("invalid volume option \"foo\""), bad::toString);
        JpodCli.Result noDev = cli.run("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=/nonexistent", "y");
        assertEquals(125, noDev.exit());
        assertEquals(1, cli.run("volume", "exists", "y").exit(), "nothing made");
        cli.ok("volume", "rm", "tv", "bv", "empty");
        assertTrue(cli.mounts().stream().noneMatch(m -> m.contains("/volumes/")), "removing a volume unmounts it");
        assertTrue(Files.exists(host.resolve("y")), "a bind volume's directory is the user's: it stays");
    }

    @Test
    void rmAllWithVolumesTakesEveryAnonymousVolume() {
        cli.ok("create", "--name", cli.name("all1"), "-v", "/a", JpodCli.IMAGE, "true");
        cli.ok("create", "--name", cli.name("all2"), "-v", "/b", JpodCli.IMAGE, "true");
        assertEquals(2, volumes().size());
        cli.ok("rm", "-a", "-v");
        assertEquals(List.of(), volumes());
    }
}
