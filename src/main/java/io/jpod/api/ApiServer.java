package io.jpod.api;

import io.jpod.engine.ContainerEngine;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * `jpod system service`: the Docker Engine API over HTTP/1.1 on a unix socket (default) or loopback TCP, served
 * by Jetty 12 core with a virtual thread per request, every route through the same {@link ContainerEngine} as the
 * CLI. The socket is root's alone (0660, root group); the service ends after {@code idle} without requests.
 */
public final class ApiServer implements AutoCloseable {
    public static final String DEFAULT_URI = "unix:///run/jpod/jpod.sock";

    private final Server server;
    private final ApiHandler handler;
    private final Path socket;
    private ExitWatcher exits;
    private volatile long lastActivity = System.nanoTime();

    private ApiServer(Server server, ApiHandler handler, Path socket) {
        this.server = server;
        this.handler = handler;
        this.socket = socket;
    }

    /** Listens on {@code uri} (unix:///path or tcp://host:port) and serves until closed. */
    public static ApiServer start(ContainerEngine engine, String uri, Consumer<String> log) throws Exception {
        URI u = URI.create(uri);
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("jpod-api");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // image names travel as path segments with their slashes encoded (/images/library%2Fbusybox/json)
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        ApiServer[] self = new ApiServer[1];
        ApiHandler handler = new ApiHandler(() -> {
            if (self[0] != null) self[0].lastActivity = System.nanoTime();
        }, log);
        Routes.install(handler, engine, log);
        Path socket = null;
        switch (u.getScheme() == null ? "" : u.getScheme()) {
            case "unix" -> {
                socket = Path.of(u.getPath());
                Files.createDirectories(socket.getParent());
                if (Files.exists(socket)) {
                    if (inUse(socket)) throw new IOException("another service is listening on " + socket + ": stop it first, or give another URI");
                    Files.delete(socket); // left by a service that was killed
                }
                UnixDomainServerConnector c = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
                c.setUnixDomainPath(socket);
                c.setIdleTimeout(0); // attach and logs -f streams stay open as long as the client wants
                server.addConnector(c);
            }
            case "tcp" -> {
                ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
                c.setHost(u.getHost());
                c.setPort(u.getPort());
                c.setIdleTimeout(0);
                server.addConnector(c);
                if (!"127.0.0.1".equals(u.getHost()) && !"localhost".equals(u.getHost()) && !"::1".equals(u.getHost())) {
                    log.accept("the API on " + uri + " is reachable from other hosts, without authentication: anyone who reaches it is root here");
                }
            }
            default -> throw new IllegalArgumentException("unsupported service URI \"" + uri
                    + "\": use unix:///path/to/socket or tcp://127.0.0.1:PORT");
        }
        server.setHandler(handler);
        server.setStopAtShutdown(true); // SIGTERM: requests end, the socket goes
        Path sock = socket;
        if (sock != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(sock);
                } catch (IOException ignored) {
                    // the next start replaces a stale socket
                }
            }));
        }
        server.start();
        if (socket != null) {
            // root only: the API can do anything root can
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        }
        ApiServer s = new ApiServer(server, handler, socket);
        self[0] = s;
        s.exits = ExitWatcher.start(engine, io.jpod.sys.linux.LinuxSyscalls.INSTANCE, log);
        return s;
    }

    private static boolean inUse(Path socket) {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Blocks until the service has been idle (no request running or arriving) for {@code idle}; zero: for ever. */
    public void awaitIdle(Duration idle) throws InterruptedException {
        if (idle.isZero()) {
            server.join();
            return;
        }
        while (server.isRunning()) {
            Thread.sleep(Math.min(1000, Math.max(50, idle.toMillis() / 4)));
            if (handler.active() == 0 && System.nanoTime() - lastActivity >= idle.toNanos()) return;
        }
    }

    @Override
    public void close() throws Exception {
        if (exits != null) exits.close();
        server.stop();
        if (socket != null) Files.deleteIfExists(socket);
    }
}
