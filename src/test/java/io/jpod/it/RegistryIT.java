package io.jpod.it;

import io.jpod.image.TestTar;
import io.jpod.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * pull, push, login and logout against Debian's real docker-registry on 127.0.0.1: plain HTTP, TLS with basic
 * auth, and the bearer-token flow. Test images are built here from busybox-static and hand-made layers.
 */
class RegistryIT extends CliIT {
    static TestRegistry reg;
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    @BeforeAll
    static void startRegistry() {
        assumeTrue(TestRegistry.available(), "docker-registry is not installed (apt-get install docker-registry)");
        reg = TestRegistry.plain(cli.scratch());
    }

    @AfterAll
    static void stopRegistry() {
        if (reg != null) reg.close();
    }

    String ref(String repoTag) {
        return reg.host() + "/" + repoTag;
    }

    List<String> imageIds() {
        return cli.ok("images", "-q", "--no-trunc").lines();
    }

    long layerDirs() throws IOException {
        try (Stream<Path> s = Files.list(cli.root().resolve("layers"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    List<String> leftovers() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path d : List.of(cli.root().resolve("blobs/ingest"), cli.root().resolve("layers"))) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-") || d.endsWith("ingest")).forEach(out::add);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ hand-made images

    record Built(String manifestDigest, String configDigest) {
        String id() { return configDigest.substring(7); }
    }

    /** Pushes an image with the given layer tars (gzip-compressed here) straight into the registry. */
    Built pushImage(String repo, String tag, List<byte[]> tars, Map<String, String> labels, String arch) {
        List<Object> layers = new ArrayList<>();
        List<Object> diffIds = new ArrayList<>();
        for (byte[] tar : tars) {
            byte[] gz = TestTar.gzip(tar);
            String d = reg.putBlob(repo, gz);
            layers.add(Map.of("mediaType", DOCKER_LAYER, "size", gz.length, "digest", d));
            diffIds.add(TestRegistry.sha256(tar));
        }
        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        runConfig.put("Cmd", List.of("sh"));
        runConfig.put("Labels", labels);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", arch);
        cfg.put("os", "linux");
        cfg.put("created", "2026-01-02T03:04:05Z");
        cfg.put("config", runConfig);
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        cfg.put("history", List.of(Map.of("created", "2026-01-02T03:04:05Z", "created_by", "RegistryIT")));
        byte[] cfgBytes = Json.write(cfg).getBytes(StandardCharsets.UTF_8);
        String cfgDigest = reg.putBlob(repo, cfgBytes);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", DOCKER_MANIFEST);
        m.put("config", Map.of("mediaType", "application/vnd.docker.container.image.v1+json", "size", cfgBytes.length, "digest", cfgDigest));
        m.put("layers", layers);
        String md = reg.putManifest(repo, tag, Json.write(m).getBytes(StandardCharsets.UTF_8), DOCKER_MANIFEST);
        return new Built(md, cfgDigest);
    }

    byte[] busyboxTar() {
        try {
            return Files.readAllBytes(cli.scratch().resolve("rootfs.tar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] tar(TestTar.E... entries) {
        return new TestTar().add(entries).bytes();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void pushThenPullKeepsTheDigestAndTheImageRuns() {
        String dest = ref("it/busybox:1");
        JpodCli.Result push = cli.run("push", "--tls-verify=false", JpodCli.IMAGE, dest);
        assertEquals(0, push.exit(), push::toString);
        assertTrue(push.stderr().contains("Writing manifest to image destination"), push::toString);
        String digest = cli.ok("image", "inspect", "--format", "{{.Digest}}", JpodCli.IMAGE).out();
        assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
        String id = cli.ok("image", "inspect", "--format", "{{.Id}}", JpodCli.IMAGE).out();

        cli.ok("tag", JpodCli.IMAGE, "localhost/keep-layers:1");
        cli.ok("rmi", "localhost/keep-layers:1");
        cli.ok("rmi", JpodCli.IMAGE); // now nothing holds the layer: the pull must fetch it
        assertEquals(List.of(), imageIds());
        JpodCli.Result pull = cli.run("pull", "--tls-verify=false", dest);
        assertEquals(0, pull.exit(), pull::toString);
        assertEquals(id, pull.out(), "pull prints the image ID");
        assertTrue(pull.stderr().contains("Trying to pull " + dest + "..."), pull::toString);
        assertTrue(pull.stderr().contains("Copying blob sha256:"), pull::toString);
        assertEquals(digest, cli.ok("image", "inspect", "--format", "{{.Digest}}", dest).out(), "same manifest, same digest");
        assertTrue(cli.ok("image", "inspect", "--format", "{{.RepoDigests}}", dest).out().contains(ref("it/busybox") + "@" + digest));
        assertEquals("pulled", cli.ok("run", "--rm", dest, "echo", "pulled").out());

        // a second pull of the same image fetches nothing
        JpodCli.Result again = cli.run("pull", "--tls-verify=false", dest);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.stderr().contains("skipped: already exists"), again::toString);
        cli.importTestImage();
    }

    @Test
    void multiLayerImagesShareLayersAndApplyWhiteouts() throws Exception {
        byte[] base = busyboxTar();
        byte[] data = tar(TestTar.dir("data"), TestTar.file("data/a.txt", "A"), TestTar.file("data/b.txt", "B"));
        byte[] top1 = tar(TestTar.dir("data"), TestTar.file("data/.wh.a.txt", ""), TestTar.file("data/c.txt", "C"));
        byte[] top2 = tar(TestTar.dir("data"), TestTar.file("data/d.txt", "D"));
        pushImage("it/layers", "one", List.of(base, data, top1), Map.of("n", "1"), "amd64");
        pushImage("it/layers", "two", List.of(base, data, top2), Map.of("n", "2"), "amd64");
        long before = layerDirs();

        // three pulls of the same image at once: all succeed, each layer is stored once
        List<JpodCli.Running> pulls = new ArrayList<>();
        for (int i = 0; i < 3; i++) pulls.add(cli.start(null, "pull", "-q", "--tls-verify=false", ref("it/layers:one")));
        for (JpodCli.Running r : pulls) {
            JpodCli.Result res = r.await(JpodCli.DEFAULT_TIMEOUT);
            assertEquals(0, res.exit(), res::toString);
        }
        assertEquals(before + 2, layerDirs(), "busybox's layer is shared with the test image; two new layers");
        assertEquals("b.txt\nc.txt", cli.ok("run", "--rm", ref("it/layers:one"), "ls", "/data").out(), "a.txt whited out");

        JpodCli.Result two = cli.run("pull", "--tls-verify=false", ref("it/layers:two"));
        assertEquals(0, two.exit(), two::toString);
        assertEquals(3, two.stderr().lines().filter(l -> l.contains("skipped: already exists")).count() + 1,
                "base and data are skipped, only the top layer is fetched: " + two);
        assertEquals(before + 3, layerDirs());
        assertEquals("a.txt\nb.txt\nd.txt", cli.ok("run", "--rm", ref("it/layers:two"), "ls", "/data").out());
        assertEquals(List.of(), leftovers());

        // removing one image keeps the layers the other uses
        cli.ok("rmi", ref("it/layers:one"));
        assertEquals(before + 2, layerDirs());
        cli.ok("rmi", ref("it/layers:two"));
        assertEquals(before, layerDirs());
    }

    @Test
    void onATerminalPullDrawsABarPerBlob() throws Exception {
        Built img = pushImage("it/tty", "1", List.of(busyboxTar()), Map.of(), "amd64");
        // script(1) gives jpod a pseudo-terminal for stderr, as a user's shell would
        String cmd = String.join(" ", cli.argv("pull", "--tls-verify=false", ref("it/tty:1")));
        Path typescript = cli.scratch().resolve("tty.out");
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", cmd, typescript.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "pull under script timed out");
        assertEquals(0, p.exitValue());
        String tty = Files.readString(typescript);
        String layer = TestRegistry.sha256(TestTar.gzip(busyboxTar())).substring(7, 19);
        assertTrue(tty.contains("Copying blob " + layer + " done"), tty);
        assertTrue(tty.contains("Copying config " + img.id().substring(0, 12) + " done"), tty);
        assertTrue(tty.contains("\033[1A") || tty.contains("\033[2K"), "redrawn in place: " + tty);
        cli.ok("rmi", ref("it/tty:1"));
    }

    @Test
    void anIndexIsResolvedToThePlatformAsked() {
        Built amd = pushImage("it/multi", "amd64-only", List.of(busyboxTar()), Map.of("arch", "amd64"), "amd64");
        Built arm = pushImage("it/multi", "arm64-only", List.of(tar(TestTar.file("arm.txt", "arm"))), Map.of("arch", "arm64"), "arm64");
        String index = Json.write(Map.of("schemaVersion", 2, "mediaType", "application/vnd.oci.image.index.v1+json",
                "manifests", List.of(
                        Map.of("mediaType", DOCKER_MANIFEST, "digest", amd.manifestDigest(), "size", 400,
                                "platform", Map.of("os", "linux", "architecture", "amd64")),
                        Map.of("mediaType", DOCKER_MANIFEST, "digest", arm.manifestDigest(), "size", 400,
                                "platform", Map.of("os", "linux", "architecture", "arm64", "variant", "v8")))));
        // sizes in an index are advisory for manifests here; the digest is what is checked
        reg.putManifest("it/multi", "latest", index.getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.index.v1+json");

        assertEquals(amd.id(), cli.ok("pull", "-q", "--tls-verify=false", ref("it/multi")).out());
        assertEquals(arm.id(), cli.ok("pull", "-q", "--tls-verify=false", "--platform", "linux/arm64", ref("it/multi")).out());
        assertEquals("arm64", cli.ok("image", "inspect", "--format", "{{.Architecture}}", arm.id()).out());
        List<String> before = imageIds();
        JpodCli.Result none = cli.run("pull", "--tls-verify=false", "--arch", "s390x", ref("it/multi"));
        assertEquals(125, none.exit(), none::toString);
        assertTrue(none.stderr().contains("no image found in image index for architecture s390x"), none::toString);
        assertTrue(none.stderr().contains("linux/arm64/v8"), "the error lists what the index has: " + none);
        assertEquals(before, imageIds(), "nothing stored");
        cli.ok("rmi", amd.id(), arm.id());
    }

    @Test
    void failuresAreOneLineAndStoreNothing() throws Exception {
        List<String> before = imageIds();
        long layers = layerDirs();
        JpodCli.Result unknown = cli.run("pull", "--tls-verify=false", ref("it/nothing:nope"));
        assertEquals(125, unknown.exit(), unknown::toString);
        assertTrue(unknown.errLines().getLast().startsWith("Error: "), unknown::toString);
        assertEquals(1, unknown.errLines().stream().filter(l -> l.startsWith("Error")).count(), unknown::toString);
        assertTrue(unknown.stderr().contains(reg.host()) && unknown.stderr().contains("manifest unknown"), unknown::toString);
        assertFalse(unknown.stderr().contains("\tat "), "no stack trace: " + unknown);

        // a config whose diff_ids do not match the layers: rejected, nothing kept, and a good pull then works
        byte[] layer = tar(TestTar.file("x.txt", "x"));
        byte[] gz = TestTar.gzip(layer);
        String ld = reg.putBlob("it/corrupt", gz);
        byte[] cfg = Json.write(Map.of("architecture", "amd64", "os", "linux", "config", Map.of(),
                "rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + "0".repeat(64))))).getBytes(StandardCharsets.UTF_8);
        String cd = reg.putBlob("it/corrupt", cfg);
        reg.putManifest("it/corrupt", "1", Json.write(Map.of("schemaVersion", 2, "mediaType", DOCKER_MANIFEST,
                "config", Map.of("mediaType", "application/vnd.docker.container.image.v1+json", "size", cfg.length, "digest", cd),
                "layers", List.of(Map.of("mediaType", DOCKER_LAYER, "size", gz.length, "digest", ld)))).getBytes(StandardCharsets.UTF_8),
                DOCKER_MANIFEST);
        JpodCli.Result corrupt = cli.run("pull", "--tls-verify=false", ref("it/corrupt:1"));
        assertEquals(125, corrupt.exit(), corrupt::toString);
        assertTrue(corrupt.stderr().contains("the image is corrupt"), corrupt::toString);
        assertEquals(before, imageIds());
        assertEquals(layers, layerDirs(), "the mismatching layer was not kept");
        assertEquals(List.of(), leftovers());

        // nothing listens: a clear line
        JpodCli.Result down = cli.run("pull", "--tls-verify=false", "127.0.0.1:1/it/x:1");
        assertEquals(125, down.exit(), down::toString);
        assertTrue(down.stderr().contains("cannot reach 127.0.0.1:1") && down.stderr().contains("connection refused"), down::toString);

        JpodCli.Result bad = cli.run("pull", "UPPER/Case");
        assertEquals(125, bad.exit(), bad::toString);
        assertTrue(bad.stderr().contains("invalid reference format"), bad::toString);
    }

    @Test
    void runPullsAMissingImageUnlessToldNever() {
        String dest = ref("it/runpull:1");
        cli.ok("push", "-q", "--tls-verify=false", JpodCli.IMAGE, dest);
        JpodCli.Result never = cli.run("run", "--rm", "--pull=never", dest, "true");
        assertEquals(125, never.exit(), never::toString);
        assertTrue(never.stderr().contains("image not known"), never::toString);
        JpodCli.Result r = cli.run("run", "--rm", "--tls-verify=false", dest, "echo", "fresh");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("fresh", r.out());
        assertTrue(r.stderr().contains("Trying to pull " + dest), r::toString);
        JpodCli.Result quiet = cli.run("run", "--rm", "-q", "--pull=always", "--tls-verify=false", dest, "echo", "again");
        assertEquals(0, quiet.exit(), quiet::toString);
        assertEquals("", quiet.stderr(), "-q silences the pull");
        cli.ok("rmi", dest);
    }

    @Test
    void shortNamesGoThroughRegistriesConf() throws IOException {
        cli.ok("push", "-q", "--tls-verify=false", JpodCli.IMAGE, ref("it/short:1"));
        Path conf = cli.scratch().resolve("registries.conf");
        Files.writeString(conf, """
                unqualified-search-registries = ["%s"]
                [[registry]]
                location = "%s"
                insecure = true
                [aliases]
                "mybox" = "%s/it/short"
                """.formatted(reg.host(), reg.host(), reg.host()));
        cli.env("CONTAINERS_REGISTRIES_CONF", conf.toString());
        try {
            JpodCli.Result viaSearch = cli.run("pull", "it/short:1"); // insecure in the conf: no --tls-verify needed
            assertEquals(0, viaSearch.exit(), viaSearch::toString);
            assertTrue(viaSearch.stderr().contains("Trying to pull " + ref("it/short:1")), viaSearch::toString);
            JpodCli.Result viaAlias = cli.run("pull", "mybox:1");
            assertEquals(0, viaAlias.exit(), viaAlias::toString);
            Files.writeString(conf, "");
            JpodCli.Result none = cli.run("pull", "nosuchimage");
            assertEquals(125, none.exit(), none::toString);
            assertTrue(none.stderr().contains("short-name \"nosuchimage\" did not resolve to an alias and no unqualified-search"
                    + " registries are defined"), none::toString);
        } finally {
            cli.env("CONTAINERS_REGISTRIES_CONF", "/etc/containers/registries.conf");
        }
        cli.ok("rmi", ref("it/short:1"));
    }

    @Test
    void tlsWithBasicAuthLoginAndLogout() throws IOException {
        try (TestRegistry tls = TestRegistry.tlsBasic(cli.scratch(), "jpod", "s3cret")) {
            Path certDir = cli.scratch().resolve("certs.d");
            Files.createDirectories(certDir.resolve(tls.host()));
            Files.copy(tls.caCert, certDir.resolve(tls.host()).resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path authfile = cli.scratch().resolve("auth.json");
            Files.deleteIfExists(authfile);
            String dest = tls.host() + "/it/private:1";
            String[] tlsOpts = {"--cert-dir", certDir.toString(), "--authfile", authfile.toString()};

            JpodCli.Result untrusted = cli.run("push", JpodCli.IMAGE, dest);
            assertEquals(125, untrusted.exit(), untrusted::toString);
            assertTrue(untrusted.stderr().contains("TLS with " + tls.host() + " failed"), untrusted::toString);

            JpodCli.Result anonymous = cli.run(concat(new String[] {"push"}, tlsOpts, JpodCli.IMAGE, dest));
            assertEquals(125, anonymous.exit(), anonymous::toString);
            assertTrue(anonymous.stderr().contains("authentication required"), anonymous::toString);

            JpodCli.Result wrong = cli.run(concat(new String[] {"login"}, tlsOpts, "-u", "jpod", "-p", "wrong", tls.host()));
            assertEquals(125, wrong.exit(), wrong::toString);
            assertEquals("Error: logging into \"" + tls.host() + "\": invalid username/password", wrong.stderr().strip(), "podman's words");
            assertFalse(Files.exists(authfile), "a failed login stores nothing");

            JpodCli.Result login = cli.run(concat(new String[] {"login"}, tlsOpts, "-u", "jpod", "-p", "s3cret", tls.host()));
            assertEquals(0, login.exit(), login::toString);
            assertEquals("Login Succeeded!", login.out());
            assertTrue(Files.readString(authfile).contains("\"" + tls.host() + "\""), Files.readString(authfile));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(authfile)));

            assertEquals(0, cli.run(concat(new String[] {"push"}, tlsOpts, JpodCli.IMAGE, dest)).exit());
            JpodCli.Result pull = cli.run(concat(new String[] {"pull", "-q"}, tlsOpts, dest));
            assertEquals(0, pull.exit(), pull::toString);

            JpodCli.Result logout = cli.run("logout", "--authfile", authfile.toString(), tls.host());
            assertEquals("Removed login credentials for " + tls.host(), logout.out(), logout::toString);
            JpodCli.Result after = cli.run(concat(new String[] {"pull"}, tlsOpts, dest));
            assertEquals(125, after.exit(), after::toString);
            assertTrue(after.stderr().contains("authentication required"), after::toString);
            JpodCli.Result again = cli.run("logout", "--authfile", authfile.toString(), tls.host());
            assertEquals(125, again.exit(), again::toString);
            assertTrue(again.stderr().contains("not logged into " + tls.host()), again::toString);
            cli.ok("rmi", dest);
        }
    }

    @Test
    void bearerTokenFlow() {
        try (TestRegistry tok = TestRegistry.token(cli.scratch(), "tokenuser", "tokenpass")) {
            String dest = tok.host() + "/it/tokened:1";
            JpodCli.Result push = cli.run("push", "--tls-verify=false", "--creds", "tokenuser:tokenpass", JpodCli.IMAGE, dest);
            assertEquals(0, push.exit(), push::toString);
            JpodCli.Result anonymous = cli.run("pull", "--tls-verify=false", dest);
            assertEquals(125, anonymous.exit(), anonymous::toString);
            assertTrue(anonymous.stderr().contains("authentication required"), anonymous::toString);
            JpodCli.Result wrong = cli.run("pull", "--tls-verify=false", "--creds", "tokenuser:nope", dest);
            assertEquals(125, wrong.exit(), wrong::toString);
            assertTrue(wrong.stderr().contains("invalid username or password"), wrong::toString);
            JpodCli.Result ok = cli.run("pull", "-q", "--tls-verify=false", "--creds", "tokenuser:tokenpass", dest);
            assertEquals(0, ok.exit(), ok::toString);
            cli.ok("rmi", dest);
        }
    }

    @Test
    void zstdLayersAndAllTags() throws Exception {
        byte[] tar = tar(TestTar.dir("z"), TestTar.file("z/hello.txt", "zstd layer"));
        Process p = new ProcessBuilder("zstd", "-q", "-c").start();
        try (var o = p.getOutputStream()) {
            o.write(tar);
        }
        byte[] zst = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "zstd failed (apt-get install zstd)");
        String base = reg.putBlob("it/zstd", TestTar.gzip(busyboxTar()));
        String top = reg.putBlob("it/zstd", zst);
        byte[] cfg = Json.write(Map.of("architecture", "amd64", "os", "linux",
                "config", Map.of("Env", List.of("PATH=/bin"), "Cmd", List.of("sh")),
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(TestRegistry.sha256(busyboxTar()), TestRegistry.sha256(tar)))))
                .getBytes(StandardCharsets.UTF_8);
        String cd = reg.putBlob("it/zstd", cfg);
        byte[] manifest = Json.write(Map.of("schemaVersion", 2, "mediaType", "application/vnd.oci.image.manifest.v1+json",
                "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "size", cfg.length, "digest", cd),
                "layers", List.of(
                        Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip", "size", TestTar.gzip(busyboxTar()).length, "digest", base),
                        Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar+zstd", "size", zst.length, "digest", top))))
                .getBytes(StandardCharsets.UTF_8);
        for (String tag : List.of("a", "b")) reg.putManifest("it/zstd", tag, manifest, "application/vnd.oci.image.manifest.v1+json");

        JpodCli.Result all = cli.run("pull", "--tls-verify=false", "--all-tags", ref("it/zstd"));
        assertEquals(0, all.exit(), all::toString);
        assertEquals(2, all.lines().size(), "one ID per tag: " + all);
        assertEquals("zstd layer", cli.ok("run", "--rm", ref("it/zstd:b"), "cat", "/z/hello.txt").out());
        cli.ok("rmi", ref("it/zstd:a"), ref("it/zstd:b"));
    }

    @Test
    void aRegistryThatBreaksMidBlobIsRetriedThenReportedAndNothingIsKept() throws Exception {
        byte[] layer = TestTar.gzip(tar(TestTar.file("big.bin", "x".repeat(2_000_000))));
        byte[] layerTar = tar(TestTar.file("big.bin", "x".repeat(2_000_000)));
        byte[] cfg = Json.write(Map.of("architecture", "amd64", "os", "linux", "config", Map.of(),
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(TestRegistry.sha256(layerTar))))).getBytes(StandardCharsets.UTF_8);
        String ld = TestRegistry.sha256(layer), cd = TestRegistry.sha256(cfg);
        byte[] manifest = Json.write(Map.of("schemaVersion", 2, "mediaType", DOCKER_MANIFEST,
                "config", Map.of("mediaType", "application/vnd.docker.container.image.v1+json", "size", cfg.length, "digest", cd),
                "layers", List.of(Map.of("mediaType", DOCKER_LAYER, "size", layer.length, "digest", ld)))).getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger breaks = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer flaky = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        flaky.createContext("/v2/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.endsWith("/v2/") ? "{}".getBytes() : path.endsWith("/manifests/1") ? manifest
                    : path.endsWith(cd) ? cfg : path.endsWith(ld) ? layer : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            if (path.endsWith("/manifests/1")) ex.getResponseHeaders().set("Content-Type", DOCKER_MANIFEST);
            ex.sendResponseHeaders(200, body.length);
            if (body == layer && breaks.getAndDecrement() > 0) {
                ex.getResponseBody().write(body, 0, body.length / 2); // the connection dies mid-blob
                ex.getResponseBody().flush();
                ex.close();
                return;
            }
            ex.getResponseBody().write(body);
            ex.close();
        });
        // a thread per exchange: jpod's TLS probe (which this plain server never answers) must not block the rest
        flaky.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        flaky.start();
        String flakyRef = "127.0.0.1:" + flaky.getAddress().getPort() + "/it/flaky:1";
        try {
            List<String> before = imageIds();
            breaks.set(100);
            JpodCli.Result down = cli.run("pull", "--tls-verify=false", flakyRef);
            assertEquals(125, down.exit(), down::toString);
            assertTrue(down.stderr().contains("failed three times"), down::toString);
            assertEquals(before, imageIds(), "nothing registered");
            assertEquals(List.of(), leftovers(), "no ingest file or temp layer left");
            breaks.set(2); // two broken transfers, then a good one: the pull's own retries carry it
            JpodCli.Result retried = cli.run("pull", "-q", "--tls-verify=false", flakyRef);
            assertEquals(0, retried.exit(), retried::toString);
            assertEquals(cd.substring(7), retried.out());
            cli.ok("rmi", flakyRef);
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void aFullDiskMidPullStoresNothingAndAPullWithRoomWorks() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new java.util.Random(3).nextBytes(big); // incompressible, so the blob itself is large too
        byte[] layerTar = tar(TestTar.file("big.bin", "").data(big));
        Built b = pushImage("it/huge", "1", List.of(layerTar), Map.of(), "amd64");
        Path mnt = cli.scratch().resolve("small-disk");
        Files.createDirectories(mnt);
        assertEquals(0, TestRegistry.exitOf("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mnt.toString()));
        Path runRoot = Path.of("/run/" + mnt.getParent().getFileName() + "-small");
        try {
            List<String> argv = List.of(JpodCli.LAUNCHER.toString(), "--root", mnt.resolve("root").toString(),
                    "--runroot", runRoot.toString(), "pull", "-q", "--tls-verify=false", ref("it/huge:1"));
            TestRegistry.Out full = TestRegistry.run(argv);
            assertEquals(125, full.exit(), full::toString);
            assertTrue(full.err().contains("No space left on device"), full::toString);
            assertFalse(full.err().contains("\tat "), "no stack trace: " + full);
            try (Stream<Path> s = Files.walk(mnt.resolve("root"))) {
                long bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                assertTrue(bytes < 2_000_000, "what the failed pull wrote is gone (" + bytes + " bytes remain)");
            }
            assertEquals(0, TestRegistry.exitOf("mount", "-o", "remount,size=128m", mnt.toString()));
            TestRegistry.Out ok = TestRegistry.run(argv);
            assertEquals(0, ok.exit(), ok::toString);
            assertEquals(b.id(), ok.out().strip());
        } finally {
            TestRegistry.exitOf("umount", "-l", mnt.toString());
            TestRegistry.exitOf("rm", "-rf", runRoot.toString());
        }
    }

    static String[] concat(String[] head, String[] mid, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(mid));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
