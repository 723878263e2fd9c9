package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpod.it.JpodCli.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * podman's exit codes and error shape: 125 with exactly one "Error: " line when jpod itself fails, 126/127
 * when the container's command cannot be run, rm's 1/2; and after every error, nothing new left behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExitCodesIT extends CliIT {

    @BeforeAll
    static void setUp() {
        // an image without CMD or ENTRYPOINT
        Result r = cli.importBusybox("localhost/nocmd");
        assertEquals(0, r.exit(), r::toString);
    }

    /** What exists before a failing command; compared after it. */
    record Snapshot(String containers, List<String> mounts, List<String> runc, List<String> conmons) {}

    static Snapshot snapshot() {
        cli.awaitSettled(java.time.Duration.ofSeconds(5)); // exit commands of earlier containers
        return new Snapshot(cli.ok("ps", "-a", "-q", "--no-trunc").stdout(), cli.mounts(), cli.runcState(),
                cli.conmons().stream().map(p -> Long.toString(p.pid())).sorted().toList());
    }

    /** Asserts: the exit code, stdout empty, stderr exactly one line "Error: ..." without a stack trace. */
    static void assertError(Result r, int exit, String messageStart) {
        assertEquals(exit, r.exit(), r::toString);
        assertEquals("", r.stdout(), () -> "nothing on stdout when failing: " + r);
        assertOneErrorLine(r, messageStart);
    }

    static void assertOneErrorLine(Result r, String messageStart) {
        assertEquals(1, r.errLines().size(), () -> "stderr must be exactly one line: " + r);
        assertTrue(r.stderr().startsWith("Error: "), r::toString);
        assertTrue(r.stderr().endsWith("\n"), r::toString);
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), () -> "no stack traces: " + r);
        if (messageStart != null) {
            assertTrue(r.stderr().startsWith("Error: " + messageStart), () -> "expected \"Error: " + messageStart + "...\": " + r);
        }
    }

    /** Nothing new: same containers, mounts, runc state and conmons as before (conmon gets 5 s to leave). */
    static void assertUnchanged(Snapshot before, Result cause) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        Snapshot after;
        do {
            after = snapshot();
            if (after.equals(before)) return;
            JpodCli.pause(100);
        } while (System.nanoTime() < deadline);
        assertEquals(before, after, "left behind by: " + cause);
    }

    /** A running container to aim errors at; returns its ID. */
    static String running(String name) {
        Result r = cli.ok("run", "-d", "--name", name, IMAGE, "sleep", "100");
        return r.out();
    }

    // ------------------------------------------------------------------ 126 / 127

    @Test
    void commandNotFoundIs127AndRemovesWhatRunCreated() {
        Snapshot before = snapshot();
        Result r = cli.run("run", IMAGE, "nosuchcmd");
        assertError(r, 127, null);
        assertEquals("Error: runc: runc create failed: unable to start container process: exec: \"nosuchcmd\": "
                + "executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\n", r.stderr());
        assertUnchanged(before, r);

        Result d = cli.run("run", "-d", IMAGE, "nosuchcmd");
        assertError(d, 127, "runc: runc create failed: ");
        assertUnchanged(before, d);

        Result rm = cli.run("run", "--rm", IMAGE, "/nonexistent/path");
        assertError(rm, 127, "runc: runc create failed: unable to start container process: exec: \"/nonexistent/path\"");
        assertUnchanged(before, rm);
    }

    @Test
    void notExecutableIs126() {
        Snapshot before = snapshot();
        Result r = cli.run("run", IMAGE, "/etc");
        assertError(r, 126, null);
        assertEquals("Error: runc: runc create failed: unable to start container process: exec: \"/etc\": "
                + "permission denied: OCI permission denied\n", r.stderr());
        assertUnchanged(before, r);
    }

    @Test
    void execOfAMissingCommandIs127AndTheContainerRunsOn() {
        String n = cli.name("exec127");
        running(n);
        Result r = cli.run("exec", n, "nosuchcmd");
        assertEquals(127, r.exit(), r::toString);
        assertOneErrorLine(r, null);
        Result r126 = cli.run("exec", n, "/etc");
        assertEquals(126, r126.exit(), r126::toString);
        assertOneErrorLine(r126, null);
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
    }

    // ------------------------------------------------------------------ 125: jpod's own errors

    @Test
    void unknownImage() {
        Snapshot before = snapshot();
        Result r = cli.run("run", "localhost/nosuch", "true");
        assertError(r, 125, "localhost/nosuch: image not known");
        assertUnchanged(before, r);
        Result c = cli.run("create", "localhost/nosuch");
        assertError(c, 125, "localhost/nosuch: image not known");
        assertUnchanged(before, c);
    }

    @Test
    void nameInUseLeavesTheFirstContainerAlone() {
        String n = cli.name("taken");
        String id = running(n);
        Snapshot before = snapshot();
        Result r = cli.run("run", "--name", n, IMAGE, "true");
        assertError(r, 125, "creating container storage: the container name \"" + n + "\" is already in use");
        assertUnchanged(before, r);
        Result d = cli.run("run", "-d", "--name", n, IMAGE, "sleep", "100");
        assertError(d, 125, "creating container storage: the container name \"" + n + "\" is already in use");
        Result c = cli.run("create", "--name", n, IMAGE, "true");
        assertError(c, 125, "creating container storage: the container name \"" + n + "\" is already in use");
        assertUnchanged(before, c);
        assertEquals(id + " running", cli.ok("inspect", "--format", "{{.Id}} {{.State.Status}}", n).out());
    }

    @Test
    void badSignal() {
        String n = cli.name("sig");
        running(n);
        Snapshot before = snapshot();
        Result r = cli.run("kill", "-s", "BOGUS", n);
        assertError(r, 125, "invalid signal: BOGUS");
        assertUnchanged(before, r);
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
    }

    @Test
    void badMemorySize() {
        Snapshot before = snapshot();
        Result r = cli.run("run", "--memory", "12zz", IMAGE, "true");
        assertError(r, 125, null);
        assertTrue(r.stderr().contains("12zz"), r::toString);
        assertUnchanged(before, r);
    }

    @Test
    void imageWithoutCmdNeedsACommand() {
        Snapshot before = snapshot();
        Result r = cli.run("run", "localhost/nocmd");
        assertError(r, 125, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        assertUnchanged(before, r);
        Result d = cli.run("run", "-d", "localhost/nocmd");
        assertError(d, 125, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        assertUnchanged(before, d);
        // with a command it runs
        assertEquals("ok\n", cli.ok("run", "--rm", "localhost/nocmd", "echo", "ok").stdout());
    }

    @Test
    void bogusCgroupManager() {
        Snapshot before = snapshot();
        Result r = cli.run("--cgroup-manager", "bogus", "ps");
        assertError(r, 125, null);
        assertTrue(r.stderr().contains("bogus"), r::toString);
        assertUnchanged(before, r);
    }

    @Test
    void startOfARunningContainerIsANoOp() {
        // podman 4.3.1: exit 0, nothing printed (docs/podman-reference/cli.md, "start running container")
        String n = cli.name("again");
        running(n);
        int pid = Integer.parseInt(cli.ok("inspect", "--format", "{{.State.Pid}}", n).out());
        Result r = cli.run("start", n);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.stderr(), r::toString);
        assertEquals("", r.stdout(), () -> "podman prints nothing for an already running container: " + r);
        assertEquals(Integer.toString(pid), cli.ok("inspect", "--format", "{{.State.Pid}}", n).out());
    }

    @Test
    void execIntoAStoppedContainer() {
        String n = cli.name("stopped");
        cli.ok("run", "--name", n, IMAGE, "true");
        Snapshot before = snapshot();
        Result r = cli.run("exec", n, "ls");
        assertError(r, 125, "can only create exec sessions on running containers");
        assertUnchanged(before, r);
    }

    @Test
    void rmOfARunningContainerWithoutForceIs2() {
        // podman rm's documented codes: 2 when a container is running or paused
        String n = cli.name("busy");
        String id = running(n);
        Snapshot before = snapshot();
        Result r = cli.run("rm", n);
        assertError(r, 2, "cannot remove container " + id + " as it is running");
        assertUnchanged(before, r);
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
    }

    @Test
    void pauseOfAStoppedContainer() {
        String n = cli.name("nopause");
        cli.ok("run", "--name", n, IMAGE, "true");
        Snapshot before = snapshot();
        Result r = cli.run("pause", n);
        assertError(r, 125, null);
        assertTrue(r.stderr().contains("is not running, can't pause: container state improper"), r::toString);
        assertUnchanged(before, r);
        assertEquals("exited", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
    }

    @Test
    void stopOfAnUnknownContainer() {
        Snapshot before = snapshot();
        Result r = cli.run("stop", "nosuch");
        assertError(r, 125, null);
        assertEquals("Error: no container with name or ID \"nosuch\" found: no such container\n", r.stderr());
        assertUnchanged(before, r);
    }

    @Test
    void rmBatchWithAnUnknownName() {
        // jpod's batches act on every name they can (the engine contract); the code follows podman rm: 1 = no such container
        String n = cli.name("gone");
        cli.ok("create", "--name", n, IMAGE, "true");
        Result r = cli.run("rm", "nosuch", n);
        assertEquals(1, r.exit(), r::toString);
        assertOneErrorLine(r, null);
        assertEquals("Error: no container with name or ID \"nosuch\" found: no such container\n", r.stderr());
        assertEquals(n + "\n", r.stdout(), r::toString);
        assertEquals("", cli.ok("ps", "-a", "-q").stdout(), "the existing container is removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--runtime", "--conmon"})
    void missingRuntimeOrConmonFailsBeforeAnythingIsMade(String flag) {
        Snapshot before = snapshot();
        Result r = cli.run(flag, "/nonexistent", "run", IMAGE, "true");
        assertError(r, 125, null);
        assertTrue(r.stderr().contains("/nonexistent"), r::toString);
        assertUnchanged(before, r);
        Result d = cli.run(flag, "/nonexistent", "run", "-d", IMAGE, "sleep", "100");
        assertError(d, 125, null);
        assertUnchanged(before, d);
        assertEquals(List.of(), cli.leftovers());
    }
}
