package io.jpod.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per container (or image, or other object): a lock file on the runtime tmpfs for other processes,
 * plus an in-JVM lock, because Java file locks belong to the whole process and would not exclude our own
 * threads (the REST API serves several at once).
 */
public final class LockManager {
    private final Path dir;
    private final ConcurrentHashMap<String, ReentrantLock> local = new ConcurrentHashMap<>();

    public LockManager(Path dir) {
        this.dir = dir;
    }

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held lock(String key) {
        ReentrantLock l = local.computeIfAbsent(key, k -> new ReentrantLock());
        l.lock();
        if (l.getHoldCount() > 1) return l::unlock; // re-entry in this thread: the file lock is already ours
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = ch.lock();
            FileChannel channel = ch;
            return () -> {
                try {
                    fl.release();
                    channel.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock anyway
                } finally {
                    l.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
            l.unlock();
            throw new StateException(StateException.Kind.STORAGE, "cannot lock " + key + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a lock file once its object is gone; a process still waiting on it re-checks existence after locking. */
    public void forget(String key) {
        try {
            Files.deleteIfExists(dir.resolve(key + ".lock"));
        } catch (IOException ignored) {
            // a stale lock file is harmless
        }
        local.remove(key);
    }
}
