package io.jpod.api;

import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;
import io.jpod.sys.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * While the service runs it holds the store's service lock, and conmon's exit commands leave a note per exited
 * container instead of starting a JVM each (see ContainerRuntime's exit wrapper): this cleans them up in-process
 * (unmount, network teardown, --rm, restart policies), as `jpod container cleanup` would. Notes left when the
 * service stops are handled before it lets go of the lock.
 */
final class ExitWatcher implements AutoCloseable {
    private final ContainerEngine engine;
    private final Syscalls sys;
    private final Consumer<String> log;
    private final Path dir;
    private final int lockFd;
    private final Thread thread;
    private volatile boolean stopping;

    private ExitWatcher(ContainerEngine engine, Syscalls sys, Consumer<String> log, Path dir, int lockFd) {
        this.engine = engine;
        this.sys = sys;
        this.log = log;
        this.dir = dir;
        this.lockFd = lockFd;
        this.thread = Thread.ofPlatform().name("jpod-api-exits").daemon().start(this::loop);
    }

    /** Null when another service on this store holds the lock already: that one takes the notes. */
    static ExitWatcher start(ContainerEngine engine, Syscalls sys, Consumer<String> log) {
        Path lock = engine.layout().serviceLock();
        try {
            Files.createDirectories(lock.getParent());
        } catch (IOException e) {
            log.accept("cannot make " + lock.getParent() + ": " + e.getMessage() + "; exits are cleaned up by conmon's commands");
            return null;
        }
        int fd = sys.tryFlock(lock.toString());
        return fd < 0 ? null : new ExitWatcher(engine, sys, log, engine.layout().exitNotes(), fd);
    }

    private void loop() {
        while (!stopping) {
            drain();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drain() {
        if (!Files.isDirectory(dir)) return;
        try (var notes = Files.list(dir)) {
            for (Path note : notes.toList()) {
                String id = note.getFileName().toString();
                if (id.endsWith(".tmp")) continue;
                String mode;
                try {
                    mode = Files.readString(note).strip();
                    Files.delete(note);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Thread.ofVirtual().name("jpod-api-cleanup-" + id.substring(0, Math.min(12, id.length()))).start(() -> cleanup(id, mode));
            }
        } catch (IOException e) {
            log.accept("reading exit notes in " + dir + ": " + e.getMessage());
        }
    }

    private void cleanup(String id, String mode) {
        try {
            engine.cleanup(id, mode.equals("rm"));
        } catch (JpodException e) {
            if (e.code() != ErrorCode.NOT_FOUND) log.accept("cleaning up container " + id.substring(0, 12) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("cleaning up container " + id.substring(0, 12) + ": " + e);
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain(); // what arrived meanwhile, before the lock goes and conmon starts JVMs again
        sys.close(lockFd);
    }
}
