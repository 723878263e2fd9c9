package io.jpod.api;

import io.jpod.core.Container;
import io.jpod.core.ContainerStatus;
import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.core.LogReader;
import io.jpod.engine.AttachOptions;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.CreateOptions;
import io.jpod.engine.Report;
import io.jpod.engine.Streams;
import io.jpod.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** /containers/...: Docker's container routes over the engine. */
final class ContainerRoutes {
    private final ContainerEngine engine;
    private final Consumer<String> log;
    /** Attaches made before their container started (docker run attaches, then starts): the start streams them. */
    private final Map<String, PendingAttach> pending = new ConcurrentHashMap<>();
    /** Exit codes of containers this service ran attached, for waits that outlive an auto-removed container. */
    private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();

    private record PendingAttach(Streams streams, AttachOptions options, Hijack connection, boolean stdout,
                                 CompletableFuture<Void> done) {}

    ContainerRoutes(ContainerEngine engine, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
    }

    void install(ApiHandler h) {
        h.on("GET", "/containers/json", this::list);
        h.on("POST", "/containers/create", this::create);
        h.on("POST", "/containers/prune", this::prune);
        h.on("GET", "/containers/([^/]+)/json", this::inspect);
        h.on("POST", "/containers/([^/]+)/start", this::start);
        h.on("POST", "/containers/([^/]+)/stop", this::stop);
        h.on("POST", "/containers/([^/]+)/restart", this::restart);
        h.on("POST", "/containers/([^/]+)/kill", this::kill);
        h.on("POST", "/containers/([^/]+)/pause", x -> done(x, engine.pause(List.of(x.capture(0)), false)));
        h.on("POST", "/containers/([^/]+)/unpause", x -> done(x, engine.unpause(List.of(x.capture(0)), false)));
        h.on("POST", "/containers/([^/]+)/rename", this::rename);
        h.on("POST", "/containers/([^/]+)/wait", this::await);
        h.on("DELETE", "/containers/([^/]+)", this::remove);
        h.on("GET", "/containers/([^/]+)/logs", this::logs);
        h.on("POST", "/containers/([^/]+)/attach", this::attach);
        h.on("GET", "/containers/([^/]+)/top", this::top);
        h.on("GET", "/containers/([^/]+)/archive", this::getArchive);
        h.on("GET", "/containers/([^/]+)/stats", this::stats);
        h.on("POST", "/containers/([^/]+)/resize", x -> {
            Integer rows = x.intParam("h"), cols = x.intParam("w");
            if (rows == null || cols == null) throw JpodException.invalid("resize needs ?h=ROWS&w=COLUMNS");
            engine.resize(x.capture(0), rows, cols);
            x.empty(200);
        });
        h.on("GET", "/containers/([^/]+)/changes", x -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (var ch : engine.diff(x.capture(0))) out.add(Map.of("Path", ch.path(), "Kind", switch (ch.kind()) { case "A" -> 1; case "D" -> 2; default -> 0; }));
            x.json(200, out);
        });
        h.on("GET", "/containers/([^/]+)/export", x -> {
            String id = engine.inspect(x.capture(0)).id();
            try (OutputStream out = x.stream(200, "application/x-tar")) {
                engine.export(id, out);
            }
        });
        h.on("PUT", "/containers/([^/]+)/archive", this::putArchive);
    }

    /**
     * stats?stream=true|false&one-shot: Docker's stats objects, one per second while streaming. CPU counters are
     * cumulative nanoseconds, with the host's (jiffies) alongside, so clients compute percentages as with dockerd.
     */
    private void stats(Exchange x) throws IOException {
        String id = engine.inspect(x.capture(0)).id();
        boolean stream = x.flag("stream", true) && !x.flag("one-shot", false);
        OutputStream out = x.stream(200, "application/json");
        Map<String, Object> pre = null;
        try {
            do {
                var samples = engine.stats(List.of(id));
                if (samples.isEmpty()) break;
                Map<String, Object> now = statsJson(samples.getFirst());
                Map<String, Object> body = new LinkedHashMap<>(now);
                body.put("preread", pre == null ? DockerViews.ZERO_TIME : pre.get("read"));
                body.put("precpu_stats", pre == null ? Map.of("cpu_usage", Map.of("total_usage", 0), "system_cpu_usage", 0,
                        "online_cpus", Runtime.getRuntime().availableProcessors()) : pre.get("cpu_stats"));
                out.write((Json.write(body) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                pre = now;
                if (stream) Thread.sleep(1000);
            } while (stream && engine.inspect(id).status().isActive());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JpodException gone) {
            // the container went away while streaming: the stream ends
        } finally {
            out.close();
        }
    }

    private static Map<String, Object> statsJson(ContainerEngine.StatsSample s) {
        var u = s.usage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", s.at().toString());
        m.put("name", "/" + s.container().name());
        m.put("id", s.container().id());
        m.put("pids_stats", Map.of("current", u.pids()));
        m.put("memory_stats", Map.of("usage", u.memoryBytes(), "limit", u.memoryLimit(), "stats", Map.of()));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", Map.of("total_usage", u.cpuNanos(), "usage_in_kernelmode", 0, "usage_in_usermode", 0));
        cpu.put("system_cpu_usage", systemCpuNanos());
        cpu.put("online_cpus", Runtime.getRuntime().availableProcessors());
        cpu.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        m.put("cpu_stats", cpu);
        m.put("blkio_stats", Map.of("io_service_bytes_recursive", List.of(
                Map.of("major", 0, "minor", 0, "op", "read", "value", u.blockRead()),
                Map.of("major", 0, "minor", 0, "op", "write", "value", u.blockWrite()))));
        m.put("networks", Map.of("eth0", Map.of("rx_bytes", u.netRx(), "tx_bytes", u.netTx(), "rx_packets", 0, "tx_packets", 0,
                "rx_errors", 0, "tx_errors", 0, "rx_dropped", 0, "tx_dropped", 0)));
        return m;
    }

    /** The host's CPU time in nanoseconds (the first line of /proc/stat, in USER_HZ ticks), as dockerd reports it. */
    private static long systemCpuNanos() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElse("cpu").trim().split("\\s+");
            long ticks = 0;
            for (int i = 1; i < f.length && i <= 8; i++) ticks += Long.parseLong(f[i]);
            return ticks * 10_000_000L; // USER_HZ is 100
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** X-Docker-Container-Path-Stat: base64 JSON of name, size, mode (Go's FileMode bits), mtime and link target. */
    private void pathStat(Exchange x, ContainerEngine.PathStat st) {
        long mode = st.mode() | (st.directory() ? 1L << 31 : 0) | (st.symlink() ? 1L << 27 : 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("size", st.size());
        m.put("mode", mode);
        m.put("mtime", st.modified().toString());
        m.put("linkTarget", st.linkTarget());
        x.response.getHeaders().put("X-Docker-Container-Path-Stat",
                java.util.Base64.getEncoder().encodeToString(Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** HEAD: the stat header alone; GET: the path as a tar (a created container's files too). */
    private void getArchive(Exchange x) throws IOException {
        String path = x.param("path");
        if (path == null || path.isEmpty()) throw JpodException.invalid("archive needs ?path=PATH");
        String id = engine.inspect(x.capture(0)).id();
        pathStat(x, engine.stat(id, path));
        if (x.method.equals("HEAD")) {
            x.empty(200);
            return;
        }
        try (OutputStream out = x.stream(200, "application/x-tar")) {
            engine.copyFromContainer(id, path, out);
        }
    }

    /** PUT: a tar unpacked into the directory at path, through the same no-escape checks as cp. */
    private void putArchive(Exchange x) {
        String path = x.param("path");
        if (path == null || path.isEmpty()) throw JpodException.invalid("archive needs ?path=PATH");
        String id = engine.inspect(x.capture(0)).id();
        ContainerEngine.PathStat st = engine.stat(id, path);
        if (!st.directory()) throw JpodException.invalid("extraction point is not a directory: " + path);
        engine.copyToContainer(id, x.bodyStream(), path);
        x.empty(200);
    }

    /** The first report's failure as thrown; else a 204. */
    private static void done(Exchange x, List<Report> reports) {
        for (Report r : reports) if (!r.succeeded()) throw r.error();
        x.empty(204);
    }

    private void list(Exchange x) {
        boolean all = x.flag("all", false);
        Integer limit = x.intParam("limit");
        Map<String, List<String>> filters = filters(x.param("filters"));
        Instant now = Instant.now();
        List<Map<String, Object>> out = new ArrayList<>();
        List<Container> cs = new ArrayList<>(engine.list());
        cs.sort((a, b) -> b.config().created().compareTo(a.config().created()));
        for (Container c : cs) {
            if (!all && !c.status().isActive() && !filters.containsKey("status")) continue;
            if (!matches(c, filters)) continue;
            Map<String, Object> m = DockerViews.summary(c, engine.endpoints(c), now);
            if (x.flag("size", false)) sizes(c, m);
            out.add(m);
            if (limit != null && limit > 0 && out.size() >= limit) break;
        }
        x.json(200, out);
    }

    /** size=1: SizeRw (what the container wrote: its overlay upper dir) and SizeRootFs (that plus its image). */
    private void sizes(Container c, Map<String, Object> m) {
        long rw = treeSize(engine.layout().upper(c.id()));
        long image = 0;
        try {
            image = engine.inspectImage(c.config().imageId()).size();
        } catch (JpodException gone) {
            // the image was removed under the container: its layers are still there, their size unknown
        }
        m.put("SizeRw", rw);
        m.put("SizeRootFs", rw + image);
    }

    private static long treeSize(java.nio.file.Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) return 0;
        try (var walk = java.nio.file.Files.walk(dir)) {
            return walk.filter(p -> java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return java.nio.file.Files.size(p);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** Docker's filters: {"status": ["running"], "name": ["web"], "label": ["a=b"], "id": [...]} (or the old map form). */
    static Map<String, List<String>> filters(String json) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return f;
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (RuntimeException e) {
            throw JpodException.invalid("invalid filters: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) throw JpodException.invalid("invalid filters: expected a JSON object");
        m.forEach((k, v) -> {
            List<String> vals = new ArrayList<>();
            if (v instanceof List<?> l) l.forEach(o -> vals.add(String.valueOf(o)));
            else if (v instanceof Map<?, ?> mm) mm.forEach((kk, on) -> { if (Boolean.TRUE.equals(on)) vals.add(String.valueOf(kk)); });
            else vals.add(String.valueOf(v));
            f.put(String.valueOf(k), vals);
        });
        return f;
    }

    private static boolean matches(Container c, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            boolean any = false;
            for (String v : e.getValue()) {
                any |= switch (e.getKey()) {
                    case "status" -> c.status().word().equals(v);
                    case "name" -> c.name().matches(".*" + java.util.regex.Pattern.quote(v.startsWith("/") ? v.substring(1) : v) + ".*");
                    case "id" -> c.id().startsWith(v);
                    case "label" -> {
                        int eq = v.indexOf('=');
                        yield eq < 0 ? c.config().labels().containsKey(v) : v.substring(eq + 1).equals(c.config().labels().get(v.substring(0, eq)));
                    }
                    case "ancestor" -> c.config().image().equals(v) || c.config().image().equals(v + ":latest") || c.config().imageId().startsWith(v.replace("sha256:", ""));
                    case "exited" -> !c.status().isActive() && String.valueOf(c.state().exitCode()).equals(v);
                    case "network" -> io.jpod.core.ContainerNetworking.networkNames(c.config().networkMode()).contains(v)
                            || (v.equals("bridge") && c.config().networkMode().equals(io.jpod.network.Network.DEFAULT));
                    default -> throw JpodException.invalid("invalid filter '" + e.getKey() + "'");
                };
            }
            if (!any) return false;
        }
        return true;
    }

    private void create(Exchange x) {
        CreateOptions o = CreateBody.parse(x.jsonBody(), x.param("name"));
        try {
            engine.inspectImage(o.image());
        } catch (JpodException e) {
            // clients pull on this 404 and try again
            if (e.code() == ErrorCode.NOT_FOUND) throw JpodException.notFound("No such image: " + o.image());
            throw e;
        }
        Container c;
        try {
            c = engine.create(o);
        } catch (JpodException e) {
            if (e.code() == ErrorCode.ALREADY_EXISTS) {
                throw new JpodException(ErrorCode.ALREADY_EXISTS, "Conflict. The container name \"/" + o.name() + "\" is already in use: " + e.getMessage());
            }
            throw e;
        }
        x.json(201, Map.of("Id", c.id(), "Warnings", List.of()));
    }

    private void inspect(Exchange x) {
        Container c = engine.inspect(x.capture(0));
        Map<String, Object> health = null;
        if (c.config().healthcheck() != null) {
            Map<String, Object> h = io.jpod.core.HealthState.read(engine.layout().healthFile(c.id())).inspectJson();
            health = h;
        }
        x.json(200, DockerViews.inspect(c, engine.endpoints(c), engine.layout(), health));
    }

    private void start(Exchange x) {
        Container c = engine.inspect(x.capture(0));
        PendingAttach p = pending.remove(c.id());
        if (p == null) {
            if (c.status().isActive()) {
                x.empty(304); // already started
                return;
            }
            done(x, engine.start(List.of(c.id())));
            return;
        }
        // an attach is waiting: it streams from the very start, so nothing is lost
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread.ofVirtual().name("jpod-api-attached-" + c.id().substring(0, 12)).start(() -> {
            try {
                int code = engine.startAttached(c.id(), p.options(), p.streams(), s -> started.complete(null));
                exitCodes.put(c.id(), code);
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            } finally {
                p.done().complete(null);
            }
        });
        try {
            started.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
        x.empty(204);
    }

    private void stop(Exchange x) {
        Container c = engine.inspect(x.capture(0));
        if (!c.status().isActive()) {
            x.empty(304);
            return;
        }
        done(x, engine.stop(List.of(c.id()), false, x.intParam("t")));
    }

    private void restart(Exchange x) {
        done(x, engine.restart(List.of(x.capture(0)), false, x.intParam("t")));
    }

    private void kill(Exchange x) {
        Container c = engine.inspect(x.capture(0));
        if (!c.status().isActive()) {
            throw new JpodException(ErrorCode.INVALID_STATE, "Cannot kill container: " + x.capture(0) + ": Container " + c.id() + " is not running");
        }
        int signal = io.jpod.core.Signals.parse(x.param("signal", "SIGKILL"));
        done(x, engine.kill(List.of(c.id()), false, signal));
    }

    private void rename(Exchange x) {
        String name = x.param("name");
        if (name == null || name.isEmpty()) throw JpodException.invalid("rename needs ?name=NEW_NAME");
        engine.rename(x.capture(0), name);
        x.empty(204);
    }

    private void remove(Exchange x) {
        done(x, engine.remove(List.of(x.capture(0)), x.flag("force", false), x.flag("v", false)));
    }

    private void prune(Exchange x) {
        List<String> deleted = new ArrayList<>();
        for (Container c : engine.list()) {
            if (c.status().isActive()) continue;
            for (Report r : engine.remove(List.of(c.id()), false)) if (r.succeeded()) deleted.add(c.id());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContainersDeleted", deleted);
        m.put("SpaceReclaimed", 0);
        x.json(200, m);
    }

    /**
     * wait?condition=not-running (default) | next-exit | removed. The status line goes out at once (so a client
     * knows the wait is registered before it starts the container); the body when the condition holds, with the
     * exit code even when the container is gone by then (auto-remove): from this service's own runs, or the
     * event log's "died".
     */
    private void await(Exchange x) throws IOException {
        String condition = x.param("condition", "not-running");
        if (!List.of("not-running", "next-exit", "removed").contains(condition)) {
            throw JpodException.invalid("invalid condition: \"" + condition + "\": use not-running, next-exit or removed");
        }
        Container c = engine.inspect(x.capture(0));
        String id = c.id();
        Instant since = Instant.now().minusSeconds(1);
        boolean sawRunning = c.status().isActive();
        Instant firstFinished = c.state().finishedAt();
        // next-exit on a container that exited just now: the start overtook this wait (clients send both at once)
        boolean justExited = !sawRunning && c.state().finishedAt() != null
                && c.state().finishedAt().isAfter(Instant.now().minusSeconds(2)) && c.state().startedAt() != null
                && !c.state().startedAt().equals(Instant.EPOCH);
        OutputStream out = x.stream(200, "application/json");
        out.flush();
        Integer code = null;
        while (true) {
            Container now;
            try {
                now = engine.inspect(id);
            } catch (JpodException e) {
                if (e.code() != ErrorCode.NOT_FOUND) throw e;
                code = goneCode(id, since);
                break;
            }
            boolean active = now.status().isActive();
            sawRunning |= active;
            boolean exitedSince = now.state().finishedAt() != null && !now.state().finishedAt().equals(firstFinished);
            if (!condition.equals("removed") && !active) {
                if (condition.equals("not-running") || sawRunning || exitedSince || justExited) {
                    code = now.state().exitCode();
                    break;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("StatusCode", code == null ? 0 : code);
        body.put("Error", null);
        out.write((Json.write(body) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.close();
    }

    /** The exit code of a container that is gone: this service's own record, else the log's last "died". */
    private Integer goneCode(String id, Instant since) {
        Integer own = exitCodes.remove(id);
        if (own != null) return own;
        for (int i = 0; i < 20; i++) { // the remover writes "died" before "remove"; give it a moment
            Integer died = null;
            for (var e : engine.events(since, null)) {
                if (id.equals(e.id()) && e.status().equals("died") && e.exitCode() != null) died = e.exitCode();
            }
            if (died != null) return died;
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }

    /** Logs as Docker frames them: 8-byte headers (1 stdout, 2 stderr) without a TTY, raw with one. */
    private void logs(Exchange x) throws IOException {
        Container c = engine.inspect(x.capture(0));
        boolean stdout = x.flag("stdout", false), stderr = x.flag("stderr", false);
        if (!stdout && !stderr) throw JpodException.invalid("Bad parameters: you must choose at least one stream");
        String tailP = x.param("tail", "all");
        int tail;
        try {
            tail = tailP.equals("all") ? -1 : Integer.parseInt(tailP);
        } catch (NumberFormatException e) {
            throw JpodException.invalid("invalid tail \"" + tailP + "\": use a number or all");
        }
        Instant since = x.time("since"), until = x.time("until");
        boolean tty = c.config().tty();
        OutputStream body = x.stream(200, tty ? Hijack.RAW_STREAM : Hijack.MULTIPLEXED);
        OutputStream out = stdout ? Frames.of(body, 1, !tty) : OutputStream.nullOutputStream();
        OutputStream err = stderr ? Frames.of(body, 2, !tty) : OutputStream.nullOutputStream();
        try {
            engine.logs(c.id(), new LogReader.Options(x.flag("follow", false), tail, since, until, x.flag("timestamps", false)), out, err);
        } finally {
            body.close();
        }
    }

    /**
     * attach?stream=1&stdin=1&stdout=1&stderr=1: hijacks the connection. A running container streams at once; a
     * created one waits for its start (docker run attaches first), which then streams it from its first byte.
     */
    private void attach(Exchange x) throws IOException {
        Container c = engine.inspect(x.capture(0));
        boolean tty = c.config().tty();
        boolean stdin = x.flag("stdin", false), stdout = x.flag("stdout", false), stderr = x.flag("stderr", false);
        if (!x.flag("stream", false) && !x.flag("logs", false)) throw JpodException.invalid("Bad parameters: you must choose at least one stream");
        String detachKeys = x.param("detachKeys");
        AttachOptions options = new AttachOptions(stdin, detachKeys == null ? null : io.jpod.engine.DetachKeys.parse(detachKeys), false);
        boolean waitForStart = !c.status().isActive();
        CompletableFuture<Hijack> up = Hijack.upgrade(x, tty);
        if (up == null) {
            // a client that did not ask for the upgrade: Docker's older form, the output as a streamed body (no stdin)
            OutputStream body = x.stream(200, tty ? Hijack.RAW_STREAM : Hijack.MULTIPLEXED);
            body.flush();
            Streams s = new Streams(null, stdout ? Frames.of(body, 1, !tty) : OutputStream.nullOutputStream(),
                    stderr ? Frames.of(body, 2, !tty) : OutputStream.nullOutputStream(), -1, -1, -1);
            AttachOptions noStdin = new AttachOptions(false, options.detachKeys(), false);
            try {
                if (waitForStart) {
                    PendingAttach p = new PendingAttach(s, noStdin, null, stdout, new CompletableFuture<>());
                    pending.put(c.id(), p);
                    p.done().join();
                } else {
                    exitCodes.put(c.id(), engine.attach(c.id(), noStdin, s));
                }
            } finally {
                body.close();
            }
            return;
        }
        Thread.ofVirtual().name("jpod-api-attach-" + c.id().substring(0, 12)).start(() -> {
            Hijack h;
            try {
                h = up.get();
            } catch (Exception e) {
                return; // the client went away before the switch
            }
            Streams s = new Streams(stdin ? h.input() : null, stdout ? h.output(1, !tty) : OutputStream.nullOutputStream(),
                    stderr ? h.output(2, !tty) : OutputStream.nullOutputStream(), -1, -1, -1);
            try {
                if (waitForStart) {
                    PendingAttach p = new PendingAttach(s, options, h, stdout, new CompletableFuture<>());
                    pending.put(c.id(), p);
                    p.done().join();
                } else {
                    exitCodes.put(c.id(), engine.attach(c.id(), options, s));
                }
            } catch (RuntimeException e) {
                log.accept("attach to " + c.id().substring(0, 12) + ": " + e.getMessage());
            } finally {
                h.closeOutput();
                h.closeAll();
            }
        });
    }

    private void top(Exchange x) {
        String args = x.param("ps_args", "");
        List<String> descriptors = args.isBlank() ? io.jpod.core.TopTable.DEFAULT : List.of(args.strip().split("[ ,]+"));
        io.jpod.core.TopTable t = engine.top(x.capture(0), descriptors);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Titles", t.headers());
        m.put("Processes", t.rows());
        x.json(200, m);
    }
}
