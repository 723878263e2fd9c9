package io.jpod.image.registry;

import io.jpod.image.Descriptor;
import io.jpod.image.Digest;
import io.jpod.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A client of one registry speaking the OCI distribution API over java.net.http: manifests, blobs, uploads, tags.
 * Authentication follows the registry's challenge: anonymous first, then HTTP basic or the bearer-token flow
 * (realm/service/scope, as Docker Hub and quay.io use), with tokens cached per scope. HTTPS with the system CAs
 * plus CERT_DIR/HOST/*.crt; plain HTTP only when the registry is insecure or TLS verification is off.
 */
public final class RegistryClient {
    /** How to reach a registry: TLS verification, whether plain HTTP may be used, extra CAs, credentials. */
    public record Options(boolean tlsVerify, boolean insecure, Path certDir, Credentials credentials, int attempts) {
        public static Options defaults() {
            return new Options(true, false, Path.of("/etc/containers/certs.d"), null, 3);
        }
    }

    /** A manifest as served: bytes (digest-verified when fetched by digest), media type and digest. */
    public record Fetched(byte[] bytes, String mediaType, Digest digest) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private final String registry;
    private final String host;
    private final Options options;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;
    private volatile URI base;
    private volatile HttpClient http;

    public RegistryClient(String registry, Options options) {
        this.registry = registry;
        this.host = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
        this.options = options;
    }

    public String registry() {
        return registry;
    }

    // ------------------------------------------------------------------ API

    /** Checks that the registry answers and the credentials work (what login does). */
    public void ping() throws IOException {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/v2/")).GET(), null, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw failure(r, "checking " + registry);
    }

