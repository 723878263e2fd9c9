package io.jpod.api;

import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.RegistryOptions;
import io.jpod.engine.Report;
import io.jpod.image.Image;
import io.jpod.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /images/...: list, inspect, pull (create), tag, delete. Names may hold '/' and ':'. */
final class ImageRoutes {
    private final ContainerEngine engine;

    ImageRoutes(ContainerEngine engine) {
        this.engine = engine;
    }

    void install(ApiHandler h) {
        h.on("GET", "/images/json", this::list);
        h.on("GET", "/images/get", x -> save(x, x.params("names")));
        h.on("POST", "/images/load", this::load);
        h.on("GET", "/images/search", x -> {
            throw new ApiHandler.StatusException(501, "image search is not supported: jpod has no registry search yet; browse the registry instead");
        });
        h.on("POST", "/images/prune", x -> x.json(200, Map.of("ImagesDeleted", engine.pruneImages(!danglingOnly(x)).stream()
                .map(id -> Map.of("Deleted", DockerViews.imageId(id))).toList(), "SpaceReclaimed", 0)));
        h.on("POST", "/build", x -> {
            throw new ApiHandler.StatusException(501, "build is not supported by jpod: build the image elsewhere and load or pull it");
        });
        h.on("POST", "/commit", this::commit);
        h.on("GET", "/images/(.+)/get", x -> save(x, List.of(x.capture(0))));
        h.on("GET", "/images/(.+)/history", this::history);
        h.on("POST", "/images/(.+)/push", this::push);
        h.on("POST", "/images/create", this::pull);
        h.on("GET", "/images/(.+)/json", x -> x.json(200, DockerViews.imageInspect(image(x.capture(0)))));
        h.on("POST", "/images/(.+)/tag", this::tag);
        h.on("DELETE", "/images/(.+)", this::remove);
    }

