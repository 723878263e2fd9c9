package io.jpod.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run -it on a real pseudo-terminal (script(1)): a tty inside, raw input, window size, exit code, detach keys. */
class TtyIT extends CliIT {
    /** Runs a shell command line under script(1), feeding it {@code input}; returns the typescript. */
    String underPty(String commandLine, String input, int expectedExit) throws Exception {
        Path typescript = cli.scratch().resolve("tty-" + System.nanoTime() + ".out");
        Path in = cli.scratch().resolve("tty-in-" + System.nanoTime());
        Files.writeString(in, input);
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", commandLine, typescript.toString())
                .redirectInput(in.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out under script");
        assertEquals(expectedExit, p.exitValue(), () -> "exit code; typescript: " + read(typescript));
        return read(typescript);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    String jpod(String... args) {
        return String.join(" ", cli.argv(args));
    }

    @Test
    void runItGivesTheContainerATerminalOfOurSize() throws Exception {
        String out = underPty("stty rows 33 cols 101; " + jpod("run", "-it", "--rm", JpodCli.IMAGE, "sh"),
                "tty; stty size; exit 7\n", 7);
        assertTrue(out.contains("/dev/pts/"), "stdin is a terminal inside: " + out);
        assertTrue(out.contains("33 101"), "the window size came along: " + out);
    }

    @Test
    void execItGetsATerminalOfOurSizeAndItsExitCode() throws Exception {
        String n = cli.name("exec-tty");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "1000");
        String out = underPty("stty rows 21 cols 77; " + jpod("exec", "-it", n, "sh"),
                "tty; stty size; echo T=$TERM; exit 9\n", 9);
        assertTrue(out.contains("/dev/pts/"), "the session has a terminal: " + out);
        assertTrue(out.contains("21 77"), "of our size: " + out);
        assertTrue(out.contains("T=xterm"), "TERM is set for a terminal session: " + out);
        cli.ok("rm", "-f", n);
    }

    @Test
    void customDetachKeysDetachAndAttachJoinsAgain() throws Exception {
        String n = cli.name("reattach");
        Path script = cli.scratch().resolve("keys.sh");
        // ctrl-p alone must reach the shell (it is not the sequence here); ctrl-x then x detaches
        Files.writeString(script, "sleep 2; printf 'echo one\\n'; sleep 1; printf '\\030x'; sleep 2\n");
        Path typescript = cli.scratch().resolve("reattach.out");
        Process p = new ProcessBuilder("sh", "-c", "sh " + script + " | script -q -e -c '" + jpod("run", "-it",
                "--detach-keys", "ctrl-x,x", "--name", n, JpodCli.IMAGE, "sh") + "' " + typescript)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> read(typescript));
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
        // attach again, type a command, leave with the default keys
        Path script2 = cli.scratch().resolve("keys2.sh");
        Files.writeString(script2, "sleep 2; printf 'echo attached-$((6*7))\\n'; sleep 1; printf '\\020\\021'; sleep 2\n");
        Path typescript2 = cli.scratch().resolve("reattach2.out");
        Process p2 = new ProcessBuilder("sh", "-c", "sh " + script2 + " | script -q -e -c '" + jpod("attach", n) + "' "
                + typescript2).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p2.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p2.exitValue(), () -> read(typescript2));
        assertTrue(read(typescript2).contains("attached-42"), read(typescript2));
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out());
        cli.ok("rm", "-f", "-t", "0", n);
    }

    @Test
    void ctrlPCtrlQDetachesAndLeavesItRunning() throws Exception {
        String n = cli.name("detach");
        Path script = cli.scratch().resolve("slow-input.sh");
        // input arrives after the shell is up, then the detach sequence
        Files.writeString(script, "sleep 2; printf 'echo up\\n'; sleep 1; printf '\\020\\021'; sleep 2\n");
        Path typescript = cli.scratch().resolve("detach.out");
        Process p = new ProcessBuilder("sh", "-c", "sh " + script + " | script -q -e -c '" + jpod("run", "-it", "--name", n,
                JpodCli.IMAGE, "sh") + "' " + typescript).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> read(typescript));
        assertEquals("running", cli.ok("inspect", "--format", "{{.State.Status}}", n).out(), "detaching leaves it running");
        cli.ok("rm", "-f", n);
    }
}
