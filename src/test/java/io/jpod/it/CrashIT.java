package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpod.it.JpodCli.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * jpod killed with SIGKILL in the middle of its work (a crash, the OOM killer, a closed terminal): the next jpod
 * must still list containers, and rm -f must remove whatever was half made or half removed, leaving no mount,
 * conmon or runc state.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashIT extends CliIT {
    /** How long an uninterrupted `run -d` takes here; kills are spread over it. */
    static long runMillis;

    @BeforeAll
    static void setUp() {
        Result r = cli.ok("run", "-d", "--name", cli.name("warm"), IMAGE, "sleep", "60");
        runMillis = r.took().toMillis();
        cli.ok("rm", "-f", cli.name("warm"));
    }

    /** Kill delays from early JVM start-up to the end of the call, plus the fixed 100-300 ms window. */
    static List<Long> delays() {
        List<Long> d = new ArrayList<>(List.of(100L, 200L, 300L));
        for (double f : new double[] {0.45, 0.6, 0.75, 0.9}) d.add(Math.round(runMillis * f));
        return d;
    }

    /** After a crash: ps works, rm -f removes every container it lists, and nothing is left. */
    static void assertRecoverable(String what) {
        Result ps = cli.run("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Status}}");
        assertEquals(0, ps.exit(), () -> "ps -a after " + what + ": " + ps);
        assertEquals("", ps.stderr(), () -> "ps -a after " + what + ": " + ps);
        System.out.printf("CrashIT: %s -> %s%n", what, ps.lines().isEmpty() ? "no container" : ps.lines().stream()
                .map(l -> l.substring(65)).toList());
        for (String line : ps.lines()) {
            String id = line.split(" ")[0];
            Result rm = cli.run("rm", "-f", id);
            assertEquals(0, rm.exit(), () -> "rm -f of " + line + " after " + what + ": " + rm);
            assertEquals(id + "\n", rm.stdout(), () -> "rm -f of " + line + " after " + what + ": " + rm);
        }
        Result empty = cli.run("ps", "-a", "-q");
        assertEquals("", empty.stdout(), () -> "containers left after rm -f (" + what + "): " + empty);
        List<String> left = cli.awaitNoLeftovers(Duration.ofSeconds(5));
        assertEquals(List.of(), left, "left behind after " + what + " and rm -f");
    }

    @Test
    void sigkillDuringRunDetached() {
        for (long delay : delays()) {
            String n = cli.name("run" + delay);
            JpodCli.Running run = cli.start(null, "run", "-d", "--name", n, IMAGE, "sleep", "60");
            JpodCli.pause(delay);
            run.sigkill();
            Result r = run.await(Duration.ofSeconds(10));
            assertRecoverable("SIGKILL of run -d after " + delay + " ms (exit " + r.exit() + ")");
        }
    }

    @Test
    void sigkillDuringRmForceOfARunningContainer() {
        for (long delay : delays()) {
            String n = cli.name("rm" + delay);
            cli.ok("run", "-d", "--name", n, IMAGE, "sleep", "60");
            JpodCli.Running rm = cli.start(null, "rm", "-f", n);
            JpodCli.pause(delay);
            rm.sigkill();
            Result r = rm.await(Duration.ofSeconds(10));
            assertRecoverable("SIGKILL of rm -f after " + delay + " ms (exit " + r.exit() + ")");
        }
    }

    @Test
    void sigkillDuringStop() {
        for (long delay : delays()) {
            String n = cli.name("stop" + delay);
            cli.ok("run", "-d", "--name", n, IMAGE, "sleep", "60");
            JpodCli.Running stop = cli.start(null, "stop", "-t", "0", n);
            JpodCli.pause(delay);
            stop.sigkill();
            Result r = stop.await(Duration.ofSeconds(10));
            // whatever state it is in, the next stop and start work
            Result again = cli.run("stop", "-t", "0", n);
            assertEquals(0, again.exit(), () -> "stop after a killed stop (" + delay + " ms, exit " + r.exit() + "): " + again);
            Result start = cli.run("start", n);
            assertEquals(0, start.exit(), () -> "start after a killed stop (" + delay + " ms): " + start);
            assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
            assertRecoverable("SIGKILL of stop after " + delay + " ms (exit " + r.exit() + ")");
        }
    }
}
