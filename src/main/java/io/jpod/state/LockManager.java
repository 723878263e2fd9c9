package io.jpod.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per container (or image, or other object): a lock file on the runtime tmpfs for other processes,
 * plus an in-JVM lock, because file locks belong to the whole process and would not exclude our own threads (the
 * REST API serves several at once). The file lock is flock(2), not Java's fcntl locks: the kernel's deadlock
 * detection for fcntl locks works per process and refused locks with EDEADLK ("Resource deadlock avoided") when
 * two multi-threaded jpod services each held one container's lock while wanting another's, with no real cycle
 * between the threads. It is taken without blocking, retried after short sleeps, so a waiting virtual thread
 * does not hold on to its carrier inside a native call.
 */
public final class LockManager {
    private final Path dir;
    private final io.jpod.sys.Syscalls sys;
    private final ConcurrentHashMap<String, ReentrantLock> local = new ConcurrentHashMap<>();

    public LockManager(Path dir) {
        this(dir, io.jpod.sys.linux.LinuxSyscalls.INSTANCE);
    }

    public LockManager(Path dir, io.jpod.sys.Syscalls sys) {
        this.dir = dir;
        this.sys = sys;
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
        try {
            Files.createDirectories(dir);
            String path = dir.resolve(key + ".lock").toString();
            int fd;
            long nap = 1;
            while ((fd = sys.tryFlock(path)) < 0) {
                Thread.sleep(nap);
                nap = Math.min(20, nap * 2);
            }
            int held = fd;
            return () -> {
                try {
                    sys.close(held); // closing the descriptor releases the flock
                } finally {
                    l.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            l.unlock();
            throw new StateException(StateException.Kind.STORAGE, "cannot lock " + key + " in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            l.unlock();
            Thread.currentThread().interrupt();
            throw new StateException(StateException.Kind.STORAGE, "interrupted while waiting for the lock of " + key, e);
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
