package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restart policies through conmon's exit command and healthchecks through their check loop: no systemd, no daemon. */
class RestartHealthIT extends CliIT {
    static void await(String what, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    String inspect(String format, String n) {
        return cli.ok("inspect", "--format", format, n).out();
    }

    @Test
    void onFailureRestartsUpToItsRetriesThenStaysDown() throws Exception {
        String n = cli.name("onfail");
        cli.ok("run", "-d", "--name", n, "--restart", "on-failure:2", JpodCli.IMAGE, "sh", "-c", "exit 3");
        await("two restarts and a final exit", () -> inspect("{{.RestartCount}} {{.State.Status}}", n).equals("2 exited"));
        Thread.sleep(1000);
        assertEquals("2 exited 3", inspect("{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", n), "no third restart");
        assertEquals("{\"MaximumRetryCount\":2,\"Name\":\"on-failure\"}", inspect("{{json .HostConfig.RestartPolicy}}", n));
    }

    @Test
    void alwaysRestartsUntilTheUserStopsIt() throws Exception {
        String n = cli.name("always");
        cli.ok("run", "-d", "--name", n, "--restart", "always", JpodCli.IMAGE, "sh", "-c", "sleep 0.5; exit 0");
        await("a restart", () -> Integer.parseInt(inspect("{{.RestartCount}}", n)) >= 2);
        cli.ok("stop", "-t", "0", n);
        Thread.sleep(2000);
        assertEquals("exited", inspect("{{.State.Status}}", n), "the user's stop keeps it down");
    }

    @Test
    void systemBootStartsAlwaysContainersAfterAReboot() throws Exception {
        String always = cli.name("boot-always"), stopped = cli.name("boot-stopped");
        cli.ok("run", "-d", "--name", always, "--restart", "always", JpodCli.IMAGE, "sleep", "1000");
        cli.ok("run", "-d", "--name", stopped, "--restart", "unless-stopped", JpodCli.IMAGE, "sleep", "1000");
        cli.ok("stop", "-t", "0", stopped);
        // a reboot: the processes vanish without exit files or exit commands, and the run dir is emptied
        long ctr = Long.parseLong(inspect("{{.State.Pid}}", always)), conmon = Long.parseLong(inspect("{{.State.ConmonPid}}", always));
        ProcessHandle.of(conmon).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(ctr).ifPresent(ProcessHandle::destroyForcibly);
        await("the container to die", () -> ProcessHandle.of(ctr).isEmpty());
        Files.delete(cli.runRoot().resolve("alive"));
        Result boot = cli.ok("system", "boot");
        assertEquals(inspect("{{.Id}}", always), boot.out(), "only the always container starts");
        assertEquals("running", inspect("{{.State.Status}}", always));
        assertEquals("exited", inspect("{{.State.Status}}", stopped), "unless-stopped, and the user stopped it");
    }

    @Test
    void healthcheckGoesFromStartingToUnhealthyToHealthyOnItsOwn() throws Exception {
        String n = cli.name("health");
        cli.ok("run", "-d", "--name", n, "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s",
                "--health-retries", "2", JpodCli.IMAGE, "sleep", "1000");
        assertTrue(cli.ok("ps", "--format", "{{.Status}}", "--filter", "name=" + n).out().endsWith("(starting)"));
        Result run = cli.run("healthcheck", "run", n);
        assertEquals(1, run.exit(), run::toString);
        assertEquals("unhealthy\n", run.stdout());
        await("unhealthy from the loop", () -> inspect("{{.State.Health.Status}}", n).equals("unhealthy"));
        cli.ok("exec", n, "touch", "/tmp/ok");
        Result waited = cli.run(Duration.ofSeconds(30), "wait", "--condition", "healthy", n);
        assertEquals("-1\n", waited.stdout(), () -> "wait --condition healthy returns once the loop saw it: " + waited);
        assertEquals("healthy", inspect("{{.State.Health.Status}}", n));
        assertEquals(0, cli.run("healthcheck", "run", n).exit());
        assertTrue(cli.ok("ps", "--format", "{{.Status}}", "--filter", "name=" + n).out().endsWith("(healthy)"));
        assertEquals("[\"CMD-SHELL\",\"test -f /tmp/ok\"]", inspect("{{json .Config.Healthcheck.Test}}", n));
        cli.ok("stop", "-t", "0", n);
        await("the check loop to end with the container", () -> cli.processes().stream()
                .noneMatch(p -> p.argv().contains("--timer")));
    }

    @Test
    void waitConditions() {
        String n = cli.name("waitcond");
        cli.ok("create", "--name", n, JpodCli.IMAGE, "sh", "-c", "sleep 1; exit 4");
        JpodCli.Running w = cli.start(null, "wait", "--condition", "running", n);
        cli.ok("start", n);
        assertEquals("-1\n", w.await(Duration.ofSeconds(20)).stdout());
        assertEquals("4\n", cli.ok("wait", "--condition", "stopped", "--interval", "50ms", n).stdout());
        Result bad = cli.run("wait", "--condition", "bogus", n);
        assertEquals(125, bad.exit());
        assertTrue(bad.stderr().contains("unknown container state: bogus"), bad.stderr());
    }

    @Test
    void healthcheckMisuse() {
        String n = cli.name("nohealth");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "1000");
        Result r = cli.run("healthcheck", "run", n);
        assertEquals(125, r.exit());
        assertTrue(r.stderr().contains("has no defined healthcheck"), r.stderr());
        Result bad = cli.run("run", "--health-interval", "1s", JpodCli.IMAGE, "true");
        assertEquals(125, bad.exit());
        assertTrue(bad.stderr().contains("--health-cmd"), bad.stderr());
        Result badRetries = cli.run("run", "--health-cmd", "true", "--health-retries", "0", JpodCli.IMAGE, "true");
        assertEquals(125, badRetries.exit());
        Result badPolicy = cli.run("run", "--restart", "sometimes", JpodCli.IMAGE, "true");
        assertEquals(125, badPolicy.exit());
        assertEquals(1, badPolicy.errLines().size(), badPolicy::toString);
    }
}
