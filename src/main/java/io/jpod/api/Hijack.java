package io.jpod.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Docker's hijacked connections (attach, exec start): the route answers "101 UPGRADED" with Upgrade: tcp, and
 * the connection then carries raw bytes both ways; the route's work runs on with blocking streams over it
 * (stdin from the client, stdout and stderr to it, multiplexed in 8-byte-header frames unless a TTY).
 */
final class Hijack extends AbstractConnection implements Connection.UpgradeTo {
    static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

    private final CompletableFuture<Hijack> opened = new CompletableFuture<>();
    private ByteBuffer pending = BufferUtil.EMPTY_BUFFER;

    private Hijack(EndPoint endPoint) {
        super(endPoint, Runnable::run);
    }

    /**
     * Answers the exchange with 101 and returns the raw connection once Jetty has switched it over (after the
     * route returns: run the work on another thread). A client that did not ask for an upgrade gets Docker's
     * older form, 200 and the raw stream as the body: then null is returned and the caller streams the body.
     */
    static CompletableFuture<Hijack> upgrade(Exchange x, boolean tty) {
        String upgrade = x.header("Upgrade");
        if (upgrade == null) return null;
        EndPoint ep = x.request.getConnectionMetaData().getConnection().getEndPoint();
        Hijack h = new Hijack(ep);
        x.response.setStatus(101);
        x.response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        x.response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, tty ? RAW_STREAM : MULTIPLEXED);
        x.request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, h);
        x.empty(101);
        return h.opened;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) { // stdin the client sent right behind its request
            pending = BufferUtil.allocate(buffer.remaining());
            BufferUtil.append(pending, buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        opened.complete(this);
    }

    @Override
    public void onFillable() {
        // reads are pulled by the input stream, which waits on its own callbacks
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
        return false; // an attached session is idle as long as its container is quiet
    }

    /** The client's bytes (stdin); -1 once it half-closed or went away. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                while (true) {
                    if (BufferUtil.hasContent(pending)) {
                        int n = Math.min(len, pending.remaining());
                        pending.get(b, off, n);
                        return n;
                    }
                    ByteBuffer buf = BufferUtil.allocate(Math.max(len, 4096));
                    int n = getEndPoint().fill(buf);
                    if (n < 0) return -1;
                    if (n > 0) {
                        pending = buf;
                        continue;
                    }
                    FutureCallback readable = new FutureCallback();
                    getEndPoint().fillInterested(readable);
                    await(readable);
                }
            }
        };
    }

    /** stdout (1) or stderr (2) to the client; framed when {@code framed} (no TTY). */
    OutputStream output(int stream, boolean framed) {
        return Frames.of(raw, stream, framed);
    }

    /** The connection's bytes out; one object, so frames of stdout and stderr never interleave (Frames locks on it). */
    private final OutputStream raw = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) send(ByteBuffer.wrap(b, off, len));
        }
    };

    private void send(ByteBuffer buffer) throws IOException {
        FutureCallback done = new FutureCallback();
        getEndPoint().write(done, buffer);
        await(done);
    }

    /** No more output: the client reads EOF (it may still be sending stdin). */
    void closeOutput() {
        getEndPoint().shutdownOutput();
    }

    void closeAll() {
        getEndPoint().close();
    }

    private static void await(FutureCallback cb) throws IOException {
        try {
            cb.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
