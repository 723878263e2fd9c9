package io.jpod.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `jpod system service` with real clients: the docker CLI (28.x, API 1.50, negotiating down to 1.44) against the
 * service's unix socket, and raw HTTP for what the CLI never sends (bad input, unknown routes and versions).
 */
class ApiServiceIT extends CliIT {
    static JpodCli.Running service;
    static Path socket;
    static final Path DOCKER = Path.of("/usr/local/bin/docker");

    @BeforeAll
    static void startService() throws Exception {
        socket = cli.scratch().resolve("api.sock");
        service = cli.service("api.sock");
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.process().destroy(); // SIGTERM: Jetty stops, the socket goes
            service.await(Duration.ofSeconds(10));
        }
    }

    static void serviceAlive() {
        if (!service.process().isAlive()) throw new AssertionError("the service died: " + service.await(Duration.ofSeconds(1)));
    }

    static JpodCli.Result docker(String... args) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "the docker CLI is not at " + DOCKER + " (it comes with this machine kind)");
        serviceAlive();
        List<String> argv = new ArrayList<>(List.of(DOCKER.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", cli.scratch().resolve("docker-config").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.toString());
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "docker " + args[0] + " finished");
        return new JpodCli.Result(argv, p.exitValue(), out, err.join(), Duration.ZERO);
    }

    static JpodCli.Result dockerIn(String stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(DOCKER.toString()));
        argv.addAll(List.of(args));
        Path in = cli.scratch().resolve("docker-stdin");
        Files.writeString(in, stdin);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(in.toFile());
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", cli.scratch().resolve("docker-config").toString());
        Path err = cli.scratch().resolve("docker-stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return new JpodCli.Result(argv, p.exitValue(), out, Files.readString(err), Duration.ZERO);
    }

    static JpodCli.Result dockerOk(String... args) throws Exception {
        JpodCli.Result r = docker(args);
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    /** One HTTP/1.1 request on the socket; the whole response (status line, headers, body) as text. */
    static String http(String request) throws IOException {
        serviceAlive();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder sb = new StringBuilder();
            while (ch.read(buf) > 0) {
                buf.flip();
                sb.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
                if (sb.indexOf("\r\n\r\n") > 0 && complete(sb)) break;
            }
            return sb.toString();
        }
    }

    private static boolean complete(StringBuilder sb) {
        String s = sb.toString();
        int head = s.indexOf("\r\n\r\n");
        var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(s.substring(0, head));
        return m.find() && s.length() - head - 4 >= Integer.parseInt(m.group(1));
    }

    static String post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return http("POST " + path + " HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n" + json);
    }

    @Test
    void dockerCliRunsTheUsualLifecycle() throws Exception {
        JpodCli.Result version = dockerOk("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}");
        assertEquals("1.44 linux", version.out());
        assertEquals("overlay x86_64", dockerOk("info", "--format", "{{.Driver}} {{.Architecture}}").out());
        String f = cli.name("follow");
        dockerOk("run", "-d", "--name", f, JpodCli.IMAGE, "sh", "-c", "echo first; sleep 1; echo second");
        assertEquals("first\nsecond", dockerOk("logs", "-f", f).out(), "logs -f follows until the container exits");
        assertTrue(dockerOk("history", JpodCli.IMAGE).out().contains("IMAGE"));
        dockerOk("run", "--name", f + "w", JpodCli.IMAGE, "sh", "-c", "head -c 300000 /dev/zero > /blob");
        String size = dockerOk("ps", "-a", "--size", "--filter", "name=" + f + "w", "--format", "{{.Size}}").out();
        assertTrue(size.startsWith("300kB") || size.startsWith("301kB") || size.startsWith("299kB"), "what it wrote, from its upper dir: " + size);
        dockerOk("rm", f, f + "w");
        String n = cli.name("dk");
        String id = dockerOk("run", "-d", "--name", n, "-e", "GREETING=hi", "--label", "team=api", JpodCli.IMAGE, "sh", "-c",
                "echo \"$GREETING from docker\"; echo to-stderr >&2; sleep 100").out();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals(n + " running", dockerOk("ps", "--filter", "label=team=api", "--format", "{{.Names}} {{.State}}").out());
        assertEquals("true", dockerOk("inspect", "--format", "{{.State.Running}}", n).out());
        assertEquals("/" + n, dockerOk("inspect", "--format", "{{.Name}}", n).out(), "Docker's names start with /");
        JpodCli.Result logs = null;
        for (int i = 0; i < 40; i++) {
            logs = dockerOk("logs", n);
            if (logs.stdout().contains("hi from docker") && logs.stderr().contains("to-stderr")) break;
            Thread.sleep(50);
        }
        assertEquals("hi from docker", logs.out(), "stdout and stderr stay apart through the multiplexed stream");
        assertEquals("to-stderr", logs.stderr().strip());
        dockerOk("pause", n);
        assertEquals("paused", dockerOk("inspect", "--format", "{{.State.Status}}", n).out());
        dockerOk("unpause", n);
        assertTrue(dockerOk("top", n).out().contains("sleep 100"));
        dockerOk("rename", n, n + "-renamed");
        dockerOk("stop", "-t", "0", n + "-renamed");
        assertEquals("exited", dockerOk("inspect", "--format", "{{.State.Status}}", n + "-renamed").out());
        JpodCli.Result missing = docker("inspect", "nosuchcontainer");
        assertEquals(1, missing.exit());
        assertTrue(missing.stderr().contains("nosuchcontainer"), missing.stderr());
        dockerOk("rm", n + "-renamed");
        assertEquals(1, cli.run("container", "exists", n + "-renamed").exit(), "the same store as the CLI's");
    }

    @Test
    void dockerRunAttachesAndPassesTheExitCodeEvenWithRm() throws Exception {
        JpodCli.Result r = docker("run", "--rm", JpodCli.IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exit(), r::toString);
        assertEquals("out", r.out());
        assertEquals("err", r.stderr().strip());
        assertEquals("", cli.ok("ps", "-a", "-q").out(), "--rm removed it");
        String n = cli.name("fg");
        JpodCli.Result kept = docker("run", "--name", n, JpodCli.IMAGE, "sh", "-c", "seq 1 2000; exit 0");
        assertEquals(0, kept.exit(), kept::toString);
        assertEquals(2000, kept.stdout().lines().count(), "no output lost between attach and start");
        assertEquals("0", dockerOk("wait", n).out());
        dockerOk("rm", n);
    }

    @Test
    void execCopyPortsVolumesNetworksAndEvents() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "no docker CLI");
        String since = String.valueOf(java.time.Instant.now().getEpochSecond() - 1);
        String vol = cli.name("dvol"), net = cli.name("dnet"), n = cli.name("web");
        dockerOk("volume", "create", vol);
        assertTrue(dockerOk("volume", "ls", "--format", "{{.Name}}").lines().contains(vol));
        dockerOk("network", "create", net);
        assertTrue(dockerOk("network", "ls", "--format", "{{.Name}}").lines().contains(net));
        int port = NetworkIT.freePort();
        dockerOk("run", "-d", "--name", n, "--network", net, "-p", port + ":80", "-v", vol + ":/data", JpodCli.IMAGE, "sh", "-c",
                "mkdir -p /www && echo via-docker > /www/index.html && exec httpd -f -p 80 -h /www");
        assertEquals("via-docker", NetworkIT.http("http://127.0.0.1:" + port + "/"), "the published port");
        assertEquals("0.0.0.0:" + port, dockerOk("port", n, "80").lines().getFirst());
        JpodCli.Result exec = docker("exec", n, "sh", "-c", "echo in-exec; echo exec-err >&2; exit 5");
        assertEquals(5, exec.exit(), exec::toString);
        assertEquals("in-exec", exec.out());
        assertEquals("exec-err", exec.stderr().strip());
        assertEquals("piped", dockerIn("piped\n", "exec", "-i", n, "cat").out(), "stdin through the hijacked connection");
        Path host = cli.scratch().resolve("to-copy.txt");
        Files.writeString(host, "copied");
        dockerOk("cp", host.toString(), n + ":/data/");
        assertEquals("copied", dockerOk("exec", n, "cat", "/data/to-copy.txt").out());
        Path back = cli.scratch().resolve("back");
        dockerOk("cp", n + ":/data/to-copy.txt", back.toString());
        assertEquals("copied", Files.readString(back));
        assertTrue(dockerOk("stats", "--no-stream", "--format", "{{.Name}}", n).out().contains(n));
        assertTrue(dockerOk("system", "df").out().contains("Images"));
        dockerOk("kill", n);
        assertEquals("137", dockerOk("wait", n).out());
        assertEquals("hello-stdin", dockerIn("hello-stdin\n", "run", "--rm", "-i", JpodCli.IMAGE, "cat").out());
        dockerOk("rm", n);
        dockerOk("network", "rm", net);
        dockerOk("volume", "rm", vol);
        String events = dockerOk("events", "--since", since, "--until", String.valueOf(java.time.Instant.now().getEpochSecond() + 1),
                "--filter", "container=" + n, "--format", "{{.Action}}").out();
        assertTrue(events.contains("start") && events.contains("die"), events);
    }

    @Test
    void whileTheServiceRunsItCleansUpExitedContainersItself() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "no docker CLI");
        String n = cli.name("self");
        String id = dockerOk("run", "-d", "--name", n, JpodCli.IMAGE, "sh", "-c", "sleep 0.3").out();
        Path ns = cli.runRoot().resolve("netns").resolve(id);
        assertEquals("0", dockerOk("wait", n).out());
        for (int i = 0; i < 100 && Files.exists(ns); i++) Thread.sleep(50);
        assertTrue(!Files.exists(ns), "the exit note was taken: the namespace went without anyone asking");
        assertTrue(cli.processes().stream().noneMatch(p -> p.argv().contains("cleanup")), "and no cleanup JVM ran for it");
        try (var notes = Files.list(cli.runRoot().resolve("exit-notes"))) {
            assertEquals(0, notes.count());
        }
        dockerOk("rm", n);
    }

    @Test
    void dockerComposeBringsUpTwoServicesThatReachEachOtherByName() throws Exception {
        Path compose = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(compose), "Debian's docker-compose (v1) is not installed: apt-get install --no-install-recommends docker-compose");
        Path dir = Files.createDirectories(cli.scratch().resolve("compose"));
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3"
                services:
                  web:
                    image: %s:latest
                    stop_signal: SIGKILL
                    command: sh -c "mkdir -p /www && echo from-web > /www/index.html && exec httpd -f -p 80 -h /www"
                  client:
                    image: %s:latest
                    depends_on: [web]
                    command: sh -c "for i in $$(seq 1 30); do wget -q -O - http://web/ && exit 0; sleep 0.2; done; exit 1"
                """.formatted(JpodCli.IMAGE, JpodCli.IMAGE));
        String project = cli.name("proj").replace("-", "");
        ProcessBuilder pb = new ProcessBuilder(compose.toString(), "-p", project, "up", "--exit-code-from", "client")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("from-web"), "the client reached the web service by its name: " + out);
        ProcessBuilder down = new ProcessBuilder(compose.toString(), "-p", project, "down").directory(dir.toFile()).redirectErrorStream(true);
        down.environment().put("DOCKER_HOST", "unix://" + socket);
        Process d = down.start();
        String downOut = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(d.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, d.exitValue(), downOut);
        assertEquals("", cli.ok("ps", "-a", "-q").out(), "down removed the containers");
        assertTrue(cli.ok("network", "ls", "--format", "{{.Name}}").lines().stream().noneMatch(l -> l.startsWith(project)), "and the network");
    }

    @Test
    void pushPullSaveAndLoadThroughALocalRegistry() throws Exception {
        Assumptions.assumeTrue(TestRegistry.available(), "docker-registry is not installed (apt-get install docker-registry)");
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "no docker CLI");
        try (TestRegistry reg = TestRegistry.plain(cli.scratch())) {
            String ref = reg.host() + "/apitest/busybox:1";
            dockerOk("tag", JpodCli.IMAGE, ref);
            JpodCli.Result push = dockerOk("push", ref);
            assertTrue(push.stdout().contains("digest: sha256:"), push.toString());
            dockerOk("rmi", ref);
            JpodCli.Result pull = dockerOk("pull", ref);
            assertTrue(pull.stdout().contains("Downloaded newer image"), pull.toString());
            assertEquals("pulled", dockerOk("run", "--rm", ref, "echo", "pulled").out());
            JpodCli.Result missing = docker("pull", reg.host() + "/apitest/nosuch:1");
            assertTrue(missing.exit() != 0, missing.toString());
            Path tar = cli.scratch().resolve("saved.tar");
            dockerOk("save", "-o", tar.toString(), ref);
            dockerOk("rmi", ref);
            assertTrue(dockerOk("load", "-i", tar.toString()).out().contains(ref), "loaded under its name");
            dockerOk("rmi", ref);
            Path rootfs = cli.scratch().resolve("rootfs.tar");
            cli.ok("export", "-o", rootfs.toString(), cli.ok("create", JpodCli.IMAGE, "true").out());
            String imported = dockerOk("import", "--change", "CMD [\"echo\", \"imported\"]", rootfs.toString(), "localhost/apiimport:1").out();
            assertTrue(imported.startsWith("sha256:"), imported);
            assertEquals("imported", dockerOk("run", "--rm", "localhost/apiimport:1").out());
            dockerOk("rmi", "localhost/apiimport:1");
        }
    }

    @Test
    void aCreatedContainerTakesFilesAndAnAttachWithoutUpgradeStreamsItsOutput() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "no docker CLI");
        String n = cli.name("created");
        dockerOk("create", "--name", n, JpodCli.IMAGE, "sh", "-c", "cat /etc/motd-copied; echo to-err >&2");
        Path f = cli.scratch().resolve("motd-copied");
        Files.writeString(f, "copied before the start\n");
        dockerOk("cp", f.toString(), n + ":/etc/");
        // an attach that does not ask to upgrade: 200 and the output as the body, framed, until the container ends
        var attached = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1.44/containers/" + n + "/attach?stream=1&stdout=1&stderr=1", "");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300); // registered before the start
        dockerOk("start", n);
        String resp = attached.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(resp.startsWith("HTTP/1.1 200") && resp.contains("application/vnd.docker.multiplexed-stream"), resp);
        assertTrue(resp.contains("copied before the start") && resp.contains("to-err"), resp);
        assertEquals("0", dockerOk("wait", n).out());
        dockerOk("rm", n);
    }

    @Test
    void commitMakesAnImageOfTheContainersFilesAndConfig() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOCKER), "no docker CLI");
        String n = cli.name("tocommit");
        dockerOk("run", "--name", n, "-e", "KEPT=yes", JpodCli.IMAGE, "sh", "-c", "echo committed > /marker");
        dockerOk("commit", "--change", "CMD [\"cat\", \"/marker\"]", n, "localhost/committed:1");
        assertEquals("committed", dockerOk("run", "--rm", "localhost/committed:1").out(), "its files and the changed CMD");
        assertEquals("yes", dockerOk("run", "--rm", "localhost/committed:1", "sh", "-c", "echo $KEPT").out(), "its env");
        String empty = post("/v1.44/commit?container=" + n + "&repo=localhost/committed&tag=2", "");
        assertTrue(empty.startsWith("HTTP/1.1 201") && empty.contains("\"Id\":\"sha256:"), empty);
        dockerOk("rm", n);
        dockerOk("rmi", "localhost/committed:1", "localhost/committed:2");
    }

    @Test
    void execTerminalsStartAtTheirConsoleSizeAndFollowResizes() throws Exception {
        String n = cli.name("tty");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "100");
        String created = post("/v1.44/containers/" + n + "/exec", "{\"Tty\": true, \"AttachStdout\": true, \"Cmd\": [\"sh\", \"-c\", "
                + "\"stty size; sleep 1.5; stty size\"]}");
        assertTrue(created.startsWith("HTTP/1.1 201"), created);
        String id = created.replaceAll("(?s).*\"Id\":\"([0-9a-f]{64})\".*", "$1");
        var started = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1.44/exec/" + id + "/start", "{\"Detach\": false, \"Tty\": true, \"ConsoleSize\": [30, 100]}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(800);
        String resized = post("/v1.44/exec/" + id + "/resize?h=40&w=120", "");
        assertTrue(resized.startsWith("HTTP/1.1 201"), resized);
        String out = started.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(out.contains("30 100") && out.contains("40 120"), "the size at start, then the resized one: " + out);
        String inspect = http("GET /v1.44/exec/" + id + "/json HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n");
        assertTrue(inspect.contains("\"Running\":false") && inspect.contains("\"ExitCode\":0"), inspect);
        cli.ok("rm", "-f", "-t", "0", n);
    }

    @Test
    void imagesAndTags() throws Exception {
        assertTrue(dockerOk("images", "--format", "{{.Repository}}:{{.Tag}}").lines().contains(JpodCli.IMAGE + ":latest"));
        dockerOk("tag", JpodCli.IMAGE, "localhost/apitag:v1");
        assertTrue(cli.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines().contains("localhost/apitag:v1"), "tagged in the CLI's store");
        assertTrue(dockerOk("rmi", "localhost/apitag:v1").out().contains("Untagged"));
        JpodCli.Result none = docker("image", "inspect", "localhost/nosuchimage");
        assertEquals(1, none.exit());
    }

    @Test
    void badInputGetsAJsonErrorAndChangesNothing() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), "root's socket");
        String malformed = post("/v1.44/containers/create", "{\"Image\": ");
        assertTrue(malformed.startsWith("HTTP/1.1 400"), malformed);
        assertTrue(malformed.contains("\"message\":\"malformed JSON"), malformed);
        String wrongType = post("/v1.44/containers/create", "{\"Image\": \"" + JpodCli.IMAGE + "\", \"Tty\": \"yes\"}");
        assertTrue(wrongType.startsWith("HTTP/1.1 400") && wrongType.contains("Tty"), wrongType);
        String unknownField = post("/v1.44/containers/create", "{\"Imgae\": \"" + JpodCli.IMAGE + "\"}");
        assertTrue(unknownField.startsWith("HTTP/1.1 400") && unknownField.contains("unknown field \\\"Imgae\\\""), unknownField);
        String noImage = post("/v1.44/containers/create", "{\"Image\": \"localhost/nosuchimage\"}");
        assertTrue(noImage.startsWith("HTTP/1.1 404") && noImage.contains("No such image"), noImage);
        String tooNew = http("GET /v1.99/info HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n");
        assertTrue(tooNew.startsWith("HTTP/1.1 400") && tooNew.contains("Maximum supported API version is 1.44"), tooNew);
        String unknown = http("GET /v1.44/nosuchroute HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n");
        assertTrue(unknown.startsWith("HTTP/1.1 404") && unknown.contains("\"message\""), unknown);
        String n = cli.name("conflict");
        String first = post("/containers/create?name=" + n, "{\"Image\": \"" + JpodCli.IMAGE + "\", \"Cmd\": [\"true\"]}");
        assertTrue(first.startsWith("HTTP/1.1 201"), first);
        String second = post("/containers/create?name=" + n, "{\"Image\": \"" + JpodCli.IMAGE + "\", \"Cmd\": [\"true\"]}");
        assertTrue(second.startsWith("HTTP/1.1 409"), second);
        String ping = http("HEAD /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n");
        assertTrue(ping.startsWith("HTTP/1.1 200") && ping.contains("Api-Version: 1.44"), ping);
        assertEquals(List.of(n), cli.ok("ps", "-a", "--format", "{{.Names}}").lines(), "only the one good create made anything");
        cli.ok("rm", n);
    }
}
