package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * checkpoint and restore with real CRIU. Where `criu check` fails (this project's CI kernel: CRIU 3.17), the round
 * trip is skipped saying so, and what runs is that jpod refuses clearly and changes nothing.
 */
class CheckpointIT extends CliIT {
    static String criuProblem() {
        try {
            Process p = new ProcessBuilder("criu", "check").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? null : "criu check fails here: " + out;
        } catch (Exception e) {
            return "criu is not installed: " + e.getMessage();
        }
    }

    @Test
    void whereCriuCannotWorkCheckpointFailsClearlyAndTheContainerRunsOn() {
        String problem = criuProblem();
        Assumptions.assumeTrue(problem != null, "criu works here: the round trip test covers it");
        String n = cli.name("ckpt-refused");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "1000");
        Result r = cli.run("container", "checkpoint", "--export", cli.scratch().resolve("x.tar").toString(), n);
        assertEquals(125, r.exit(), r::toString);
        assertTrue(r.stderr().startsWith("Error: cannot checkpoint " + n + ": "), r.stderr());
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
        assertTrue(!cli.scratch().resolve("x.tar").toFile().exists(), "no archive from a checkpoint that did not happen");
        Result imp = cli.run("container", "restore", "--import", cli.scratch().resolve("missing.tar").toString());
        assertEquals(125, imp.exit());
        Result name = cli.run("container", "restore", "--name", "x", n);
        assertEquals(125, name.exit());
        assertTrue(name.stderr().contains("--name can only be used with --import"), name.stderr());
    }

    @Test
    void checkpointExportImportRoundTrip() {
        String problem = criuProblem();
        Assumptions.assumeTrue(problem == null, () -> "skipped: " + problem);
        String n = cli.name("ckpt");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i > /tmp/i; sleep 0.1; done");
        Path archive = cli.scratch().resolve("ckpt.tar");
        cli.ok("container", "checkpoint", "--export", archive.toString(), n);
        assertEquals("exited", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
        String copy = n + "-copy";
        cli.ok("container", "restore", "--import", archive.toString(), "--name", copy);
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", copy).out());
        int i = Integer.parseInt(cli.ok("exec", copy, "cat", "/tmp/i").out());
        assertTrue(i > 1, "the loop went on from where it was: " + i);
    }
}
