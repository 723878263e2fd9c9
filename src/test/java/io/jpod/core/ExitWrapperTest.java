package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** conmon's exit-command wrapper under a real sh and flock(1): a note while the service's lock is held, else the command. */
class ExitWrapperTest {
    @TempDir
    Path tmp;

    int run(Path lock, Path note, String mode, Path ran) throws Exception {
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", ContainerRuntime.EXIT_WRAPPER, "jpod-exit", lock.toString(),
                note.toString(), mode, "/bin/sh", "-c", "echo ran > " + ran)).inheritIO().start();
        return p.waitFor();
    }

    @Test
    void withoutAServiceTheCommandRuns() throws Exception {
        Path note = tmp.resolve("exits/abc"), ran = tmp.resolve("ran");
        assertEquals(0, run(tmp.resolve("service.lock"), note, "rm", ran));
        assertTrue(Files.exists(ran), "no lock held: the JVM's cleanup would run");
        assertFalse(Files.exists(note));
    }

    @Test
    void whileTheServiceHoldsItsLockOnlyANoteIsLeft() throws Exception {
        Path lock = tmp.resolve("service.lock"), note = tmp.resolve("exits/abc"), ran = tmp.resolve("ran");
        // flock(1) in another process holds the lock, as the service does through flock(2)
        Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "30").start();
        try {
            for (int i = 0; i < 100; i++) {
                Process probe = new ProcessBuilder("flock", "-n", lock.toString(), "true").start();
                if (probe.waitFor() != 0) break;
                Thread.sleep(20);
            }
            assertEquals(0, run(lock, note, "rm", ran));
            assertEquals("rm", Files.readString(note));
            assertFalse(Files.exists(ran), "the service cleans up; no JVM");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
