package io.jpod.image.registry;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials in the containers auth.json format ({"auths": {"HOST[/NAMESPACE]": {"auth": base64(user:pass)}}}),
 * podman's file: --authfile, else $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json
 * (/run/containers/0/auth.json for root). Docker's ~/.docker/config.json is read too, never written.
 */
public final class AuthFile {
    private final Path path;
    private final Path dockerConfig;

    public AuthFile(Path path, Path dockerConfig) {
        this.path = path;
        this.dockerConfig = dockerConfig;
    }

    /** The file podman would use for {@code explicit} (--authfile, may be null) in this environment. */
    public static AuthFile resolve(String explicit, Map<String, String> env) {
        Path docker = env.get("HOME") == null ? null : Path.of(env.get("HOME"), ".docker", "config.json");
        if (explicit != null && !explicit.isEmpty()) return new AuthFile(Path.of(explicit), null);
        String fromEnv = env.get("REGISTRY_AUTH_FILE");
        if (fromEnv != null && !fromEnv.isEmpty()) return new AuthFile(Path.of(fromEnv), docker);
        String xdg = env.get("XDG_RUNTIME_DIR");
        Path dir = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of("/run/containers/0");
        if (xdg != null && !xdg.isEmpty()) dir = dir.resolve("containers");
        return new AuthFile(dir.resolve("auth.json"), docker);
    }

    public Path path() {
        return path;
    }

    /** Credentials for a repository: the longest matching HOST/NAMESPACE key wins, then HOST. */
    public Optional<Credentials> lookup(String registry, String repository) throws IOException {
        for (Path p : dockerConfig == null ? new Path[] {path} : new Path[] {path, dockerConfig}) {
            Map<String, String> auths = read(p);
            String key = registry + (repository == null || repository.isEmpty() ? "" : "/" + repository);
            while (true) {
                String auth = auths.get(key);
                if (auth != null && !auth.isEmpty()) {
                    try {
                        return Optional.of(Credentials.decode(auth));
                    } catch (IllegalArgumentException e) {
                        throw new IOException("the credentials for " + key + " in " + p + " are malformed: " + e.getMessage()
                                + "; run jpod login " + registry + " again");
                    }
                }
                int slash = key.lastIndexOf('/');
                if (slash < 0) break;
                key = key.substring(0, slash);
            }
        }
        return Optional.empty();
    }

    /** Stores credentials for {@code key} (HOST or HOST/NAMESPACE), replacing the file atomically, mode 0600. */
    public void store(String key, Credentials c) throws IOException {
        update(auths -> auths.put(key, Map.of("auth", c.encoded())));
    }

    /** Removes {@code key}; false if it had no entry. */
    public boolean remove(String key) throws IOException {
        boolean[] found = {false};
        update(auths -> found[0] = auths.remove(key) != null);
        return found[0];
    }

    public void removeAll() throws IOException {
        update(Map::clear);
    }

    @SuppressWarnings("unchecked")
    private void update(java.util.function.Consumer<Map<String, Object>> change) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        try {
            String text = Files.readString(path);
            if (!text.isBlank()) doc.putAll(Json.parseObject(text));
        } catch (NoSuchFileException e) {
            // first login
        } catch (RuntimeException e) {
            throw new IOException(path + " is not valid JSON (" + e.getMessage() + "): fix or remove it");
        }
        Map<String, Object> auths = new LinkedHashMap<>(doc.get("auths") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        change.accept(auths);
        doc.put("auths", auths);
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Json.writePretty(doc) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** key (normalised: no scheme, no /v1/ or /v2/ suffix, index.docker.io as docker.io) -> auth. */
    static Map<String, String> read(Path p) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String text;
        try {
            text = Files.readString(p);
        } catch (NoSuchFileException e) {
            return out;
        }
        if (text.isBlank()) return out;
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(text);
        } catch (RuntimeException e) {
            throw new IOException(p + " is not valid JSON (" + e.getMessage() + "): fix or remove it");
        }
        if (doc.get("auths") instanceof Map<?, ?> auths) {
            auths.forEach((k, v) -> {
                if (v instanceof Map<?, ?> entry && entry.get("auth") instanceof String a) out.put(normalize(k.toString()), a);
            });
        }
        return out;
    }

    public static String normalize(String key) {
        String k = key;
        int scheme = k.indexOf("://");
        if (scheme >= 0) k = k.substring(scheme + 3);
        for (String suffix : new String[] {"/v1/", "/v2/", "/v1", "/v2", "/"}) {
            if (k.endsWith(suffix)) k = k.substring(0, k.length() - suffix.length());
        }
        if (k.equals("index.docker.io") || k.equals("registry-1.docker.io")) k = "docker.io";
        return k;
    }
}
