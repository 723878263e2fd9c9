package io.jpod.cli;

import java.time.Duration;
import java.util.List;

/**
 * `system service [--time SECONDS] [URI]`: the Docker-compatible REST API on unix:///run/jpod/jpod.sock (or the
 * URI given: unix:///path, tcp://127.0.0.1:PORT) until it has been idle for --time seconds (0: never), as podman's.
 */
final class ServiceCommand implements Command {
    public String name() { return "system-service"; }
    public String summary() { return "Run an API service"; }
    public List<Flag> flags() {
        return List.of(Flag.value("time", 't', "time until the service session expires in seconds; 0 means no timeout (default 5)"));
    }

    public int run(Cli cli, Args a) throws Exception {
        if (a.positionals().size() > 1) throw new UsageException("jpod system service takes at most one URI");
        String uri = a.positionals().isEmpty() ? io.jpod.api.ApiServer.DEFAULT_URI : a.positionals().getFirst();
        int seconds = a.has("time") ? a.integer("time") : 5;
        if (seconds < 0) throw new UsageException("--time must be 0 (never expire) or a number of seconds");
        if (cli.debug()) System.setProperty("jpod.api.log", "debug");
        try (io.jpod.api.ApiServer server = io.jpod.api.ApiServer.start(cli.engine(), uri, msg -> cli.err.println("jpod service: " + msg))) {
            server.awaitIdle(Duration.ofSeconds(seconds));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }
}
