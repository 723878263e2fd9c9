package io.jpod.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1, started per test class in a scratch directory: plain
 * HTTP, or TLS with a self-signed certificate and htpasswd basic auth, or the bearer-token flow with a token server
 * of the test's own that signs RS256 JWTs (x5c header) with a key the registry trusts.
 */
final class TestRegistry implements AutoCloseable {
    final Path dir;
    final int port;
    final Path caCert; // TLS: the registry's self-signed certificate
    private final Process process;
    private final HttpServer tokenServer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/docker-registry"));
    }

    private TestRegistry(Path dir, int port, Path caCert, Process process, HttpServer tokenServer) {
        this.dir = dir;
        this.port = port;
        this.caCert = caCert;
        this.process = process;
        this.tokenServer = tokenServer;
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    static TestRegistry plain(Path scratch) {
        return start(scratch, "plain", "", null, null);
    }

    /** TLS (certificate for IP 127.0.0.1) plus htpasswd basic auth for user/password. */
    static TestRegistry tlsBasic(Path scratch, String user, String password) {
        Path dir = mkdir(scratch.resolve("reg-tls"));
        sh(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        String hash = sh(dir, "htpasswd", "-Bbn", user, password);
        write(dir.resolve("htpasswd"), hash);
        String extra = """
                  tls:
                    certificate: %s/cert.pem
                    key: %s/key.pem
                auth:
                  htpasswd:
                    realm: basic-realm
                    path: %s/htpasswd
                """.formatted(dir, dir, dir);
        return start(scratch, "tls", extra, dir.resolve("cert.pem"), null);
    }

    /** Plain HTTP with the bearer-token flow: tokens from a test server that accepts only user/password. */
    static TestRegistry token(Path scratch, String user, String password) {
        Path dir = mkdir(scratch.resolve("reg-token"));
        sh(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "signing.pem");
        sh(dir, "openssl", "req", "-x509", "-key", "signing.pem", "-out", "signing.crt", "-days", "2", "-subj", "/CN=jpod-test-token");
        HttpServer ts;
        try {
            ts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateKey key = privateKey(dir.resolve("signing.pem"));
        byte[] certDer = certDer(dir.resolve("signing.crt"));
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        ts.createContext("/token", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            byte[] body;
            int status;
            if (auth != null && !auth.equals(expected)) {
                status = 401;
                body = "{\"details\":\"invalid username or password\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                List<String> access = new ArrayList<>();
                if (auth != null) { // anonymous callers get a token with no access, as Docker Hub's for private repos
                    for (String part : query.split("&")) {
                        if (!part.startsWith("scope=")) continue;
                        String[] sc = java.net.URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(":");
                        if (sc.length != 3) continue;
                        StringBuilder acts = new StringBuilder();
                        for (String a : sc[2].split(",")) acts.append(acts.isEmpty() ? "" : ",").append('"').append(a).append('"');
                        access.add("{\"type\":\"" + sc[0] + "\",\"name\":\"" + sc[1] + "\",\"actions\":[" + acts + "]}");
                    }
                }
                long now = System.currentTimeMillis() / 1000;
                String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(certDer) + "\"]}";
                String claims = "{\"iss\":\"jpod-test-issuer\",\"sub\":\"" + (auth == null ? "" : user) + "\",\"aud\":\"jpod-test\","
                        + "\"exp\":" + (now + 600) + ",\"nbf\":" + (now - 60) + ",\"iat\":" + now + ",\"jti\":\"" + System.nanoTime()
                        + "\",\"access\":[" + String.join(",", access) + "]}";
                String signingInput = b64url(header.getBytes(StandardCharsets.UTF_8)) + "." + b64url(claims.getBytes(StandardCharsets.UTF_8));
                try {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initSign(key);
                    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                    String jwt = signingInput + "." + b64url(s.sign());
                    body = ("{\"token\":\"" + jwt + "\",\"expires_in\":600}").getBytes(StandardCharsets.UTF_8);
                    status = 200;
                } catch (java.security.GeneralSecurityException e) {
                    body = e.toString().getBytes(StandardCharsets.UTF_8);
                    status = 500;
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ts.start();
        String extra = """
                auth:
                  token:
                    realm: http://127.0.0.1:%d/token
                    service: jpod-test
                    issuer: jpod-test-issuer
                    rootcertbundle: %s/signing.crt
                """.formatted(ts.getAddress().getPort(), dir);
        try {
            return start(scratch, "token", extra, null, ts);
        } catch (RuntimeException e) {
            ts.stop(0);
            throw e;
        }
    }

    private static TestRegistry start(Path scratch, String kind, String extraConfig, Path caCert, HttpServer tokenServer) {
        Path dir = mkdir(scratch.resolve("reg-" + kind));
        int port = freePort();
        String config = """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s/data
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir, port) + extraConfig;
        write(dir.resolve("config.yml"), config);
        try {
            Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return new TestRegistry(dir, port, caCert, p, tokenServer);
                } catch (IOException notYet) {
                    if (!p.isAlive()) break;
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ writing test images straight into it

    /** Uploads a blob with a monolithic POST+PUT; returns "sha256:HEX". Plain registries only. */
    String putBlob(String repo, byte[] data) {
        String digest = sha256(data);
        try {
            HttpResponse<Void> start = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (start.statusCode() != 202) throw new IllegalStateException("upload start: " + start.statusCode());
            URI loc = URI.create("http://" + host()).resolve(start.headers().firstValue("Location").orElseThrow());
            String sep = loc.getRawQuery() == null ? "?" : "&";
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(loc + sep + "digest=" + digest))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 201) throw new IllegalStateException("upload: " + put.statusCode() + " " + put.body());
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PUTs a manifest (or index) under a tag; returns its digest. */
    String putManifest(String repo, String tag, byte[] manifest, String mediaType) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + tag))
                    .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IllegalStateException("manifest put: " + r.statusCode() + " " + r.body());
            return sha256(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tokenServer != null) tokenServer.stop(0);
    }

    // ------------------------------------------------------------------ helpers

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static PrivateKey privateKey(Path pem) {
        try {
            String s = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(s)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + pem + ": " + e, e);
        }
    }

    private static byte[] certDer(Path pem) {
        try {
            String s = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return Base64.getDecoder().decode(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdir(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command printed and its exit code. */
    record Out(int exit, String out, String err) {}

    static Out run(List<String> argv) {
        try {
            Path o = Files.createTempFile("jpit", ".out"), e = Files.createTempFile("jpit", ".err");
            Process p = new ProcessBuilder(argv).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly().waitFor();
            Out r = new Out(done ? p.exitValue() : -1, Files.readString(o), Files.readString(e));
            Files.deleteIfExists(o);
            Files.deleteIfExists(e);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int exitOf(String... argv) {
        return run(List.of(argv)).exit();
    }

    /** Runs a tool in dir and returns its stdout; fails the test setup when it fails. */
    static String sh(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectError(dir.resolve("tool.err").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + Files.readString(dir.resolve("tool.err")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
