package io.jpod.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cp between host and container, running and stopped, and hostile symlinks that must not reach the host. */
class CpIT extends CliIT {
    String running(String... extra) {
        String n = cli.name("cp");
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", n));
        args.addAll(List.of(extra));
        args.addAll(List.of(JpodCli.IMAGE, "sleep", "300"));
        cli.ok(args.toArray(String[]::new));
        return n;
    }

    @Test
    void filesAndDirectoriesBothWaysWithDockersNamingRules() throws Exception {
        String c = running();
        Path dir = Files.createDirectories(cli.scratch().resolve("cp1/tree/sub"));
        Files.writeString(dir.resolve("a.txt"), "A");
        Files.writeString(cli.scratch().resolve("cp1/one.txt"), "one");
        cli.ok("cp", cli.scratch().resolve("cp1/one.txt").toString(), c + ":/tmp/");
        assertEquals("one", cli.ok("exec", c, "cat", "/tmp/one.txt").out(), "into an existing directory");
        cli.ok("cp", cli.scratch().resolve("cp1/one.txt").toString(), c + ":/tmp/renamed.txt");
        assertEquals("one", cli.ok("exec", c, "cat", "/tmp/renamed.txt").out(), "to a new name");
        cli.ok("cp", cli.scratch().resolve("cp1/tree").toString(), c + ":/tmp");
        assertEquals("A", cli.ok("exec", c, "cat", "/tmp/tree/sub/a.txt").out());
        cli.ok("cp", cli.scratch().resolve("cp1/tree").toString(), c + ":/opt");
        assertEquals("A", cli.ok("exec", c, "cat", "/opt/sub/a.txt").out(), "a missing destination is the copy's new name");

        Path out = cli.scratch().resolve("cp1/out");
        Files.createDirectories(out);
        cli.ok("cp", c + ":/etc/passwd", out.toString());
        assertTrue(Files.readString(out.resolve("passwd")).startsWith("root:"));
        cli.ok("cp", c + ":/tmp/tree", out.resolve("copy").toString());
        assertEquals("A", Files.readString(out.resolve("copy/sub/a.txt")), "a directory to a new name");
        cli.ok("cp", c + ":/tmp/tree/.", out.toString());
        assertEquals("A", Files.readString(out.resolve("sub/a.txt")), "/. copies the contents");
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", c).out(), "paused only during the copy");

        // tar streams both ways
        JpodCli.Result tar = cli.run("cp", c + ":/etc/group", "-");
        assertEquals(0, tar.exit());
        assertTrue(tar.stdout().startsWith("group"), "a tar whose entry is named group");
        Path t = cli.scratch().resolve("cp1/in.tar");
        assertEquals(0, TestRegistry.exitOf("tar", "-C", dir.toString(), "-cf", t.toString(), "a.txt"));
        JpodCli.Running in = cli.start("@file:" + t, "cp", "-", c + ":/var");
        assertEquals(0, in.await(JpodCli.DEFAULT_TIMEOUT).exit());
        assertEquals("A", cli.ok("exec", c, "cat", "/var/a.txt").out());
    }

    @Test
    void hostileSymlinksResolveInsideTheContainer() throws Exception {
        String c = running();
        cli.ok("exec", c, "sh", "-c", "ln -s / /tmp/escape; ln -s ../../../../../../ /tmp/up; ln -s /etc/passwd /tmp/pw");
        Path marker = cli.scratch().resolve("cp2-marker.txt");
        Files.writeString(marker, "m");
        String name = "jpod-cp-escape-" + ProcessHandle.current().pid();
        cli.ok("cp", marker.toString(), c + ":/tmp/escape/" + name);
        cli.ok("cp", marker.toString(), c + ":/tmp/up/" + name + "-up");
        assertFalse(Files.exists(Path.of("/" + name)), "an absolute symlink is resolved in the container");
        assertFalse(Files.exists(Path.of("/" + name + "-up")), "\"..\" stops at the container's root");
        assertEquals("m", cli.ok("exec", c, "cat", "/" + name).out());
        assertEquals("m", cli.ok("exec", c, "cat", "/" + name + "-up").out());

        // reading through a link: the container's passwd, never the host's
        Path out = Files.createDirectories(cli.scratch().resolve("cp2"));
        cli.ok("cp", c + ":/tmp/escape/etc/passwd", out.resolve("p").toString());
        assertEquals(cli.ok("exec", c, "cat", "/etc/passwd").stdout(), Files.readString(out.resolve("p")));
        cli.ok("cp", c + ":/tmp/pw", out.resolve("link").toString());
        assertTrue(Files.isSymbolicLink(out.resolve("link")), "a symlink is copied as a symlink");

        // a tar that tries to climb out, or to write through a symlink it planted
        Path evil = cli.scratch().resolve("evil.tar");
        Files.write(evil, new io.jpod.image.TestTar().add(io.jpod.image.TestTar.file("../../" + name + "-tar", "x")).bytes());
        JpodCli.Result r = cli.start("@file:" + evil, "cp", "-", c + ":/tmp")
                .await(JpodCli.DEFAULT_TIMEOUT);
        assertEquals(125, r.exit(), r::toString);
        assertTrue(r.stderr().contains("../../" + name + "-tar"), "the error names the entry: " + r);
        assertFalse(Files.exists(Path.of("/" + name + "-tar")));
        Files.write(evil, new io.jpod.image.TestTar().add(io.jpod.image.TestTar.symlink("l", "/"),
                io.jpod.image.TestTar.file("l/" + name + "-via", "x")).bytes());
        JpodCli.Result via = cli.start("@file:" + evil, "cp", "-", c + ":/tmp")
                .await(JpodCli.DEFAULT_TIMEOUT);
        assertEquals(125, via.exit(), via::toString);
        assertFalse(Files.exists(Path.of("/" + name + "-via")));
        cli.ok("exec", c, "sh", "-c", "test ! -e /" + name + "-via");
    }

