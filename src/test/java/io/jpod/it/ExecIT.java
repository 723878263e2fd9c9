package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exec sessions through conmon, as podman runs them: attached, detached (with log and exit code), their end. */
class ExecIT extends CliIT {
    String running(String base) {
        String n = cli.name(base);
        cli.ok("run", "-d", "--name", n, "-e", "FROM_CTR=c", JpodCli.IMAGE, "sleep", "1000");
        return n;
    }

    String id(String n) {
        return cli.ok("inspect", "--format", "{{.Id}}", n).out();
    }

    @Test
    void attachedExecKeepsStreamsApartPassesStdinAndReturnsTheCode() {
        String n = running("exec-io");
        Result r = cli.run("exec", n, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exit(), r::toString);
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        Result cat = cli.runWithInput("line1\nline2\n", "exec", "-i", n, "sh", "-c", "cat; echo eof");
        assertEquals("line1\nline2\neof\n", cat.stdout(), "stdin reaches the process, and its end closes it");
        Result noStdin = cli.runWithInput("ignored\n", "exec", n, "cat");
        assertEquals("", noStdin.stdout(), "without -i the process reads /dev/null");
        assertEquals(0, noStdin.exit());
    }

    @Test
    void optionsReachTheProcess() throws Exception {
        String n = running("exec-opts");
        Path envFile = cli.scratch().resolve("exec.env");
        Files.writeString(envFile, "# comment\nFROM_FILE=f\n");
        Result r = cli.ok("exec", "-e", "A=1", "--env-file", envFile.toString(), "-u", "1000:1001", "-w", "/tmp", n,
                "sh", "-c", "echo $A $FROM_FILE $FROM_CTR $(id -u):$(id -g) $(pwd)");
        assertEquals("1 f c 1000:1001 /tmp", r.out(), "exec env on top of the container's, user and workdir");
        String caps = cli.ok("exec", n, "grep", "CapEff", "/proc/self/status").out();
        String privileged = cli.ok("exec", "--privileged", n, "grep", "CapEff", "/proc/self/status").out();
        assertFalse(caps.equals(privileged), "--privileged widens the capabilities: " + caps + " vs " + privileged);
    }

    @Test
    void detachedExecHasALogAnExitCodeAndIsListedWhileItRuns() throws Exception {
        String n = running("exec-detach");
        String id = id(n);
        String session = cli.ok("exec", "-d", n, "sh", "-c", "echo from-detached; sleep 2; exit 7").out();
        assertTrue(session.matches("[0-9a-f]{64}"), session);
        assertTrue(cli.ok("inspect", "--format", "{{.ExecIDs}}", n).out().contains(session), "listed while it runs");
        Path dir = cli.root().resolve("containers").resolve(id).resolve("userdata/exec").resolve(session);
        Path exit = dir.resolve("exit").resolve(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(exit) && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals("7", Files.readString(exit).strip(), "conmon recorded the exit code");
        assertTrue(Files.readString(dir.resolve("exec_log")).contains("stdout F from-detached"), "and the output");
        // conmon's exit command (cleanup --exec) forgets the session and records exec_died with the code
        String died = "";
        while (!died.contains("exec_died") && System.nanoTime() < deadline) {
            died = cli.ok("events", "--stream=false", "--filter", "event=exec_died", "--filter", "container=" + n).stdout();
            Thread.sleep(200);
        }
        assertTrue(died.contains("containerExitCode=7"), died);
        assertEquals("[]", cli.ok("inspect", "--format", "{{.ExecIDs}}", n).out());
    }

    @Test
    void stoppingTheContainerEndsItsSessions() throws Exception {
        String n = running("exec-stop");
        String session = cli.ok("exec", "-d", n, "sleep", "600").out();
        Path pidFile = cli.root().resolve("containers").resolve(id(n)).resolve("userdata/exec").resolve(session).resolve("exec_pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(pid).isPresent(), "the session's process runs");
        cli.ok("stop", "-t", "0", n);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stop ended the session's process");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cli.conmons().stream().anyMatch(p -> p.argv().contains("--exec-process-spec")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(cli.conmons().stream().anyMatch(p -> p.argv().contains("--exec-process-spec")),
                "no exec conmon outlives its container");
    }

    @Test
    void execIntoAPausedContainerFailsClearly() {
        String n = running("exec-paused");
        cli.ok("pause", n);
        Result r = cli.run("exec", n, "true");
        assertEquals(125, r.exit(), r::toString);
        assertTrue(r.stderr().startsWith("Error: can only create exec sessions on running containers"), r.stderr());
        assertEquals(1, r.errLines().size(), r::toString);
        cli.ok("unpause", n);
    }

    @Test
    void execWithoutACommandIsAUsageError() {
        String n = running("exec-nocmd");
        Result r = cli.run("exec", n);
        assertEquals(125, r.exit(), r::toString);
        assertTrue(r.stderr().contains("must provide a non-empty command"), r.stderr());
    }
}
