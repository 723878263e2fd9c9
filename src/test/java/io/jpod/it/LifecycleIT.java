package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import io.jpod.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jpod.it.JpodCli.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container lifecycle through the real bin/jpod, runc, conmon and overlayfs: run, create, start, stop, kill,
 * pause, restart, rename, wait, exec, logs, ps, inspect, top, images, rm; and what each leaves behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LifecycleIT extends CliIT {

    static String id(Result r) {
        String id = r.out();
        assertTrue(id.matches("[0-9a-f]{64}"), () -> "expected a 64-hex container ID: " + r);
        return id;
    }

    static String inspect(String format, String container) {
        Result r = cli.ok("inspect", "--format", format, container);
        return r.out();
    }

    /** `ps -a --format {{.Names}} {{.Status}}` line for one container, or null. */
    static String psLine(String name) {
        for (String l : cli.ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").lines()) {
            if (l.startsWith(name + " ")) return l;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inspectJson(String container) {
        Result r = cli.ok("inspect", container);
        List<Object> l = (List<Object>) Json.parse(r.stdout());
        assertEquals(1, l.size(), r::toString);
        return (Map<String, Object>) l.getFirst();
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> m, String dotted) {
        Object v = m;
        for (String k : dotted.split("\\.")) v = ((Map<String, Object>) v).get(k);
        return v;
    }

    /** Asserts nothing of one container is left: its mount, its conmon, its runc state. */
    static void assertReleased(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> mounts = cli.mounts().stream().filter(m -> m.contains(id)).toList();
            List<JpodCli.Proc> conmons = cli.conmons().stream().filter(p -> p.argv().contains(id)).toList();
            boolean runc = cli.runcState().contains(id);
            if (mounts.isEmpty() && conmons.isEmpty() && !runc) return;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " still holds: mounts " + mounts + ", conmon " + conmons
                        + ", runc state " + runc);
            }
            JpodCli.pause(50);
        }
    }

    // ------------------------------------------------------------------ run

    @Test
    void runRmPrintsOutputAndLeavesNothing() {
        Result r = cli.run("run", "--rm", IMAGE, "echo", "hello");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("hello\n", r.stdout(), r::toString);
        assertEquals("", r.stderr(), r::toString);
        // gone at once: no container, no rootfs mount, no runc state
        assertEquals("", cli.ok("ps", "-a", "-q").stdout());
        assertEquals(List.of(), cli.mounts(), "rootfs still mounted after run --rm returned");
        assertEquals(List.of(), cli.runcState(), "runc state left after run --rm returned");
        // conmon ends by itself (after its exit command) within moments
        assertTrue(cli.awaitNoProcesses(Duration.ofSeconds(5)), () -> "conmon/jpod still running: " + cli.processes());
        assertEquals(List.of(), cli.leftovers());
    }

    @Test
    void runReturnsTheContainersExitCodeAndPsShowsIt() {
        String n = cli.name("three");
        Result r = cli.run("run", "--name", n, IMAGE, "sh", "-c", "exit 3");
        assertEquals(3, r.exit(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        assertEquals("", r.stderr(), r::toString);
        String line = psLine(n);
        assertTrue(line != null && line.startsWith(n + " Exited (3) "), "ps -a should show Exited (3): " + line);
        Result table = cli.ok("ps", "-a");
        assertTrue(table.lines().getFirst().startsWith("CONTAINER ID  IMAGE"), table::toString);
        assertTrue(table.stdout().contains("Exited (3)") && table.stdout().contains(n), table::toString);
        assertEquals("exited 3", inspect("{{.State.Status}} {{.State.ExitCode}}", n));
        // an exited container keeps its storage but holds no mount, conmon or runc state
        assertReleased(inspect("{{.Id}}", n));
    }

    @Test
    void attachedRunProxiesSignalsToTheContainer() throws Exception {
        // podman's --sig-proxy: Ctrl-C reaches the container, which exits by its own trap; --rm then removes it
        String name = cli.name("sigproxy");
        JpodCli.Running r = cli.start(null, "run", "--rm", "--name", name, IMAGE, "sh", "-c",
                "trap 'echo got-int; exit 9' INT; echo ready; while :; do sleep 0.1; done");
        // "ready" is printed once the trap is in place: a SIGINT before it would be ignored by PID 1
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!cli.run("logs", name).stdout().contains("ready")) {
            assertTrue(System.nanoTime() < deadline, "the container never got ready");
            Thread.sleep(50);
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(r.process().pid())).start();
        assertEquals(0, kill.waitFor());
        Result done = r.await(java.time.Duration.ofSeconds(20));
        assertEquals(9, done.exit(), done::toString);
        assertTrue(done.stdout().contains("got-int"), done::toString);
        assertEquals("", cli.ok("ps", "-a", "-q", "--filter", "name=" + name).out(), "--rm removed it");
    }

    @Test
    void initRunsCatatonitAsPidOne() {
        Result r = cli.ok("run", "--rm", "--init", IMAGE, "ps", "-o", "pid,args");
        List<String> lines = r.lines();
        assertTrue(lines.get(1).strip().startsWith("1 /run/podman-init -- ps"), r::toString);
        assertTrue(lines.stream().anyMatch(l -> l.strip().matches("\\d+ ps -o pid,args")), r::toString);
    }

    @Test
    void aReaderThatGoesAwayEndsTheRunAndRmRemovesTheContainer() throws Exception {
        // `jpod run --rm IMG yes | head -2` must not hang on a container that never ends
        String name = cli.name("pipe");
        String jpod = String.join(" ", cli.argv("run", "--rm", "--name", name, IMAGE, "yes"));
        Process p = new ProcessBuilder("bash", "-c", jpod + " | head -2; echo \"status=${PIPESTATUS[0]}\"")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jpod run | head -2 hung");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals("y\ny\nstatus=141\n", out, "two lines, then the exit status a SIGPIPE'd writer reports");
        assertEquals("", cli.ok("ps", "-a", "-q", "--filter", "name=" + name).out(), "--rm removed it");
    }

    @Test
    void rmiOfOneOfSeveralNamesOnlyUntags() {
        String extra = "localhost/" + cli.name("alias");
        cli.ok("tag", IMAGE, extra);
        Result r = cli.ok("rmi", extra);
        assertEquals("Untagged: " + extra + ":latest", r.out(), "podman only untags when other names remain");
        String images = cli.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out();
        assertTrue(images.contains("localhost/busybox:latest"), images);
        assertFalse(images.contains(extra), images);
        cli.ok("run", "--rm", IMAGE, "true"); // the image and its layer are still there
    }

    @Test
    void runInteractiveForwardsStdin() {
        Result r = cli.runWithInput("hello\n", "run", "-i", "--rm", IMAGE, "cat");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("hello\n", r.stdout(), r::toString);
        // without -i the container's stdin is /dev/null, as with podman
        Result no = cli.runWithInput("hello\n", "run", "--rm", IMAGE, "cat");
        assertEquals(0, no.exit(), no::toString);
        assertEquals("", no.stdout(), no::toString);
    }

    @Test
    void createThenStartAttached() {
        String n = cli.name("created");
        id(cli.ok("create", "--name", n, IMAGE, "echo", "from create"));
        assertTrue(psLine(n).startsWith(n + " Created"), psLine(n));
        assertEquals("created", inspect("{{.State.Status}}", n));
        assertEquals(List.of(), cli.mounts(), "create must not mount anything yet");
        Result r = cli.run("start", "-a", n);
        assertEquals(0, r.exit(), r::toString);
        assertEquals("from create\n", r.stdout(), r::toString);
        assertEquals("", r.stderr(), r::toString);

        String n5 = cli.name("created5");
        cli.ok("create", "--name", n5, IMAGE, "sh", "-c", "echo five; exit 5");
        Result r5 = cli.run("start", "-a", n5);
        assertEquals(5, r5.exit(), r5::toString);
        assertEquals("five\n", r5.stdout(), r5::toString);
    }

    // ------------------------------------------------------------------ a detached server, through its whole life

    @Test
    void detachedServerLifecycle() {
        String web = cli.name("web");
        // sh traps TERM (PID 1 ignores signals it has no handler for) so stop and kill -s TERM end it at once
        String id = id(cli.ok("run", "-d", "--name", web, IMAGE, "sh", "-c",
                "trap 'exit 0' TERM; echo started; httpd -f -p 8080 & wait"));
        assertTrue(psLine(web).startsWith(web + " Up "), psLine(web));
        Result ps = cli.ok("ps");
        assertTrue(ps.stdout().contains(id.substring(0, 12)) && ps.stdout().contains(web), ps::toString);
        assertEquals("running true", inspect("{{.State.Status}} {{.State.Running}}", web));
        int pid = Integer.parseInt(inspect("{{.State.Pid}}", web));
        assertTrue(pid > 0 && Files.exists(Path.of("/proc/" + pid)), "State.Pid should be a live process: " + pid);
        assertTrue(cli.mounts().stream().anyMatch(m -> m.contains(id)), "a running container has its rootfs mounted");
        assertTrue(cli.runcState().contains(id), "runc knows a running container");
        assertEquals(1, cli.conmons().stream().filter(p -> p.argv().contains(id)).count(), "one conmon per container");

        // exec
        Result ls = cli.ok("exec", web, "ls", "/");
        assertTrue(ls.lines().contains("bin") && ls.lines().contains("etc"), ls::toString);
        Result seven = cli.run("exec", web, "sh", "-c", "exit 7");
        assertEquals(7, seven.exit(), seven::toString);
        assertEquals("", seven.stderr(), seven::toString);
        assertEquals("hi\n", cli.ok("exec", web, "echo", "hi").stdout());

        // logs
        awaitLogs(web, "started\n");

        // top
        Result top = cli.ok("top", web);
        assertTrue(top.lines().getFirst().contains("PID") && top.lines().getFirst().contains("COMMAND"), top::toString);
        assertTrue(top.stdout().contains("httpd -f -p 8080"), () -> "top should show httpd: " + top);

        // pause / unpause
        assertEquals(web + "\n", cli.ok("pause", web).stdout());
        assertEquals("paused true", inspect("{{.State.Status}} {{.State.Paused}}", web));
        assertEquals(web + "\n", cli.ok("unpause", web).stdout());
        assertEquals("running false", inspect("{{.State.Status}} {{.State.Paused}}", web));
        assertEquals("hi\n", cli.ok("exec", web, "echo", "hi").stdout(), "an unpaused container runs again");

        // stop
        assertEquals(web + "\n", cli.ok("stop", web).stdout());
        assertTrue(psLine(web).startsWith(web + " Exited (0) "), psLine(web));
        assertEquals("exited false", inspect("{{.State.Status}} {{.State.Running}}", web));
        assertReleased(id);
        assertEquals("", cli.ok("ps", "-q").stdout(), "ps without -a lists running containers only");

        // start again, then restart: a new process each time
        assertEquals(web + "\n", cli.ok("start", web).stdout());
        assertTrue(psLine(web).startsWith(web + " Up "), psLine(web));
        int pid2 = Integer.parseInt(inspect("{{.State.Pid}}", web));
        assertNotEquals(pid, pid2);
        assertEquals(web + "\n", cli.ok("restart", web).stdout());
        assertEquals("running true", inspect("{{.State.Status}} {{.State.Running}}", web));
        int pid3 = Integer.parseInt(inspect("{{.State.Pid}}", web));
        assertNotEquals(pid2, pid3);
        assertFalse(Files.exists(Path.of("/proc/" + pid2)), "restart should end the old process " + pid2);

        // kill -s TERM: the trap exits 0
        assertEquals(web + "\n", cli.ok("kill", "-s", "TERM", web).stdout());
        assertEquals("0\n", cli.ok("wait", web).stdout());
        assertTrue(psLine(web).startsWith(web + " Exited (0) "), psLine(web));

        // rm
        assertEquals(web + "\n", cli.ok("rm", web).stdout());
        assertEquals("", cli.ok("ps", "-a", "-q").stdout());
        assertReleased(id);
        assertEquals(List.of(), cli.awaitNoLeftovers(Duration.ofSeconds(5)));
    }

    static void awaitLogs(String container, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Result r;
        do {
            r = cli.ok("logs", container);
            if (r.stdout().equals(expected)) return;
            JpodCli.pause(100);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, r.stdout(), r.toString());
    }

    // ------------------------------------------------------------------ stop, kill, wait, rename

    @Test
    void stopWithTimeZeroKillsAtOnce() {
        String n = cli.name("t0");
        String id = id(cli.ok("run", "-d", "--name", n, IMAGE, "sleep", "100"));
        Result stop = cli.ok("stop", "-t", "0", n);
        assertEquals(n + "\n", stop.stdout());
        assertTrue(stop.took().toMillis() < 5000, stop::toString);
        assertEquals("exited 137", inspect("{{.State.Status}} {{.State.ExitCode}}", n));
        assertReleased(id);
        // stopping a stopped container is no error
        assertEquals(n + "\n", cli.ok("stop", n).stdout());
    }

    @Test
    void stopFallsBackToSigkillWhenTermIsIgnored() {
        String n = cli.name("deaf");
        String id = id(cli.ok("run", "-d", "--name", n, IMAGE, "sh", "-c", "trap '' TERM; sleep 100"));
        Result stop = cli.run("stop", "-t", "1", n);
        assertEquals(0, stop.exit(), stop::toString);
        assertEquals(n + "\n", stop.stdout(), stop::toString);
        assertTrue(stop.took().toMillis() >= 1000, () -> "stop -t 1 must give the process 1 s: " + stop);
        assertTrue(stop.took().toMillis() < 8000, () -> "stop -t 1 should SIGKILL after 1 s: " + stop);
        assertEquals(1, stop.errLines().size(), stop::toString);
        assertTrue(stop.stderr().contains("StopSignal SIGTERM failed to stop container " + n
                + " in 1 seconds, resorting to SIGKILL"), stop::toString);
        assertEquals("exited 137", inspect("{{.State.Status}} {{.State.ExitCode}}", n));
        assertReleased(id);

        // --stop-timeout sets the default for a plain stop
        String n2 = cli.name("deaf2");
        cli.ok("run", "-d", "--name", n2, "--stop-timeout", "1", IMAGE, "sh", "-c", "trap '' TERM; sleep 100");
        Result stop2 = cli.run("stop", n2);
        assertEquals(0, stop2.exit(), stop2::toString);
        assertTrue(stop2.took().toMillis() >= 1000 && stop2.took().toMillis() < 8000, stop2::toString);
        assertEquals("exited 137", inspect("{{.State.Status}} {{.State.ExitCode}}", n2));
    }

    @Test
    void waitPrintsTheExitCode() {
        String n = cli.name("w");
        cli.ok("run", "-d", "--name", n, IMAGE, "sh", "-c", "sleep 0.5; exit 4");
        Result w = cli.ok("wait", n);
        assertEquals("4\n", w.stdout());
        assertEquals("4\n", cli.ok("wait", n).stdout(), "wait on an exited container prints its code again");
        assertTrue(psLine(n).startsWith(n + " Exited (4) "), psLine(n));
    }

    @Test
    void renameKeepsTheContainer() {
        String a = cli.name("before"), b = cli.name("after");
        String id = id(cli.ok("create", "--name", a, IMAGE, "true"));
        Result r = cli.ok("rename", a, b);
        assertEquals("", r.stdout());
        assertEquals(id, inspect("{{.Id}}", b));
        assertEquals(b, inspect("{{.Name}}", id));
        assertEquals(b + "\n", cli.ok("ps", "-a", "--format", "{{.Names}}").stdout());
        Result old = cli.run("inspect", "--type", "container", a);
        assertEquals(125, old.exit(), old::toString);
    }

    // ------------------------------------------------------------------ logs

    @Test
    void logsFollowReturnsEveryLineAndEndsWithTheContainer() {
        String n = cli.name("follow");
        cli.ok("run", "-d", "--name", n, IMAGE, "sh", "-c", "echo one; sleep 1; echo two; sleep 1; echo three");
        Result f = cli.run(Duration.ofSeconds(20), "logs", "-f", n);
        assertEquals(0, f.exit(), f::toString);
        assertEquals("one\ntwo\nthree\n", f.stdout(), f::toString);
        assertEquals("", f.stderr(), f::toString);
        assertTrue(f.took().toMillis() >= 1000, () -> "logs -f should have followed the running container: " + f);
        assertTrue(f.took().toMillis() < 10_000, () -> "logs -f should end soon after the container: " + f);
        // on an exited container -f prints everything and ends
        Result again = cli.run(Duration.ofSeconds(10), "logs", "-f", n);
        assertEquals(0, again.exit(), again::toString);
        assertEquals("one\ntwo\nthree\n", again.stdout(), again::toString);
    }

    @Test
    void logsTailTimestampsAndStreams() {
        String n = cli.name("logs");
        Result run = cli.ok("run", "--name", n, IMAGE, "sh", "-c", "echo a; echo b; echo c");
        assertEquals("a\nb\nc\n", run.stdout());
        assertEquals("a\nb\nc\n", cli.ok("logs", n).stdout());
        assertEquals("c\n", cli.ok("logs", "--tail", "1", n).stdout());
        assertEquals("b\nc\n", cli.ok("logs", "--tail", "2", n).stdout());
        assertEquals("", cli.ok("logs", "--tail", "0", n).stdout());
        Result t = cli.ok("logs", "-t", n);
        assertEquals(3, t.lines().size(), t::toString);
        List<String> words = List.of("a", "b", "c");
        for (int i = 0; i < 3; i++) {
            String l = t.lines().get(i);
            // podman's form: 2006-01-02T15:04:05.999999999Z, nine digits kept
            assertTrue(l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z " + words.get(i)), () -> "logs -t line: " + l);
        }

        String e = cli.name("streams");
        Result both = cli.run("run", "--name", e, IMAGE, "sh", "-c", "echo out; echo err >&2");
        assertEquals("out\n", both.stdout(), both::toString);
        assertEquals("err\n", both.stderr(), both::toString);
        Result logs = cli.run("logs", e);
        assertEquals(0, logs.exit(), logs::toString);
        assertEquals("out\n", logs.stdout(), logs::toString);
        assertEquals("err\n", logs.stderr(), logs::toString);
    }

    // ------------------------------------------------------------------ ps, inspect, images

    @Test
    @SuppressWarnings("unchecked")
    void psFormatsAndFilters() {
        String up = cli.name("p-up"), done = cli.name("p-done"), made = cli.name("p-made");
        String upId = id(cli.ok("run", "-d", "--name", up, IMAGE, "sleep", "100"));
        cli.ok("run", "--name", done, IMAGE, "true");
        String madeId = id(cli.ok("create", "--name", made, IMAGE, "true"));

        Result fmt = cli.ok("ps", "--format", "{{.Names}} {{.Status}}");
        assertEquals(1, fmt.lines().size(), fmt::toString);
        assertTrue(fmt.lines().getFirst().matches(up + " Up .*"), fmt::toString);

        Result json = cli.ok("ps", "--format", "json");
        List<Object> arr = (List<Object>) Json.parse(json.stdout());
        assertEquals(1, arr.size(), json::toString);
        Map<String, Object> o = (Map<String, Object>) arr.getFirst();
        assertEquals(List.of(up), o.get("Names"));
        assertEquals("running", o.get("State"));
        assertEquals(upId, o.get("Id"));
        List<Object> all = (List<Object>) Json.parse(cli.ok("ps", "-a", "--format", "json").stdout());
        assertEquals(3, all.size());

        assertEquals(upId.substring(0, 12) + "\n", cli.ok("ps", "-q").stdout());
        assertEquals(upId + "\n", cli.ok("ps", "-q", "--no-trunc").stdout());
        assertEquals(3, cli.ok("ps", "-a", "-q").lines().size());
        for (String l : cli.ok("ps", "-a", "--no-trunc", "--format", "{{.ID}}").lines()) assertTrue(l.matches("[0-9a-f]{64}"), l);
        for (String l : cli.ok("ps", "-a", "--format", "{{.ID}}").lines()) assertTrue(l.matches("[0-9a-f]{12}"), l);

        assertEquals(done + "\n", cli.ok("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").stdout());
        assertEquals(made + "\n", cli.ok("ps", "-a", "--filter", "status=created", "--format", "{{.Names}}").stdout());
        assertEquals(up + "\n", cli.ok("ps", "-a", "--filter", "status=running", "--format", "{{.Names}}").stdout());
        assertEquals(done + "\n", cli.ok("ps", "-a", "--filter", "name=" + done, "--format", "{{.Names}}").stdout());
        assertEquals(up + "\n", cli.ok("ps", "--filter", "name=" + up, "--format", "{{.Names}}").stdout());
        // -n N: the N last created, in any state
        assertEquals(madeId.substring(0, 12) + "\n", cli.ok("ps", "-n", "1", "-q").stdout());
        assertEquals(made + "\n", cli.ok("ps", "-n", "1", "--format", "{{.Names}}").stdout());
    }

    @Test
    @SuppressWarnings("unchecked")
    void inspectShowsStateConfigAndLimits() throws IOException {
        String n = cli.name("insp");
        String id = id(cli.ok("run", "-d", "--name", n, "--memory", "64m", IMAGE, "sleep", "100"));
        Map<String, Object> m = inspectJson(n);
        assertEquals(id, m.get("Id"));
        assertEquals(n, m.get("Name"));
        assertEquals("running", path(m, "State.Status"));
        assertEquals(true, path(m, "State.Running"));
        int pid = ((Number) path(m, "State.Pid")).intValue();
        assertTrue(pid > 0 && Files.exists(Path.of("/proc/" + pid)), "State.Pid " + pid);
        assertEquals(List.of("sleep", "100"), path(m, "Config.Cmd"));
        assertEquals(64L * 1024 * 1024, ((Number) path(m, "HostConfig.Memory")).longValue());
        // and the limit is real: the container's memory cgroup says so
        String cg = (String) path(m, "State.CgroupPath");
        Path v1 = Path.of("/sys/fs/cgroup/memory" + cg + "/memory.limit_in_bytes"), v2 = Path.of("/sys/fs/cgroup" + cg + "/memory.max");
        Path limit = Files.exists(v1) ? v1 : v2;
        assertTrue(Files.exists(limit), "no memory cgroup for the container at " + v1 + " or " + v2);
        assertEquals(Long.toString(64L * 1024 * 1024), Files.readString(limit).strip());

        cli.ok("stop", "-t", "0", n);
        Map<String, Object> after = inspectJson(n);
        assertEquals("exited", path(after, "State.Status"));
        assertEquals(false, path(after, "State.Running"));
        assertEquals(0, ((Number) path(after, "State.Pid")).intValue());
        assertEquals(137, ((Number) path(after, "State.ExitCode")).intValue());
    }

    @Test
    void importingTheSameRootfsAgainSharesItsLayer() {
        List<String> layers = JpodCli.list(cli.root().resolve("layers"));
        Result again = cli.importBusybox("localhost/busybox-copy", JpodCli.PATH_ENV);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().matches("sha256:[0-9a-f]{64}"), again::toString);
        assertEquals(layers, JpodCli.list(cli.root().resolve("layers")), "one layer dir per digest, no temp dirs left");
        assertEquals("copy\n", cli.ok("run", "--rm", "localhost/busybox-copy", "echo", "copy").stdout());
        cli.ok("rmi", "localhost/busybox-copy");
        assertEquals("localhost/busybox:latest\n", cli.ok("images", "--format", "{{.Repository}}:{{.Tag}}").stdout());
        assertEquals("ok\n", cli.ok("run", "--rm", IMAGE, "echo", "ok").stdout(), "the shared layer outlives the removed image");
    }

    @Test
    void imagesListsTheImportedImage() {
        Result table = cli.ok("images");
        assertTrue(table.lines().getFirst().startsWith("REPOSITORY"), table::toString);
        assertTrue(table.lines().stream().anyMatch(l -> l.startsWith("localhost/busybox ") && l.contains("latest")), table::toString);
        assertTrue(cli.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines().contains("localhost/busybox:latest"));
    }
}
