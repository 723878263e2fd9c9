package io.jpod.core;

import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A client of conmon's attach socket (SOCK_SEQPACKET): each packet is one type byte (2 stdout, 3 stderr)
 * then the payload; the socket reaches EOF when the container exits. Stdin, when attached, is written raw and
 * ended with shutdown(SHUT_WR), which makes conmon close the container's stdin.
 */
public final class AttachStream implements AutoCloseable {
    private static final int STDOUT = 2, STDERR = 3;
    private final Syscalls sys;
    private final int fd;

    private AttachStream(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public static AttachStream connect(Syscalls sys, String socketPath) {
        return new AttachStream(sys, sys.connectSeqpacket(socketPath));
    }

    /** Copies the container's output until EOF. */
    public void pumpOutput(OutputStream out, OutputStream err) throws java.io.IOException {
        pumpOutput(out, err, null);
    }

    /** As above, and returns early (false) once {@code stop} says so (the user detached); true at EOF. */
    public boolean pumpOutput(OutputStream out, OutputStream err, java.util.function.BooleanSupplier stop) throws java.io.IOException {
        byte[] buf = new byte[8193 + 1];
        while (true) {
            if (stop != null) {
                if (stop.getAsBoolean()) return false;
                if (!sys.pollIn(fd, 100)) continue;
            }
            int n;
            try {
                n = sys.read(fd, buf, 0, buf.length);
            } catch (SysException e) {
                if (e.errno() == 104) break; // ECONNRESET: conmon went away with the container
                throw e;
            }
            if (n <= 0) break;
            OutputStream o = buf[0] == STDERR ? err : buf[0] == STDOUT ? out : null;
            if (o != null && n > 1) {
                o.write(buf, 1, n - 1);
                o.flush();
            }
        }
        return true;
    }

    /**
     * Copies in to the container's stdin like {@link #forwardInput(InputStream)}, watching for the detach sequence
     * (ctrl-p ctrl-q by default): when it is typed, forwarding stops and onDetach runs; the container goes on.
     */
    public Thread forwardInput(InputStream in, byte[] detachKeys, Runnable onDetach) {
        DetachFilter filter = new DetachFilter(detachKeys);
        return Thread.ofPlatform().daemon().name("jpod-stdin").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    byte[] pass = filter.feed(buf, n);
                    int off = 0;
                    while (off < pass.length) off += sys.write(fd, pass, off, pass.length - off);
                    if (filter.detached()) {
                        onDetach.run();
                        return;
                    }
                }
            } catch (java.io.IOException | SysException e) {
                // the container went away; output pumping notices on its own
            }
            try {
                sys.shutdownWrite(fd);
            } catch (SysException ignored) {
                // already closed
            }
        });
    }

    /** Starts a daemon thread copying in to the container's stdin, then ending it. */
    public Thread forwardInput(InputStream in) {
        Thread t = Thread.ofPlatform().daemon().name("jpod-stdin").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    int off = 0;
                    while (off < n) off += sys.write(fd, buf, off, n - off);
                }
            } catch (java.io.IOException | SysException e) {
                // the container went away; output pumping notices on its own
            }
            try {
                sys.shutdownWrite(fd);
            } catch (SysException ignored) {
                // already closed
            }
        });
        return t;
    }

    @Override
    public void close() {
        sys.close(fd);
    }
}
