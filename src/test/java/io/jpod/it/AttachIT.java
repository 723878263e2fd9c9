package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** attach and start -a/-i without a terminal: output, stdin, exit codes, misuse. */
class AttachIT extends CliIT {
    @Test
    void attachStreamsWhatFollowsAndExitsWithTheContainersCode() {
        String n = cli.name("attach");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sh", "-c", "sleep 2; echo late; echo late-err >&2; exit 4");
        Result r = cli.run("attach", n);
        assertEquals(4, r.exit(), r::toString);
        assertEquals("late\n", r.stdout());
        assertEquals("late-err\n", r.stderr());
        Result again = cli.run("attach", n);
        assertEquals(125, again.exit());
        assertTrue(again.stderr().startsWith("Error: you can only attach to running containers"), again.stderr());
    }

    @Test
    void startAiPassesStdinAndReturnsTheCode() {
        String n = cli.name("start-ai");
        cli.ok("create", "-i", "--name", n, JpodCli.IMAGE, "sh", "-c", "read x; echo got $x; exit 6");
        Result r = cli.runWithInput("hello\n", "start", "-ai", n);
        assertEquals(6, r.exit(), r::toString);
        assertEquals("got hello\n", r.stdout());
    }

    @Test
    void misuseIsOneLineAnd125() {
        String n = cli.name("attach-bad");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "100");
        for (String[] argv : new String[][] {{"attach", "--detach-keys", "ctrl-1", n}, {"run", "--detach-keys", "alt-q", "--rm", JpodCli.IMAGE, "true"},
                {"exec", "--detach-keys", "ctrl-", n, "true"}, {"start", "--sig-proxy", n}}) {
            Result r = cli.run(argv);
            assertEquals(125, r.exit(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
        }
        assertTrue(cli.run("attach", "--detach-keys", "ctrl-1", n).stderr().contains("invalid detach keys"));
        assertEquals(1, cli.ok("ps", "-a", "-q").lines().size(), "nothing was created by the bad run");
    }
}