    private Image image(String name) {
        try {
            return engine.inspectImage(name);
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NOT_FOUND) throw JpodException.notFound("No such image: " + name);
            throw e;
        }
    }

    private void list(Exchange x) {
        Map<String, List<String>> filters = ContainerRoutes.filters(x.param("filters"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Image i : engine.images()) {
            if (filters.containsKey("reference")) {
                boolean any = false;
                for (String ref : filters.get("reference")) {
                    for (String n : i.names()) any |= n.equals(ref) || n.equals(ref + ":latest") || n.startsWith(ref + ":") || n.endsWith("/" + ref) || n.contains("/" + ref + ":");
                }
                if (!any) continue;
            }
            if (filters.containsKey("dangling") && filters.get("dangling").contains("true") && !i.names().isEmpty()) continue;
            out.add(DockerViews.imageSummary(i));
        }
        x.json(200, out);
    }

    /** X-Registry-Auth: base64url JSON ({"username", "password"} or an identity token), padded or not; "e30=" is none. */
    static String credentials(String header) {
        if (header == null || header.isBlank()) return null;
        String b64 = header.strip().replace('+', '-').replace('/', '_');
        while (b64.endsWith("=")) b64 = b64.substring(0, b64.length() - 1);
        Map<String, Object> auth;
        try {
            auth = Json.parseObject(new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw JpodException.invalid("X-Registry-Auth is not base64url-encoded JSON: " + e.getMessage());
        }
        Object u = auth.get("username"), p = auth.get("password");
        if (u instanceof String user && !user.isEmpty()) return user + ":" + (p instanceof String pw ? pw : "");
        return null;
    }

    /** POST /images/create?fromImage=&tag=: a pull, its progress as Docker's JSON messages, errors inside the stream. */
    private void pull(Exchange x) throws IOException {
        String from = x.param("fromImage");
        if (from == null || from.isEmpty()) {
            String src = x.param("fromSrc");
            if (src == null) throw JpodException.invalid("fromImage or fromSrc is required: POST /images/create?fromImage=NAME&tag=TAG");
            if (!src.equals("-")) throw JpodException.invalid("fromSrc must be - (the tarball in the body): jpod does not fetch URLs");
            importTar(x);
            return;
        }
        String tag = x.param("tag", "");
        String ref = from;
        if (!tag.isEmpty()) ref = tag.startsWith("sha256:") ? from + "@" + tag : from + ":" + tag;
        String creds = credentials(x.header("X-Registry-Auth"));
        RegistryOptions opts = new RegistryOptions(loopback(ref) ? Boolean.FALSE : null, creds, null, null, x.param("platform"), null, null, null);
        OutputStream out = x.stream(200, "application/json");
        String id = from + (tag.isEmpty() ? "" : ":" + tag);
        try {
            emit(out, Map.of("status", "Pulling from " + from, "id", tag.isEmpty() ? "latest" : tag));
            List<Image> pulled = engine.pull(ref, opts, false, line -> {
                try {
                    emit(out, Map.of("status", line));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (Image i : pulled) emit(out, Map.of("status", "Digest: " + (i.digest().isEmpty() ? DockerViews.imageId(i.id()) : i.digest())));
            emit(out, Map.of("status", "Status: Downloaded newer image for " + id));
        } catch (JpodException | java.io.UncheckedIOException e) {
            emitError(out, e);
        } finally {
            out.close();
        }
    }

    /** POST /images/create?fromSrc=-&repo=&tag=&changes=: the body is a root filesystem tarball, as `docker import -`. */
    private void importTar(Exchange x) throws IOException {
        String repo = x.param("repo", ""), tag = x.param("tag", "");
        String name = repo.isEmpty() ? null : tag.isEmpty() ? repo : repo + ":" + tag;
        List<String> changes = new ArrayList<>();
        for (String ch : x.params("changes")) for (String line : ch.split("\n")) if (!line.isBlank()) changes.add(line.strip());
        Image img = engine.importImage(x.bodyStream(), name, changes);
        OutputStream out = x.stream(200, "application/json");
        emit(out, Map.of("status", DockerViews.imageId(img.id())));
        out.close();
    }

    /** A failure inside a progress stream (the status line went out already), as dockerd reports it. */
    private static void emitError(OutputStream out, RuntimeException e) throws IOException {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("errorDetail", Map.of("message", String.valueOf(e.getMessage())));
        err.put("error", String.valueOf(e.getMessage()));
        emit(out, err);
    }

    private static void emit(OutputStream out, Map<String, Object> m) throws IOException {
        out.write((Json.write(m) + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * POST /commit?container=&repo=&tag=&changes=: a new image of the container's filesystem as it is now, with its
     * run config (the body's Config, when given, overrides: Cmd, Entrypoint, Env, WorkingDir, User, Labels), then
     * the Dockerfile instructions in changes. The image is flattened to one layer (jpod's commit exports the
     * container and imports the tar); an empty body is fine.
     */
    private void commit(Exchange x) throws IOException {
        String container = x.param("container");
        if (container == null || container.isEmpty()) throw JpodException.invalid("commit needs ?container=NAME_OR_ID");
        io.jpod.core.Container c = engine.inspect(container);
        Map<String, Object> body = x.jsonBody();
        var cfg = c.config();
        List<String> cmd = body.containsKey("Cmd") ? CreateBody.strings(body, "Cmd") : cfg.cmd();
        List<String> entrypoint = body.containsKey("Entrypoint") ? CreateBody.strings(body, "Entrypoint") : cfg.entrypoint();
        List<String> env = body.containsKey("Env") ? CreateBody.strings(body, "Env") : cfg.env();
        String workDir = body.get("WorkingDir") != null ? CreateBody.str(body, "WorkingDir") : cfg.workDir();
        String user = body.get("User") != null ? CreateBody.str(body, "User") : cfg.user();
        List<String> changes = new ArrayList<>();
        if (cmd != null && !cmd.isEmpty()) changes.add("CMD " + Json.write(cmd));
        if (entrypoint != null && !entrypoint.isEmpty()) changes.add("ENTRYPOINT " + Json.write(entrypoint));
        if (env != null) for (String e : env) if (e.contains("=")) changes.add("ENV " + e);
        if (workDir != null && !workDir.isEmpty()) changes.add("WORKDIR " + workDir);
        if (user != null && !user.isEmpty()) changes.add("USER " + user);
        Map<String, Object> labels = body.containsKey("Labels") ? CreateBody.map(body, "Labels") : null;
        if (labels == null) labels = new LinkedHashMap<>(cfg.labels());
        labels.forEach((k, v) -> changes.add("LABEL " + k + "=" + v));
        for (String ch : x.params("changes")) for (String line : ch.split("\n")) if (!line.isBlank()) changes.add(line.strip());
        String repo = x.param("repo", ""), tag = x.param("tag", "");
        String name = repo.isEmpty() ? null : tag.isEmpty() ? repo : repo + ":" + tag;
        java.nio.file.Path tar = java.nio.file.Files.createTempFile(engine.layout().runRoot(), "commit-", ".tar");
        try {
            try (OutputStream out = java.nio.file.Files.newOutputStream(tar)) {
                engine.export(c.id(), out);
            }
            Image img = engine.importImage(tar, name, changes);
            x.json(201, Map.of("Id", DockerViews.imageId(img.id())));
        } finally {
            java.nio.file.Files.deleteIfExists(tar);
        }
    }

    /** Docker treats registries on 127.0.0.0/8 as insecure (plain HTTP allowed): its clients expect that here too. */
    static boolean loopback(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) return false;
        String host = ref.substring(0, slash);
        return host.startsWith("127.") || host.startsWith("localhost:") || host.startsWith("[::1]");
    }

    private static boolean danglingOnly(Exchange x) {
        Map<String, List<String>> f = ContainerRoutes.filters(x.param("filters"));
        return !(f.containsKey("dangling") && f.get("dangling").contains("false"));
    }

    /** GET /images/NAME/history: newest first, as dockerd lists it; the image's ID on the newest entry. */
    private void history(Exchange x) {
        Image i = image(x.capture(0));
        List<Map<String, Object>> out = new ArrayList<>();
        List<Map<String, Object>> h = i.history();
        for (int k = h.size() - 1; k >= 0; k--) {
            Map<String, Object> e = h.get(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", k == h.size() - 1 ? DockerViews.imageId(i.id()) : "<missing>");
            Object created = e.get("created");
            long epoch = 0;
            try {
                if (created instanceof String c) epoch = java.time.Instant.parse(c).getEpochSecond();
            } catch (RuntimeException unparsable) {
                // 0, as dockerd shows an image without a time
            }
            m.put("Created", epoch);
            m.put("CreatedBy", String.valueOf(e.getOrDefault("created_by", "")));
            m.put("Tags", k == h.size() - 1 && !i.names().isEmpty() ? i.names() : null);
            m.put("Size", 0);
            m.put("Comment", String.valueOf(e.getOrDefault("comment", "")));
            out.add(m);
        }
        if (out.isEmpty()) out.add(Map.of("Id", DockerViews.imageId(i.id()), "Created", i.created().getEpochSecond(), "CreatedBy", "",
                "Tags", i.names(), "Size", i.size(), "Comment", ""));
        x.json(200, out);
    }

    /** GET /images/get?names=a&names=b, /images/NAME/get: a docker-archive tar of them. */
    private void save(Exchange x, List<String> names) throws IOException {
        if (names.isEmpty()) throw JpodException.invalid("no image names given: ?names=NAME");
        for (String n : names) image(n);
        try (OutputStream out = x.stream(200, "application/x-tar")) {
            engine.save(names, "docker-archive", out, line -> { });
        }
    }

    /** POST /images/load: a docker-archive or OCI archive in the body; Docker's progress message per image. */
    private void load(Exchange x) throws IOException {
        List<String> loaded = engine.load(x.bodyStream(), line -> { });
        OutputStream out = x.stream(200, "application/json");
        for (String n : loaded) emit(out, Map.of("stream", (n.startsWith("sha256:") ? "Loaded image ID: " : "Loaded image: ") + n + "\n"));
        out.close();
    }

    /** POST /images/NAME/push?tag=: progress and errors in the stream, as with pull. */
    private void push(Exchange x) throws IOException {
        String name = x.capture(0), tag = x.param("tag", "");
        String ref = tag.isEmpty() ? name : name + ":" + tag;
        image(ref);
        RegistryOptions opts = new RegistryOptions(loopback(ref) ? Boolean.FALSE : null, credentials(x.header("X-Registry-Auth")), null, null, null, null, null, null);
        OutputStream out = x.stream(200, "application/json");
        try {
            emit(out, Map.of("status", "The push refers to repository [" + name + "]"));
            String digest = engine.push(ref, null, opts, line -> {
                try {
                    emit(out, Map.of("status", line));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // the status line for people, then the aux record for programs (clients print one or the other)
            emit(out, Map.of("status", (tag.isEmpty() ? "latest" : tag) + ": digest: " + digest));
            emit(out, Map.of("progressDetail", Map.of(), "aux", Map.of("Tag", tag.isEmpty() ? "latest" : tag, "Digest", digest)));
        } catch (JpodException | java.io.UncheckedIOException e) {
            emitError(out, e);
        } finally {
            out.close();
        }
    }

    private void tag(Exchange x) {
        String repo = x.param("repo");
        if (repo == null || repo.isEmpty()) throw JpodException.invalid("repo is required: POST /images/NAME/tag?repo=REPO&tag=TAG");
        String tag = x.param("tag", "");
        image(x.capture(0));
        engine.tagImage(x.capture(0), tag.isEmpty() ? repo : repo + ":" + tag);
        x.empty(201);
    }

    private void remove(Exchange x) {
        image(x.capture(0));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Report r : engine.removeImages(List.of(x.capture(0)), x.flag("force", false))) {
            if (!r.succeeded()) throw r.error();
            out.add(Map.of("Untagged", x.capture(0)));
            if (r.id() != null) out.add(Map.of("Deleted", DockerViews.imageId(r.id())));
        }
        x.json(200, out);
    }
}
