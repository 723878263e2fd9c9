package io.jpod.it;

import io.jpod.engine.EngineConfig;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the real {@code bin/jpod} launcher as a user would, against storage of its own: every call passes
 * {@code --root /var/tmp/jpit-XXXX --runroot /run/jpit-XXXX}. Also the integration tests' eyes on what jpod
 * leaves behind (mounts, conmon processes, runc state, files), and the clean-up that runs even when a test fails.
 *
 * <p>One instance per test class ({@link #create}), closed in {@code @AfterAll}. Test classes carry
 * {@code @ExtendWith(JpodCli.Gate.class)} and call {@link #requireEnvironment} in {@code @BeforeAll}.
 */
public final class JpodCli implements AutoCloseable {
    public static final Path HOME = findHome();
    public static final Path LAUNCHER = HOME.resolve("bin/jpod");
    public static final Path JAR = HOME.resolve("target/jpod.jar");
    public static final String IMAGE = "localhost/busybox";
    public static final String PATH_ENV = "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final Path runRoot;
    private final Path scratch;
    private final String suffix;
    private final AtomicInteger seq = new AtomicInteger();
    private final java.util.Map<String, String> env = new java.util.concurrent.ConcurrentHashMap<>();

    /** What one jpod call did. {@code exit} is -1 when it was killed for running past its timeout. */
    public record Result(List<String> argv, int exit, String stdout, String stderr, Duration took) {
        public List<String> lines() { return split(stdout); }

        public List<String> errLines() { return split(stderr); }

        /** stdout without the trailing newline. */
        public String out() { return stdout.strip(); }

        private static List<String> split(String s) {
            return s.lines().toList();
        }

        @Override
        public String toString() {
            return "jpod " + String.join(" ", argv.subList(Math.min(5, argv.size()), argv.size())) + " -> exit " + exit
                    + " in " + took.toMillis() + " ms\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    /** A jpod call running in the background (CrashIT, logs -f). */
    public final class Running {
        private final List<String> argv;
        private final Process process;
        private final Path out, err;
        private final long startNanos = System.nanoTime();

        Running(List<String> argv, Process process, Path out, Path err) {
            this.argv = argv;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public Process process() { return process; }

        /** SIGKILL, as a crash or an OOM killer would. The launcher execs java, so this is jpod's JVM itself. */
        public void sigkill() {
            process.destroyForcibly();
        }

        public Result await(Duration timeout) {
            boolean done;
            try {
                done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            try {
                Result r = new Result(argv, done ? process.exitValue() : -1, Files.readString(out),
                        Files.readString(err) + (done ? "" : "[jpod-it: killed after a timeout of " + timeout.toSeconds() + " s]\n"), took);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private JpodCli(Path root, Path runRoot, Path scratch, String suffix) {
        this.root = root;
        this.runRoot = runRoot;
        this.scratch = scratch;
        this.suffix = suffix;
    }

    /**
     * Fresh storage for one test class. The run root is kept short on purpose: attach sockets are reached
     * through RUNROOT/socket/ID/attach, and a unix socket path has room for 107 bytes.
     */
    public static JpodCli create() {
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        try {
            Path root = uniqueDir(Path.of("/var/tmp"), "jpit-" + suffix);
            Path runRoot = uniqueDir(Path.of("/run"), "jpit-" + suffix);
            Path scratch = uniqueDir(Path.of("/var/tmp"), "jpit-" + suffix + "-io");
            return new JpodCli(root, runRoot, scratch, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path uniqueDir(Path parent, String base) throws IOException {
        for (int i = 0; ; i++) {
            try {
                return Files.createDirectory(parent.resolve(i == 0 ? base : base + i));
            } catch (FileAlreadyExistsException e) {
                if (i > 100) throw e;
            }
        }
    }

    public Path root() { return root; }

    /** Sets an environment variable for every later jpod call (e.g. CONTAINERS_REGISTRIES_CONF). */
    public void env(String name, String value) {
        env.put(name, value);
    }

    public Path scratch() { return scratch; }

    public Path runRoot() { return runRoot; }

    /** A container name unique to this test class: base-SUFFIX. */
    public String name(String base) {
        return base + "-" + suffix;
    }

    // ------------------------------------------------------------------ gate

    /**
     * The tests need root, runc, conmon, busybox and (for CLI tests) the built launcher. Not root: skipped with
     * a message. Root but something missing: a failure, since CI builds and installs everything first.
     */
    public static void requireEnvironment(boolean needsLauncher) {
        Assumptions.assumeFalse("false".equals(System.getProperty("jpod.it")),
                "jpod integration tests switched off with -Djpod.it=false");
        Assumptions.assumeTrue(isRoot(), "jpod integration tests run real containers through runc, conmon and "
                + "overlayfs and need root: skipped (run them as root, e.g. sudo bin/test)");
        EngineConfig d = EngineConfig.defaults();
        Assertions.assertTrue(Files.isExecutable(d.runtimePath()), "runc not found (looked at " + d.runtimePath()
                + "): run bin/setup");
        Assertions.assertTrue(Files.isExecutable(d.conmonPath()), "conmon not found (looked at " + d.conmonPath()
                + "): run bin/setup");
        Assertions.assertTrue(Files.isExecutable(Path.of("/bin/busybox")), "/bin/busybox not found: run bin/setup "
                + "(busybox-static makes the test image)");
        if (needsLauncher) {
            Assertions.assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build first (bin/build), "
                    + "the integration tests drive the real bin/jpod launcher");
        }
    }

    /**
     * The skip half of the gate as a JUnit condition, so a skipped class shows up in reports as skipped, with the
     * reason (an assumption failing in @BeforeAll is reported by surefire as "Tests run: 0" and no reason).
     */
    public static final class Gate implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if ("false".equals(System.getProperty("jpod.it"))) {
                return ConditionEvaluationResult.disabled("jpod integration tests switched off with -Djpod.it=false");
            }
            if (!isRoot()) {
                return ConditionEvaluationResult.disabled("jpod integration tests run real containers through runc, "
                        + "conmon and overlayfs and need root: skipped (run them as root, e.g. sudo bin/test)");
            }
            return ConditionEvaluationResult.enabled("root");
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return l.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static Path findHome() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("bin/jpod")) && Files.isRegularFile(q.resolve("pom.xml"))) return q;
        }
        return p;
    }

    // ------------------------------------------------------------------ running jpod

    public List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString(), "--root", root.toString(), "--runroot",
                runRoot.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    public Result run(String... args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    public Result run(Duration timeout, String... args) {
        return start(null, args).await(timeout);
    }

    public Result runWithInput(String stdin, String... args) {
        return start(stdin, args).await(DEFAULT_TIMEOUT);
    }

    /** Starts jpod in the background; stdout and stderr go to files, stdin is /dev/null unless given. */
    public Running start(String stdin, String... args) {
        List<String> argv = argv(args);
        int n = seq.incrementAndGet();
        Path out = scratch.resolve(n + ".out"), err = scratch.resolve(n + ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(HOME.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            } else if (stdin.startsWith("@file:")) { // binary input (a tar) from a file, byte for byte
                pb.redirectInput(Path.of(stdin.substring(6)).toFile());
            } else {
                Path in = scratch.resolve(n + ".in");
                Files.writeString(in, stdin);
                pb.redirectInput(in.toFile());
            }
            return new Running(argv, pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `jpod system service` on a socket in the scratch dir, running once the socket is there; destroy() stops it. */
    public Running service(String socketName) {
        Path socket = scratch.resolve(socketName);
        Running r = start(null, "system", "service", "--time", "0", "unix://" + socket);
        for (int i = 0; i < 400 && !Files.exists(socket); i++) pause(25);
        if (!Files.exists(socket)) throw new AssertionError("the service made no socket: " + r.await(Duration.ofSeconds(5)));
        return r;
    }

    /** Runs jpod and asserts it exited 0 with nothing on stderr; returns the result. */
    public Result ok(String... args) {
        Result r = run(args);
        Assertions.assertEquals(0, r.exit(), () -> "expected success: " + r);
        Assertions.assertEquals("", r.stderr(), () -> "expected a quiet stderr: " + r);
        return r;
    }

    /** Imports bin/busybox-rootfs as an image, with the given --change instructions. */
    public Result importBusybox(String name, String... changes) {
        List<String> args = new ArrayList<>(List.of("import"));
        for (String c : changes) {
            args.add("--change");
            args.add(c);
        }
        args.add("-");
        if (name != null) args.add(name);
        try {
            Path tar = scratch.resolve("rootfs.tar");
            if (!Files.exists(tar)) {
                Process p = new ProcessBuilder(HOME.resolve("bin/busybox-rootfs").toString())
                        .redirectOutput(tar.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Assertions.assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "bin/busybox-rootfs failed");
            }
            List<String> argv = argv(args.toArray(String[]::new));
            Path out = scratch.resolve("import.out"), err = scratch.resolve("import.err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(tar.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly().waitFor();
            return new Result(argv, done ? p.exitValue() : -1, Files.readString(out), Files.readString(err), Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The usual test image: busybox with PATH and CMD ["sh"], as localhost/busybox. */
    public void importTestImage() {
        Result r = importBusybox(IMAGE, PATH_ENV, "CMD=[\"sh\"]");
        Assertions.assertEquals(0, r.exit(), () -> "importing the busybox test image failed: " + r);
        Assertions.assertTrue(r.out().matches("sha256:[0-9a-f]{64}"), () -> "import should print the image ID: " + r);
    }

    // ------------------------------------------------------------------ what is left behind

    /** Mount points (from /proc/self/mountinfo) at or under this class's root or run root. */
    public List<String> mounts() {
        List<String> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = l.split(" ");
                if (f.length < 5) continue;
                String mp = unescape(f[4]);
                if (under(mp, root) || under(mp, runRoot)) out.add(mp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean under(String p, Path dir) {
        String d = dir.toString();
        return p.equals(d) || p.startsWith(d + "/");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A process on this machine: pid and its argv. */
    public record Proc(long pid, List<String> argv) {
        @Override
        public String toString() {
            String s = pid + " " + String.join(" ", argv);
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    /** conmon processes working for this class's storage (their argv names paths under root or run root). */
    public List<Proc> conmons() {
        return processes().stream().filter(p -> !p.argv().isEmpty() && p.argv().getFirst().endsWith("conmon")).toList();
    }

    /** jpod JVMs on this storage (conmon's exit commands, or calls still running). */
    public List<Proc> jpods() {
        return processes().stream().filter(p -> !p.argv().isEmpty() && p.argv().contains("io.jpod.cli.Main")).toList();
    }

    /** Processes whose argv mentions this class's root or run root. */
    public List<Proc> processes() {
        List<Proc> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) continue;
                byte[] b;
                try {
                    b = Files.readAllBytes(p.resolve("cmdline"));
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (b.length == 0) continue;
                String cmd = new String(b, StandardCharsets.UTF_8);
                List<String> argv = List.of(cmd.split("\0"));
                // by path component: the scratch dir ROOT-io (a test registry's files) shares ROOT's prefix
                if (argv.stream().noneMatch(a -> a.equals(root.toString()) || a.startsWith(root + "/")
                        || a.equals(runRoot.toString()) || a.startsWith(runRoot + "/") || a.contains("=" + root + "/")
                        || a.contains("=" + runRoot + "/") || a.contains(":" + root + "/"))) continue;
                // a test's API service runs for the whole class and is stopped by it, not by the clean-up between tests
                if (argv.contains("system") && argv.contains("service")) continue;
                out.add(new Proc(pid, argv));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** runc's per-container state directories under RUNROOT/runc. */
    public List<String> runcState() {
        return list(runRoot.resolve("runc"));
    }

    /** Names in a directory (empty if it does not exist). */
    public static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything a container can leave behind, described; empty when nothing is: mounts, conmon processes,
     * runc state, container storage (ROOT/containers), per-container run files (RUNROOT/containers), exit files
     * and conmon's attach-socket links (RUNROOT/socket/ID).
     */
    public List<String> leftovers() {
        List<String> l = new ArrayList<>();
        mounts().forEach(m -> l.add("mount " + m));
        conmons().forEach(p -> l.add("conmon " + p));
        runcState().forEach(s -> l.add("runc state " + runRoot.resolve("runc").resolve(s)));
        list(root.resolve("containers")).forEach(s -> l.add("container storage " + root.resolve("containers").resolve(s)));
        list(runRoot.resolve("containers")).forEach(s -> l.add("container run dir " + runRoot.resolve("containers").resolve(s)));
        list(runRoot.resolve("exits")).forEach(s -> l.add("exit file " + runRoot.resolve("exits").resolve(s)));
        socketLinks().forEach(s -> l.add("attach socket link " + runRoot.resolve("socket").resolve(s)));
        return l;
    }

    /** The RUNROOT/socket/ID links conmon makes to reach a container's attach socket. */
    public List<String> socketLinks() {
        return list(runRoot.resolve("socket"));
    }

    /**
     * Waits (up to the timeout) until no conmon or jpod process works on this storage any more: after a
     * container exits, conmon runs its exit command (jpod container cleanup) and goes away by itself.
     */
    public boolean awaitNoProcesses(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (processes().isEmpty()) return true;
            if (System.nanoTime() > deadline) return false;
            pause(50);
        }
    }

    /**
     * Waits (up to the timeout) until the storage is quiet: no jpod process at work (exit commands included) and
     * every conmon still there belongs to a container runc knows. Returns whether it settled.
     */
    public boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> runc = runcState();
            if (jpods().isEmpty() && conmons().stream().allMatch(p -> runc.stream().anyMatch(id -> p.argv().contains(id)))) {
                return true;
            }
            if (System.nanoTime() > deadline) return false;
            pause(50);
        }
    }

    /** Polls until {@link #leftovers()} is empty or the timeout passes; returns what is left. */
    public List<String> awaitNoLeftovers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> l = leftovers();
            if (l.isEmpty() || System.nanoTime() > deadline) return l;
            pause(50);
        }
    }

    /** Asserts nothing is left of any container: no mount, conmon, runc state or files (conmon gets 5 s to leave). */
    public void assertNothingLeft(String when) {
        Result ps = run("ps", "-a", "-q");
        Assertions.assertEquals(0, ps.exit(), () -> "ps -a -q " + when + ": " + ps);
        Assertions.assertEquals("", ps.stdout(), () -> "containers are left " + when + ": " + ps);
        List<String> l = awaitNoLeftovers(Duration.ofSeconds(5));
        Assertions.assertEquals(List.of(), l, () -> "left behind " + when);
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ clean-up

    /**
     * Removes every container (rm -af), then whatever that left: containers still known to runc, conmon and jpod
     * processes on this storage, mounts (umount -l); returns what had to be cleaned by force (a jpod bug if
     * not empty).
     */
    public List<String> removeEverything() {
        List<String> forced = new ArrayList<>();
        Result rm = run("rm", "-af");
        if (rm.exit() != 0) forced.add("rm -af failed: " + rm);
        awaitNoProcesses(Duration.ofSeconds(5));
        forced.addAll(leftovers());
        forceClean();
        return forced;
    }

    private void forceClean() {
        String runc = EngineConfig.defaults().runtimePath().toString();
        for (String id : runcState()) {
            exec(List.of(runc, "--root", runRoot.resolve("runc").toString(), "delete", "--force", id));
        }
        for (Proc p : processes()) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        List<String> ms = new ArrayList<>(mounts());
        ms.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : ms) exec(List.of("umount", "-l", m));
        for (String s : list(runRoot.resolve("socket"))) {
            try {
                Files.deleteIfExists(runRoot.resolve("socket").resolve(s));
            } catch (IOException ignored) {
                // the directory goes below anyway
            }
        }
    }

    private static void exec(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** rm -af, force-clean whatever is left, and delete the storage. For @AfterAll. */
    @Override
    public void close() {
        try {
            removeEverything();
        } finally {
            forceClean();
            for (Path d : List.of(root, runRoot, scratch)) exec(List.of("rm", "-rf", "--one-file-system", d.toString()));
        }
    }
}