    public Fetched manifest(String repo, String reference) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference)).GET()
                .header("Accept", String.join(", ", Descriptor.ACCEPT) + ", " + Descriptor.DOCKER_SCHEMA1);
        HttpResponse<byte[]> r = retrying(() -> send(b, pullScope(repo), HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() != 200) throw failure(r, "reading manifest " + reference + " in " + registry + "/" + repo);
        byte[] body = r.body();
        Digest actual = Digest.of(body);
        if (reference.startsWith("sha256:") && !Digest.parse(reference).equals(actual)) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the manifest " + reference + " served by "
                    + registry + " has digest " + actual + ": it was discarded");
        }
        String ct = r.headers().firstValue("Content-Type").orElse("");
        return new Fetched(body, ct, actual);
    }

    /** Opens a blob's content; the caller verifies its digest while reading. */
    public InputStream blob(String repo, Digest d) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + d)).GET();
        HttpResponse<InputStream> r = retrying(() -> send(b, pullScope(repo), HttpResponse.BodyHandlers.ofInputStream()));
        if (r.statusCode() != 200) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(64 * 1024);
            }
            throw failure(r.statusCode(), r.headers(), body, "fetching blob " + d.shortHex() + " from " + registry + "/" + repo);
        }
        return r.body();
    }

    public boolean blobExists(String repo, Digest d) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + d)).method("HEAD", HttpRequest.BodyPublishers.noBody());
        HttpResponse<byte[]> r = retrying(() -> send(b, pushScope(repo), HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw failure(r, "checking blob " + d.shortHex() + " in " + registry + "/" + repo);
    }

    /** Cross-repository mount; false when the registry started a plain upload instead (it is cancelled). */
    public boolean mount(String repo, Digest d, String fromRepo) throws IOException {
        String q = "?mount=" + enc(d.toString()) + "&from=" + enc(fromRepo);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/" + q)).POST(HttpRequest.BodyPublishers.noBody());
        String scope = pushScope(repo) + " repository:" + fromRepo + ":pull";
        HttpResponse<byte[]> r = send(b, scope, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 201) return true;
        if (r.statusCode() == 202) {
            Optional<String> loc = r.headers().firstValue("Location");
            if (loc.isPresent()) {
                try {
                    send(HttpRequest.newBuilder(resolve(loc.get())).DELETE(), pushScope(repo), HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // an abandoned upload session expires on its own
                }
            }
            return false;
        }
        return false; // mounting is an optimisation: any refusal means "upload it"
    }

    /** Uploads a blob in one PUT after opening an upload session. */
    public void upload(String repo, Digest d, long size, IoSupplier<InputStream> content) throws IOException {
        retrying(() -> {
            HttpRequest.Builder start = HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody());
            HttpResponse<byte[]> r = send(start, pushScope(repo), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 202) throw failure(r, "starting the upload of blob " + d.shortHex() + " to " + registry + "/" + repo);
            String loc = r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                    RegistryException.Kind.PROTOCOL, registry + " started an upload without a Location"));
            URI target = resolve(loc);
            String sep = target.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(target + sep + "digest=" + enc(d.toString()));
            HttpRequest.Builder b = HttpRequest.newBuilder(put)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                        try {
                            return content.get();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }), size));
            HttpResponse<byte[]> done = send(b, pushScope(repo), HttpResponse.BodyHandlers.ofByteArray());
            if (done.statusCode() != 201) throw failure(done, "uploading blob " + d.shortHex() + " to " + registry + "/" + repo);
            return done;
        });
    }

    public Digest putManifest(String repo, String reference, byte[] bytes, String mediaType) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<byte[]> r = retrying(() -> send(b, pushScope(repo), HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() != 201 && r.statusCode() != 200) throw failure(r, "writing manifest " + reference + " to " + registry + "/" + repo);
        return Digest.of(bytes);
    }

    /** All tags of a repository, following the Link header's pages. */
    @SuppressWarnings("unchecked")
    public List<String> tags(String repo) throws IOException {
        List<String> out = new ArrayList<>();
        URI next = uri("/v2/" + repo + "/tags/list");
        for (int page = 0; next != null && page < 1000; page++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(next).GET();
            HttpResponse<byte[]> r = retrying(() -> send(b, pullScope(repo), HttpResponse.BodyHandlers.ofByteArray()));
            if (r.statusCode() != 200) throw failure(r, "listing tags of " + registry + "/" + repo);
            Map<String, Object> doc = Json.parseObject(new String(r.body(), StandardCharsets.UTF_8));
            if (doc.get("tags") instanceof List<?> l) l.forEach(t -> out.add(t.toString()));
            next = r.headers().firstValue("Link").map(this::linkTarget).orElse(null);
        }
        return out;
    }

    private URI linkTarget(String link) {
        int lt = link.indexOf('<');
        int gt = link.indexOf('>');
        return lt >= 0 && gt > lt ? resolve(link.substring(lt + 1, gt)) : null;
    }

    // ------------------------------------------------------------------ transport

    /** An I/O step that may be retried. */
    @FunctionalInterface
    public interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Runs {@code call} up to options.attempts times while it fails transiently (connection reset, 5xx, 429). */
    <T> T retrying(IoSupplier<T> call) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= Math.max(1, options.attempts()); attempt++) {
            try {
                T r = call.get();
                if (r instanceof HttpResponse<?> resp && transientStatus(resp.statusCode()) && attempt < options.attempts()) {
                    if (resp.body() instanceof InputStream in) in.close();
                    sleep(attempt);
                    continue;
                }
                return r;
            } catch (RegistryException e) {
                if (e.kind() != RegistryException.Kind.TRANSIENT) throw e;
                last = e;
            } catch (IOException e) {
                if (!isTransient(e)) throw e;
                last = e;
            }
            if (attempt < options.attempts()) sleep(attempt);
        }
        throw last instanceof RegistryException re ? re
                : new RegistryException(RegistryException.Kind.UNREACHABLE, registry + " failed repeatedly: " + describe(last), last);
    }

    static boolean transientStatus(int s) {
        return s == 429 || s == 502 || s == 503 || s == 504 || s == 500;
    }

    static boolean isTransient(IOException e) {
        if (e instanceof RegistryException re) return re.kind() == RegistryException.Kind.TRANSIENT;
        return !(e instanceof ConnectException || e instanceof UnknownHostException || e instanceof SSLException
                || e instanceof HttpTimeoutException && e.getMessage() != null && e.getMessage().contains("connect"));
    }

    private static void sleep(int attempt) throws IOException {
        try {
            Thread.sleep(attempt == 1 ? 200 : 1000L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while retrying");
        }
    }

    /** Sends with the credentials the registry asked for; on 401 answers the challenge once and resends. */
    <T> HttpResponse<T> send(HttpRequest.Builder b, String scope, HttpResponse.BodyHandler<T> handler) throws IOException {
        String auth = authorization(scope);
        HttpResponse<T> r = exchange(b, auth, handler);
        if (r.statusCode() != 401) return r;
        Challenge c = Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
        if (c == null) return r;
        challenge = c;
        String again = authorization(scope);
        if (again == null || again.equals(auth)) return r;
        if (r.body() instanceof InputStream in) in.close();
        return exchange(b, again, handler);
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder b, String auth, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest req = b.copy().build();
        if (auth != null) req = b.copy().setHeader("Authorization", auth).build();
        URI origin = req.uri();
        for (int hop = 0; ; hop++) {
            HttpResponse<T> r;
            try {
                r = client().send(req, handler);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted talking to " + registry);
            }
            int s = r.statusCode();
            Optional<String> loc = r.headers().firstValue("Location");
            boolean redirect = (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && loc.isPresent()
                    && !"POST".equals(req.method()) && !"PUT".equals(req.method());
            if (!redirect) return r;
            if (hop >= 5) throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " redirected too often");
            if (r.body() instanceof InputStream in) in.close();
            URI next = req.uri().resolve(loc.get());
            HttpRequest.Builder nb = HttpRequest.newBuilder(next).method(req.method(), HttpRequest.BodyPublishers.noBody());
            // blob storage (S3, CDNs) gets a signed URL; the registry's credentials must not travel there
            if (auth != null && sameOrigin(origin, next)) nb.setHeader("Authorization", auth);
            req.headers().firstValue("Accept").ifPresent(a -> nb.setHeader("Accept", a));
            req = nb.build();
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    private String authorization(String scope) throws IOException {
        Challenge c = challenge;
        if (c == null) return null;
        Credentials creds = options.credentials();
        if (c.scheme().equals("basic")) return creds == null ? null : creds.basicHeader();
        if (!c.scheme().equals("bearer")) return null;
        String key = scope == null ? "" : scope;
        String t = tokens.get(key);
        if (t == null) {
            t = fetchToken(c, scope, creds);
            tokens.put(key, t);
        }
        return "Bearer " + t;
    }

    private String fetchToken(Challenge c, String scope, Credentials creds) throws IOException {
        String realm = c.params().get("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, registry + " asked for a bearer token without a realm");
        }
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        String service = c.params().get("service");
        if (service != null) q.append("service=").append(enc(service));
        if (scope != null) for (String s : scope.split(" ")) q.append("&scope=").append(enc(s));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.toString())).GET();
        if (creds != null) b.header("Authorization", creds.basicHeader());
        HttpResponse<byte[]> r;
        try {
            r = client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted fetching a token");
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNREACHABLE, "cannot reach the token server " + realm
                    + " of " + registry + ": " + describe(e), e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, creds == null
                    ? "authentication required by " + registry + ": log in with jpod login " + registry
                    : "invalid username or password for " + registry + " (the token server " + realm + " refused them)");
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the token server " + realm + " of " + registry
                    + " answered " + r.statusCode());
        }
        Map<String, Object> doc = Json.parseObject(new String(r.body(), StandardCharsets.UTF_8));
        Object token = doc.containsKey("token") ? doc.get("token") : doc.get("access_token");
        if (!(token instanceof String s) || s.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "the token server " + realm + " sent no token");
        }
        return s;
    }

    private static String pullScope(String repo) {
        return "repository:" + repo + ":pull";
    }

    private static String pushScope(String repo) {
        return "repository:" + repo + ":pull,push";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private URI uri(String path) throws IOException {
        return URI.create(base() + path);
    }

    private URI resolve(String location) {
        return base.resolve(location);
    }

    /** https, or http when allowed and https is not served: decided once per client by GET /v2/. */
    private URI base() throws IOException {
        URI b = base;
        if (b != null) return b;
        synchronized (this) {
            if (base != null) return base;
            boolean httpAllowed = options.insecure() || !options.tlsVerify();
            URI https = URI.create("https://" + host);
            try {
                probe(https);
                base = https;
            } catch (IOException e) {
                if (!httpAllowed || !(e instanceof SSLException || e.getCause() instanceof SSLException || e instanceof ConnectException)) {
                    throw reach(e, https);
                }
                URI plain = URI.create("http://" + host);
                try {
                    probe(plain);
                } catch (IOException e2) {
                    throw reach(e2, plain);
                }
                base = plain;
            }
            return base;
        }
    }

    private void probe(URI b) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = client().send(HttpRequest.newBuilder(URI.create(b + "/v2/")).GET().timeout(CONNECT_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (r.statusCode() == 401) {
            challenge = Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse(null));
        }
    }

    private RegistryException reach(IOException e, URI where) {
        if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            return new RegistryException(RegistryException.Kind.TLS, "TLS with " + registry + " failed: " + describe(e)
                    + "; if this registry serves plain HTTP or a self-signed certificate, use --tls-verify=false or mark it"
                    + " insecure in /etc/containers/registries.conf", e);
        }
        return new RegistryException(RegistryException.Kind.UNREACHABLE, "cannot reach " + registry + " at " + where
                + ": " + describe(e) + "; check the registry's address and that it is running", e);
    }

    static String describe(Throwable e) {
        if (e == null) return "unknown error";
        if (e instanceof ConnectException) return "connection refused";
        String m = e.getMessage();
        if (m == null || m.isEmpty()) return e.getCause() != null ? describe(e.getCause()) : e.getClass().getSimpleName();
        return m;
    }

    private RegistryException failure(HttpResponse<byte[]> r, String doing) {
        return failure(r.statusCode(), r.headers(), r.body(), doing);
    }

    /** Maps a refusal to a kind and one line: the registry's own error codes and messages when it sent them. */
    private RegistryException failure(int status, HttpHeaders headers, byte[] body, String doing) {
        String detail = registryErrors(body);
        String why = detail.isEmpty() ? "HTTP " + status : detail;
        return switch (status) {
            case 404 -> new RegistryException(RegistryException.Kind.NOT_FOUND, doing + ": " + (detail.isEmpty() ? "not found" : detail));
            case 401 -> new RegistryException(RegistryException.Kind.UNAUTHORIZED, doing + ": " + (options.credentials() == null
                    ? "authentication required: log in with jpod login " + registry
                    : "invalid username or password (" + why + ")"));
            case 403 -> new RegistryException(RegistryException.Kind.DENIED, doing + ": access denied (" + why + ")");
            default -> new RegistryException(transientStatus(status) ? RegistryException.Kind.TRANSIENT : RegistryException.Kind.PROTOCOL,
                    doing + ": " + why);
        };
    }

    static String registryErrors(byte[] body) {
        if (body == null || body.length == 0) return "";
        try {
            Map<String, Object> doc = Json.parseObject(new String(body, StandardCharsets.UTF_8));
            if (doc.get("errors") instanceof List<?> errs && !errs.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Object o : errs) {
                    if (o instanceof Map<?, ?> m) {
                        String msg = String.valueOf(m.get("message"));
                        String code = m.get("code") == null ? "" : String.valueOf(m.get("code")).toLowerCase().replace('_', ' ');
                        parts.add(code.isEmpty() || code.equals(msg) ? msg : code + ": " + msg);
                    }
                }
                return String.join("; ", parts);
            }
        } catch (RuntimeException e) {
            // not JSON: fall through
        }
        return "";
    }

    private HttpClient client() throws IOException {
        HttpClient c = http;
        if (c != null) return c;
        synchronized (this) {
            if (http == null) {
                if (!options.tlsVerify()) System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER).sslContext(sslContext()).build();
            }
            return http;
        }
    }

    /** The system CA bundle plus CERT_DIR/HOST/*.crt; or trust-anything when verification is off. */
    private SSLContext sslContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (!options.tlsVerify()) {
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                return ctx;
            }
            List<Certificate> extra = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Path hostDir = options.certDir() == null ? null : options.certDir().resolve(host.replace('/', '_'));
            if (hostDir != null && Files.isDirectory(hostDir)) {
                try (var s = Files.list(hostDir)) {
                    for (Path p : s.filter(p -> p.toString().endsWith(".crt")).sorted().toList()) {
                        try (InputStream in = Files.newInputStream(p)) {
                            extra.addAll(cf.generateCertificates(in));
                        }
                    }
                }
            }
            Path system = Path.of("/etc/ssl/certs/ca-certificates.crt");
            if (extra.isEmpty() && !Files.isReadable(system)) return SSLContext.getDefault();
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            if (Files.isReadable(system)) {
                try (InputStream in = Files.newInputStream(system)) {
                    for (Certificate c : cf.generateCertificates(in)) ks.setCertificateEntry("system-" + n++, c);
                }
            }
            for (Certificate c : extra) ks.setCertificateEntry("certs.d-" + n++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + registry + ": " + e.getMessage(), e);
        }
    }

    /** --tls-verify=false: any certificate is accepted, as podman does. */
    private static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
