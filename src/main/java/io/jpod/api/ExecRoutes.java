package io.jpod.api;

import io.jpod.core.Container;
import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.ExecOptions;
import io.jpod.engine.Streams;

import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Docker's exec: create records the command (nothing runs yet), start runs it through the engine's exec session
 * (hijacked, or detached), inspect reports Running and ExitCode. Execs live as long as the service.
 */
final class ExecRoutes {
    private final ContainerEngine engine;
    private final Consumer<String> log;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();

    private static final class Exec {
        final String id, containerId;
        final ExecOptions options;
        final boolean stdin, stdout, stderr;
        volatile boolean running, started;
        volatile Integer exitCode;
        volatile ContainerEngine.ExecSession session;
        volatile int[] consoleSize;

        Exec(String id, String containerId, ExecOptions options, boolean stdin, boolean stdout, boolean stderr) {
            this.id = id;
            this.containerId = containerId;
            this.options = options;
            this.stdin = stdin;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    ExecRoutes(ContainerEngine engine, Consumer<String> log) {
        this.engine = engine;
        this.log = log;
    }

    void install(ApiHandler h) {
        h.on("POST", "/containers/([^/]+)/exec", this::create);
        h.on("POST", "/exec/([^/]+)/start", this::start);
        h.on("GET", "/exec/([^/]+)/json", this::inspect);
        h.on("POST", "/exec/([^/]+)/resize", this::resize);
    }

    private void create(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        Container c = engine.inspect(x.capture(0));
        if (!c.status().isActive()) {
            throw new JpodException(ErrorCode.INVALID_STATE, "Container " + c.id() + " is not running");
        }
        List<String> cmd = CreateBody.strings(b, "Cmd");
        if (cmd == null || cmd.isEmpty()) throw JpodException.invalid("No exec command specified");
        List<String> env = CreateBody.strings(b, "Env");
        String user = CreateBody.str(b, "User"), dir = CreateBody.str(b, "WorkingDir"), keys = CreateBody.str(b, "DetachKeys");
        ExecOptions o = new ExecOptions(cmd, env == null ? List.of() : env, user == null || user.isEmpty() ? null : user,
                dir == null || dir.isEmpty() ? null : dir, CreateBody.bool(b, "AttachStdin"), CreateBody.bool(b, "Tty"), false,
                CreateBody.bool(b, "Privileged"), keys == null ? null : io.jpod.engine.DetachKeys.parse(keys));
        String id = io.jpod.core.Names.newId();
        execs.put(id, new Exec(id, c.id(), o, CreateBody.bool(b, "AttachStdin"), CreateBody.bool(b, "AttachStdout"),
                CreateBody.bool(b, "AttachStderr")));
        x.json(201, Map.of("Id", id));
    }

    private Exec exec(String id) {
        Exec e = execs.get(id);
        if (e == null) throw JpodException.notFound("No such exec instance: " + id);
        return e;
    }

    private void start(Exchange x) {
        Exec e = exec(x.capture(0));
        Map<String, Object> b = x.jsonBody();
        synchronized (e) {
            if (e.started) throw new JpodException(ErrorCode.INVALID_STATE, "exec " + e.id + " has already been started");
            e.started = true;
        }
        boolean tty = e.options.tty() || CreateBody.bool(b, "Tty");
        if (b.get("ConsoleSize") instanceof List<?> cs && cs.size() == 2 && cs.get(0) instanceof Number h && cs.get(1) instanceof Number w
                && h.intValue() > 0 && w.intValue() > 0) {
            e.consoleSize = new int[] {h.intValue(), w.intValue()};
        }
        if (CreateBody.bool(b, "Detach")) {
            e.running = true;
            engine.execDetached(e.containerId, e.options);
            x.empty(200);
            return;
        }
        CompletableFuture<Hijack> up = Hijack.upgrade(x, tty);
        if (up == null) {
            // no upgrade asked for: the output is the body, as Docker's older clients read it
            OutputStream body = x.stream(200, tty ? Hijack.RAW_STREAM : Hijack.MULTIPLEXED);
            run(e, new Streams(null, Frames.of(body, 1, !tty), Frames.of(body, 2, !tty), -1, -1, -1));
            try {
                body.close();
            } catch (java.io.IOException ignored) {
                // the client went away
            }
            return;
        }
        Thread.ofVirtual().name("jpod-api-exec-" + e.id.substring(0, 12)).start(() -> {
            Hijack h;
            try {
                h = up.get();
            } catch (Exception gone) {
                return;
            }
            try {
                run(e, new Streams(e.stdin ? h.input() : null, e.stdout ? h.output(1, !tty) : OutputStream.nullOutputStream(),
                        e.stderr ? h.output(2, !tty) : OutputStream.nullOutputStream(), -1, -1, -1));
            } finally {
                h.closeOutput();
                h.closeAll();
            }
        });
    }

    private void run(Exec e, Streams s) {
        e.running = true;
        try {
            e.exitCode = engine.exec(e.containerId, e.options, s, e.consoleSize, session -> e.session = session);
        } catch (io.jpod.core.ContainerRuntime.StartFailedException ex) {
            e.exitCode = ex.exitCode(); // 126/127, as the CLI's exec exits
            log.accept("exec " + e.id.substring(0, 12) + ": " + ex.getMessage());
        } catch (JpodException ex) {
            e.exitCode = 126;
            log.accept("exec " + e.id.substring(0, 12) + ": " + ex.getMessage());
        } finally {
            e.running = false;
        }
    }

    /** POST /exec/ID/resize?h=&w=: the session's terminal; before it runs, the size it will start with. */
    private void resize(Exchange x) {
        Exec e = exec(x.capture(0));
        Integer rows = x.intParam("h"), cols = x.intParam("w");
        if (rows == null || cols == null || rows <= 0 || cols <= 0) throw JpodException.invalid("resize needs ?h=ROWS&w=COLUMNS");
        ContainerEngine.ExecSession s = e.session;
        if (s != null) s.resize(rows, cols);
        else e.consoleSize = new int[] {rows, cols};
        x.empty(201);
    }

    private void inspect(Exchange x) {
        Exec e = exec(x.capture(0));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id);
        m.put("Running", e.running);
        m.put("ExitCode", e.exitCode);
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("tty", e.options.tty());
        pc.put("entrypoint", e.options.command().getFirst());
        pc.put("arguments", e.options.command().subList(1, e.options.command().size()));
        pc.put("privileged", e.options.privileged());
        pc.put("user", e.options.user() == null ? "" : e.options.user());
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", e.stdin);
        m.put("OpenStderr", e.stderr);
        m.put("OpenStdout", e.stdout);
        m.put("CanRemove", !e.running && e.started);
        m.put("ContainerID", e.containerId);
        m.put("DetachKeys", "");
        m.put("Pid", 0);
        x.json(200, m);
    }
}
