package io.jpod.api;

import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker Engine API routing: an optional /vMAJOR.MINOR prefix (1.24 to 1.44; unversioned means the newest), then
 * METHOD + path pattern to a route. Errors become Docker's {"message": ...} with the engine's error code's status;
 * anything unexpected is a 500 with its message, never a stack trace (those go to the service's log).
 */
final class ApiHandler extends Handler.Abstract {
    static final String MAX_VERSION = "1.44", MIN_VERSION = "1.24";
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)$");

    interface Route {
        void handle(Exchange x) throws Exception;
    }

    private record Entry(String method, Pattern path, Route route) {}

    private final List<Entry> routes = new ArrayList<>();
    private final Runnable activity;
    private final Consumer<String> log;
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    /** Failed calls are logged too (jpod --log-level=debug system service). */
    private final boolean debug = "debug".equals(System.getProperty("jpod.api.log"));

    ApiHandler(Runnable activity, Consumer<String> log) {
        this.activity = activity;
        this.log = log;
    }

    /** pattern: a regex over the unversioned path; its groups are the exchange's captures. */
    ApiHandler on(String method, String pattern, Route route) {
        routes.add(new Entry(method, Pattern.compile("^" + pattern + "$"), route));
        return this;
    }

    int active() {
        return active.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        active.incrementAndGet();
        activity.run();
        try {
            dispatch(request, response);
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
        } finally {
            active.decrementAndGet();
            activity.run();
        }
        return true;
    }

    private void dispatch(Request request, Response response) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        String version = MAX_VERSION;
        Matcher v = VERSIONED.matcher(path);
        if (v.matches()) {
            version = v.group(1) + "." + v.group(2);
            path = v.group(3);
        }
        response.getHeaders().put("Api-Version", MAX_VERSION);
        response.getHeaders().put("Docker-Experimental", "false");
        response.getHeaders().put("Ostype", "linux");
        response.getHeaders().put(HttpHeader.SERVER, "jpod/" + SystemRoutes.VERSION + " (linux)");
        Exchange x = null;
        try {
            if (v.matches() && compare(version, MAX_VERSION) > 0) {
                throw JpodException.invalid("client version " + version + " is too new. Maximum supported API version is " + MAX_VERSION);
            }
            if (v.matches() && compare(version, MIN_VERSION) < 0) {
                throw JpodException.invalid("client version " + version + " is too old. Minimum supported API version is "
                        + MIN_VERSION + ", please upgrade your client to a newer version");
            }
            boolean pathKnown = false;
            for (Entry e : routes) {
                Matcher m = e.path().matcher(path);
                if (!m.matches()) continue;
                pathKnown = true;
                if (!e.method().equals(method) && !(method.equals("HEAD") && e.method().equals("GET"))) continue;
                List<String> caps = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) caps.add(m.group(i)); // the path arrives decoded
                x = new Exchange(request, response, method, path, version, caps);
                e.route().handle(x);
                return;
            }
            if (pathKnown) {
                error(response, x, 405, "method " + method + " is not allowed on " + path);
            } else {
                error(response, x, 404, "page not found");
            }
        } catch (JpodException e) {
            if (debug) log.accept(method + " " + path + " -> " + status(e) + ": " + e.getMessage());
            error(response, x, status(e), e.getMessage());
        } catch (StatusException e) {
            error(response, x, e.status, e.getMessage());
        } catch (Exception e) {
            if (clientGone(e)) return; // the client went away: nobody to answer
            log.accept(method + " " + path + ": " + e);
            error(response, x, 500, String.valueOf(e.getMessage()));
        }
    }

    private static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) return true;
            if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("Broken pipe")) return true;
        }
        return false;
    }

    static int status(JpodException e) {
        return e.code() == ErrorCode.UNAVAILABLE ? 500 : e.code().httpStatus();
    }

    /** Docker's error body; if the route already answered (a stream broke), there is nobody to tell. */
    private static void error(Response response, Exchange x, int status, String message) {
        if (x != null && x.answered()) return;
        if (response.isCommitted()) return;
        byte[] b = (io.jpod.json.Json.write(Map.of("message", message == null ? "" : message)) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        try (var out = org.eclipse.jetty.io.Content.Sink.asOutputStream(response)) {
            out.write(b);
        } catch (java.io.IOException ignored) {
            // the client went away
        }
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    /** An answer with a status of Docker's own that no engine error code carries (304 and such). */
    static final class StatusException extends RuntimeException {
        final int status;

        StatusException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
