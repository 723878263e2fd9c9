package io.jpod.api;

import io.jpod.core.JpodException;
import io.jpod.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One API call as the routes see it: the path's captures, query parameters, the JSON body, and the ways to
 * answer (JSON, nothing, a stream). Blocking calls: each runs on a virtual thread of its own.
 */
final class Exchange {
    /** A request body larger than this is refused (Docker's create bodies are a few KB; archives are streamed). */
    static final int MAX_JSON = 4 << 20;

    final Request request;
    final Response response;
    final String method;
    final String path;
    final String version;
    final List<String> captures;
    private final Fields query;
    private boolean answered;

    Exchange(Request request, Response response, String method, String path, String version, List<String> captures) {
        this.request = request;
        this.response = response;
        this.method = method;
        this.path = path;
        this.version = version;
        this.captures = captures;
        this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }

    String capture(int i) {
        return captures.get(i);
    }

    String param(String name) {
        return query.getValue(name);
    }

    String param(String name, String def) {
        String v = query.getValue(name);
        return v == null ? def : v;
    }

    List<String> params(String name) {
        List<String> v = query.getValues(name);
        return v == null ? List.of() : v;
    }

    /** Docker's booleans: 1/true/yes are true, absent is {@code def}. */
    boolean flag(String name, boolean def) {
        String v = query.getValue(name);
        if (v == null || v.isEmpty()) return def;
        return v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes");
    }

    Integer intParam(String name) {
        String v = query.getValue(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw JpodException.invalid("query parameter " + name + "=" + v + " is not a whole number");
        }
    }

    /** A time parameter as Docker takes it: UNIX seconds (with a fraction) or RFC 3339; absent or 0 is null. */
    java.time.Instant time(String name) {
        String s = query.getValue(name);
        if (s == null || s.isEmpty() || s.equals("0")) return null;
        try {
            double d = Double.parseDouble(s);
            return java.time.Instant.ofEpochSecond((long) d, (long) ((d - Math.floor(d)) * 1e9));
        } catch (NumberFormatException e) {
            try {
                return java.time.Instant.parse(s);
            } catch (RuntimeException bad) {
                throw JpodException.invalid("invalid " + name + " \"" + s + "\": use UNIX seconds or RFC 3339");
            }
        }
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The body as a JSON object: empty means {}; malformed, too large or not an object is a 400. */
    Map<String, Object> jsonBody() {
        long len = request.getLength();
        if (len > MAX_JSON) throw JpodException.invalid("request body of " + len + " bytes is too large (at most " + MAX_JSON + ")");
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_JSON + 1);
        } catch (IOException e) {
            throw JpodException.invalid("reading the request body: " + e.getMessage());
        }
        if (body.length > MAX_JSON) throw JpodException.invalid("request body is too large (at most " + MAX_JSON + " bytes)");
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.isEmpty() || s.equals("null")) return Map.of();
        Object parsed;
        try {
            parsed = Json.parse(s);
        } catch (RuntimeException e) {
            throw JpodException.invalid("malformed JSON in the request body: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) throw JpodException.invalid("the request body must be a JSON object");
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
        return map;
    }

    InputStream bodyStream() {
        return Content.Source.asInputStream(request);
    }

    boolean answered() {
        return answered;
    }

    void json(int status, Object body) {
        byte[] b = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        write(b);
    }

    void text(int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        write(method.equals("HEAD") ? new byte[0] : b);
    }

    void empty(int status) {
        response.setStatus(status);
        answered = true;
    }

    /** A streamed body (chunked): logs, events, pull progress, archives. Closing it ends the response. */
    OutputStream stream(int status, String contentType) {
        response.setStatus(status);
        if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        answered = true;
        return Content.Sink.asOutputStream(response);
    }

    private void write(byte[] b) {
        answered = true;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(b);
        } catch (IOException e) {
            // the client went away: nothing to tell it
        }
    }
}