    @Test
    void stoppedContainersVolumesOwnershipAndErrors() throws Exception {
        String c = cli.name("stopped");
        cli.ok("create", "--name", c, "-v", "cpvol:/data", JpodCli.IMAGE, "cat", "/data/f", "/owned");
        Path f = cli.scratch().resolve("cp3.txt");
        Files.writeString(f, "in the volume");
        cli.ok("cp", f.toString(), c + ":/data/f");
        Path vol = Path.of(cli.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "cpvol").out());
        assertEquals("in the volume", Files.readString(vol.resolve("f")), "a path under a volume goes to the volume");
        assertEquals(List.of(), cli.mounts().stream().filter(m -> m.contains("merged")).toList(), "unmounted after");

        Path owned = cli.scratch().resolve("owned");
        Files.writeString(owned, "o");
        assertEquals(0, TestRegistry.exitOf("chown", "1234:2345", owned.toString()));
        cli.ok("cp", owned.toString(), c + ":/owned");
        cli.ok("start", c);
        cli.ok("wait", c);
        String ctr2 = running();
        cli.ok("cp", owned.toString(), ctr2 + ":/kept");
        cli.ok("cp", "--archive=false", owned.toString(), ctr2 + ":/root-owned");
        assertEquals("1234:2345", cli.ok("exec", ctr2, "stat", "-c", "%u:%g", "/kept").out(), "--archive (default) keeps owners");
        assertEquals("0:0", cli.ok("exec", ctr2, "stat", "-c", "%u:%g", "/root-owned").out());

        JpodCli.Result missing = cli.run("cp", c + ":/nope", cli.scratch().toString());
        assertEquals(125, missing.exit());
        assertEquals("Error: \"/nope\" could not be found on container " + c + ": no such file or directory", missing.stderr().strip());
        JpodCli.Result noDir = cli.run("cp", f.toString(), c + ":/no/such/dir/x");
        assertEquals(125, noDir.exit(), noDir::toString);
        assertTrue(noDir.stderr().contains("could not be found on container"), noDir::toString);
        JpodCli.Result both = cli.run("cp", "a:/x", "b:/y");
        assertEquals(125, both.exit());
        cli.ok("rm", "-f", ctr2, c);
        cli.ok("volume", "rm", "cpvol");
    }

    @Test
    void diffListsWhatTheContainerChangedAsPodmanDoes() throws Exception {
        String c = cli.name("diff");
        assertEquals(0, cli.run("run", "--name", c, "-v", "dvol:/data", JpodCli.IMAGE, "sh", "-c",
                "echo x > /new; echo y >> /etc/passwd; rm /bin/vi; mkdir /d; touch /d/f").exit());
        // podman 4.3.1 prints exactly these for the same commands (docs/podman-reference): its own mount points excluded
        assertEquals(List.of("C /bin", "D /bin/vi", "A /d", "A /d/f", "C /etc", "C /etc/passwd", "A /new"), cli.ok("diff", c).lines());
        String json = cli.ok("diff", "--format", "json", c).out();
        assertTrue(json.contains("\"deleted\": [") && json.contains("\"/bin/vi\""), json);

        Path merged = Path.of(cli.ok("mount", c).out());
        assertTrue(Files.isRegularFile(merged.resolve("new")), "mount shows the container's files");
        assertEquals(1, cli.mounts().stream().filter(m -> m.equals(merged.toString())).count());
        cli.ok("unmount", c);
        assertEquals(0, cli.mounts().stream().filter(m -> m.equals(merged.toString())).count());
        cli.ok("rm", "-v", c);
        cli.run("volume", "rm", "dvol");
    }
}
