package io.jpod.image;

import io.jpod.json.Json;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * save and load: docker-archive (manifest.json, CONFIG.json, uncompressed LAYER.tar, repositories: what docker load
 * and podman load read) and OCI image layouts (oci-layout, index.json, blobs/sha256/...) as a tar or a directory.
 * Load spools the archive into a private temp directory first (members may come in any order), never using a
 * member name as a path: each member is looked up by its cleaned name in a map.
 */
public final class ImageArchives {
    public enum Format { DOCKER_ARCHIVE, OCI_ARCHIVE, OCI_DIR;
        public static Format parse(String s) {
            return switch (s == null ? "docker-archive" : s) {
                case "docker-archive" -> DOCKER_ARCHIVE;
                case "oci-archive" -> OCI_ARCHIVE;
                case "oci-dir" -> OCI_DIR;
                default -> throw new IllegalArgumentException("unsupported save format \"" + s
                        + "\": use docker-archive, oci-archive or oci-dir");
            };
        }
    }

    /** An image to save and the names to record for it. */
    public record Item(Image image, List<String> names) {}

    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private final ImageStore store;
    private final Supplier<Instant> clock;

    public ImageArchives(ImageStore store, Supplier<Instant> clock) {
        this.store = store;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ save

    public void save(List<Item> items, Format format, OutputStream out, Progress progress) throws IOException {
        items = merged(items);
        try (TarWriter tar = new TarWriter(out)) {
            if (format == Format.DOCKER_ARCHIVE) saveDocker(items, tar, progress);
            else saveOci(items, new TarSink(tar), progress);
        }
    }

    /** oci-dir: the layout written into {@code dir} (created; must be empty or absent). */
    public void saveDir(List<Item> items, Path dir, Progress progress) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException(dir + " is not empty: choose a new directory for oci-dir");
            }
        }
        Files.createDirectories(dir.resolve("blobs/sha256"));
        saveOci(merged(items), (name, size, content) -> {
            Path p = dir.resolve(name);
            try (InputStream in = content.open(); OutputStream o = Files.newOutputStream(p)) {
                in.transferTo(o);
            }
        }, progress);
    }

    /** One entry per image, with every name it was asked by (docker's manifest.json lists RepoTags per image). */
    static List<Item> merged(List<Item> items) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, Image> images = new LinkedHashMap<>();
        for (Item it : items) {
            images.putIfAbsent(it.image().id(), it.image());
            List<String> ns = names.computeIfAbsent(it.image().id(), k -> new ArrayList<>());
            for (String n : it.names()) if (!ns.contains(n)) ns.add(n);
        }
        List<Item> out = new ArrayList<>();
        images.forEach((id, img) -> out.add(new Item(img, names.get(id))));
        return out;
    }

    /** What one load brought in: the image and the names the archive gave it ("sha256:ID" for none). */
    public record Loaded(Image image, List<String> names) {}

    private interface Opener {
        InputStream open() throws IOException;
    }

    private interface Sink {
        void put(String name, long size, Opener content) throws IOException;
    }

    private record TarSink(TarWriter tar) implements Sink {
        public void put(String name, long size, Opener content) throws IOException {
            try (InputStream in = content.open()) {
                tar.file(name, size, 0, in);
            }
        }
    }

    private void saveOci(List<Item> items, Sink sink, Progress progress) throws IOException {
        byte[] layout = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
        sink.put("oci-layout", layout.length, () -> new java.io.ByteArrayInputStream(layout));
        Set<Digest> written = new LinkedHashSet<>();
        List<Object> manifests = new ArrayList<>();
        for (Item it : items) {
            byte[] manifest = store.manifestBytes(it.image());
            Manifest m = Manifest.parse(manifest, it.image().manifestType());
            List<Digest> blobs = new ArrayList<>();
            for (Descriptor d : m.layers()) blobs.add(d.digest());
            blobs.add(m.config().digest());
            for (Digest d : blobs) {
                progress.line((d.equals(m.config().digest()) ? "Copying config " : "Copying blob ") + d);
                if (!written.add(d)) continue;
                if (!store.blobs().has(d)) throw new IOException("blob " + d + " of image " + it.image().id().substring(0, 12)
                        + " is missing from the store: pull the image again");
                sink.put("blobs/sha256/" + d.hex(), store.blobs().size(d), () -> store.blobs().open(d));
            }
            progress.line("Writing manifest to image destination");
            progress.line("Storing signatures");
            Digest md = Digest.of(manifest);
            if (written.add(md)) sink.put("blobs/sha256/" + md.hex(), manifest.length, () -> new java.io.ByteArrayInputStream(manifest));
            List<String> names = it.names().isEmpty() ? List.of("") : it.names();
            for (String n : names) {
                Map<String, Object> d = new Descriptor(m.mediaType(), md, manifest.length, null,
                        n.isEmpty() ? Map.of() : Map.of(REF_NAME, n)).toJson();
                manifests.add(d);
            }
        }
        byte[] index = Json.write(Map.of("schemaVersion", 2, "manifests", manifests)).getBytes(StandardCharsets.UTF_8);
        sink.put("index.json", index.length, () -> new java.io.ByteArrayInputStream(index));
    }

    private void saveDocker(List<Item> items, TarWriter tar, Progress progress) throws IOException {
        Set<String> written = new LinkedHashSet<>();
        List<Object> manifest = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Item it : items) {
            Image img = it.image();
            Map<String, Long> sizes = store.tarSizes(img);
            Map<String, Descriptor> blobByDiff = new HashMap<>();
            for (int i = 0; i < img.layers().size() && i < img.diffIds().size(); i++) blobByDiff.put(img.diffIds().get(i), img.layers().get(i));
            List<String> layerNames = new ArrayList<>();
            for (String diffId : img.diffIds()) {
                String hex = Digest.parse(diffId).hex();
                String name = hex + ".tar";
                layerNames.add(name);
                progress.line("Copying blob " + diffId);
                if (!written.add(name)) continue;
                Descriptor blob = blobByDiff.get(diffId);
                if (blob == null || !store.blobs().has(blob.digest())) {
                    throw new IOException("layer " + diffId + " of image " + img.id().substring(0, 12)
                            + " has no stored archive: pull the image again");
                }
                Long size = sizes.get(diffId);
                if (size == null || size <= 0) size = count(blob.digest());
                try (InputStream in = uncompressed(blob.digest())) {
                    tar.file(name, size, 0, in);
                }
            }
            byte[] config = store.configBytes(img);
            String configName = img.id() + ".json";
            progress.line("Copying config sha256:" + img.id());
            if (written.add(configName)) tar.file(configName, config, 0);
            progress.line("Writing manifest to image destination");
            progress.line("Storing signatures");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", configName);
            entry.put("RepoTags", it.names());
            entry.put("Layers", layerNames);
            manifest.add(entry);
            for (String n : it.names()) {
                if (layerNames.isEmpty() || n.contains("@")) continue;
                repositories.computeIfAbsent(ImageRef.repository(n), k -> new LinkedHashMap<>())
                        .put(ImageRef.tagOf(n), layerNames.getLast().replace(".tar", ""));
            }
        }
        tar.file("manifest.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8), 0);
        if (!repositories.isEmpty()) tar.file("repositories", Json.write(repositories).getBytes(StandardCharsets.UTF_8), 0);
    }

    private InputStream uncompressed(Digest blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(store.blobs().open(blob), 64 * 1024);
        in.mark(4);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return new GZIPInputStream(in, 64 * 1024);
        if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return new io.jpod.sys.linux.ZstdInputStream(in);
        }
        return in;
    }

    private long count(Digest blob) throws IOException {
        try (InputStream in = uncompressed(blob)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    // ------------------------------------------------------------------ load

    /** Loads every image in a docker-archive or OCI archive (tar, optionally gzip-compressed) or an OCI layout dir. */
    public List<Loaded> load(InputStream archive, Progress progress) throws IOException {
        Path tmp = store.tmpDir().resolve("load-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            Map<String, Path> members = spool(archive, tmp);
            return load(members, progress);
        } finally {
            io.jpod.sys.Fs.deleteTree(tmp);
        }
    }

    public List<Loaded> loadDir(Path dir, Progress progress) throws IOException {
        Map<String, Path> members = new HashMap<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) members.put(dir.relativize(p).toString(), p);
        }
        return load(members, progress);
    }

    private static Map<String, Path> spool(InputStream archive, Path tmp) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 64 * 1024);
        in.mark(2);
        int a = in.read(), b = in.read();
        in.reset();
        InputStream src = a == 0x1f && b == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
        TarReader tar = new TarReader(src);
        Map<String, Path> members = new HashMap<>();
        byte[] buf = new byte[64 * 1024];
        int n = 0;
        boolean sawEntry = false;
        try {
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                sawEntry = true;
                if (e.type() != TarReader.REG) continue;
                String name = clean(e.name());
                if (name == null) continue;
                Path p = tmp.resolve(Integer.toString(n++));
                try (OutputStream o = Files.newOutputStream(p)) {
                    for (int r; (r = tar.read(buf, 0, buf.length)) > 0; ) o.write(buf, 0, r);
                }
                members.put(name, p);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new LayerUnpacker.InvalidLayerException("the archive is corrupt or truncated: " + e.getMessage());
        } catch (LayerUnpacker.InvalidLayerException e) {
            throw new LayerUnpacker.InvalidLayerException(!sawEntry
                    ? "payload does not match any of the supported image formats (docker-archive, oci-archive): it is not a tar archive"
                    : "the archive is corrupt or truncated: " + e.getMessage());
        }
        if (members.isEmpty()) {
            throw new LayerUnpacker.InvalidLayerException("payload does not match any of the supported image formats:"
                    + " it is not a tar archive with images (docker-archive, oci-archive)");
        }
        return members;
    }

    /** "./a//b" -> "a/b"; names that climb out are dropped (they can name no member we look up). */
    static String clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) return null;
            parts.add(p);
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    private List<Loaded> load(Map<String, Path> members, Progress progress) throws IOException {
        if (members.containsKey("manifest.json")) return loadDocker(members, progress);
        if (members.containsKey("index.json")) return loadOci(members, progress);
        throw new LayerUnpacker.InvalidLayerException("payload does not match any of the supported image formats:"
                + " it has neither manifest.json (docker-archive) nor index.json (oci-archive)");
    }

    @SuppressWarnings("unchecked")
    private List<Loaded> loadDocker(Map<String, Path> members, Progress progress) throws IOException {
        Object parsed = parseJson(read(members, "manifest.json"), "manifest.json");
        if (!(parsed instanceof List<?> entries)) throw new LayerUnpacker.InvalidLayerException("manifest.json is not a JSON array");
        List<Loaded> out = new ArrayList<>();
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("Config") instanceof String cfgName) || !(m.get("Layers") instanceof List<?> layerNames)) {
                throw new LayerUnpacker.InvalidLayerException("manifest.json has an entry without Config or Layers");
            }
            byte[] config = read(members, cfgName);
            Map<String, Object> cfg = (Map<String, Object>) parseJson(config, cfgName);
            List<String> diffIds = ImageStore.diffIds(cfg);
            if (diffIds.size() != layerNames.size()) {
                throw new LayerUnpacker.InvalidLayerException(cfgName + " lists " + diffIds.size() + " layers but manifest.json "
                        + layerNames.size() + ": the archive is corrupt");
            }
            progress.line("Getting image source signatures");
            List<ImageStore.StoredLayer> layers = new ArrayList<>();
            for (int i = 0; i < layerNames.size(); i++) {
                Path p = member(members, layerNames.get(i).toString());
                progress.line("Copying blob " + diffIds.get(i));
                layers.add(storeLayer(p, null, diffIds.get(i)));
            }
            progress.line("Copying config " + Digest.of(config));
            progress.line("Writing manifest to image destination");
            progress.line("Storing signatures");
            List<String> names = new ArrayList<>();
            if (m.get("RepoTags") instanceof List<?> tags) {
                for (Object t : tags) names.add(Resolver.normalize(ImageRef.parse(t.toString())).qualifiedDockerStyle());
            }
            byte[] manifest = ImageStore.ociManifest(config, layers.stream().map(ImageStore.StoredLayer::blob).toList(), Map.of());
            Image img = store.register(config, manifest, Descriptor.OCI_MANIFEST, layers, names, clock.get());
            out.add(new Loaded(img, names.isEmpty() ? List.of("sha256:" + img.id()) : names));
        }
        return out;
    }

    private List<Loaded> loadOci(Map<String, Path> members, Progress progress) throws IOException {
        Manifest index = Manifest.parse(read(members, "index.json"), Descriptor.OCI_INDEX);
        if (!index.isIndex()) throw new LayerUnpacker.InvalidLayerException("index.json is not an image index");
        List<Loaded> out = new ArrayList<>();
        Map<Digest, List<String>> namesByManifest = new LinkedHashMap<>();
        Map<Digest, Descriptor> descs = new LinkedHashMap<>();
        for (Descriptor d : index.manifests()) {
            namesByManifest.computeIfAbsent(d.digest(), k -> new ArrayList<>());
            descs.putIfAbsent(d.digest(), d);
            String ref = d.annotations().get(REF_NAME);
            if (ref != null && !ref.isEmpty()) {
                try {
                    namesByManifest.get(d.digest()).add(ImageRef.parse(ref).qualified());
                } catch (IllegalArgumentException e) {
                    // a bare tag ("latest") names no repository: the image loads unnamed, as podman's does
                }
            }
        }
        for (var e : namesByManifest.entrySet()) {
            Descriptor d = descs.get(e.getKey());
            byte[] mb = blob(members, d.digest());
            Manifest m = Manifest.parse(mb, d.mediaType());
            if (m.isIndex()) {
                Descriptor chosen = m.select(Platform.host());
                mb = blob(members, chosen.digest());
                m = Manifest.parse(mb, chosen.mediaType());
            }
            byte[] config = blob(members, m.config().digest());
            @SuppressWarnings("unchecked")
            List<String> diffIds = ImageStore.diffIds((Map<String, Object>) parseJson(config, "the image config"));
            if (diffIds.size() != m.layers().size()) {
                throw new LayerUnpacker.InvalidLayerException("the image config lists " + diffIds.size() + " layers but its manifest "
                        + m.layers().size() + ": the archive is corrupt");
            }
            progress.line("Getting image source signatures");
            List<ImageStore.StoredLayer> layers = new ArrayList<>();
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor ld = m.layers().get(i);
                progress.line("Copying blob " + ld.digest());
                layers.add(storeLayer(member(members, "blobs/sha256/" + ld.digest().hex()), ld, diffIds.get(i)));
            }
            progress.line("Copying config " + m.config().digest());
            progress.line("Writing manifest to image destination");
            progress.line("Storing signatures");
            Image img = store.register(config, mb, m.mediaType(), layers, e.getValue(), clock.get());
            out.add(new Loaded(img, e.getValue().isEmpty() ? List.of("sha256:" + img.id()) : e.getValue()));
        }
        return out;
    }

    private ImageStore.StoredLayer storeLayer(Path file, Descriptor expected, String diffId) throws IOException {
        Descriptor want = expected != null ? expected
                : new Descriptor(Descriptor.OCI_LAYER, Digest.parse(diffId), Files.size(file), null, null);
        if (store.hasLayer(diffId) && store.blobs().has(want.digest())) {
            return new ImageStore.StoredLayer(want, diffId, -1);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return store.hasLayer(diffId) ? store.storeArchiveOnly(in, want, diffId, n -> { })
                    : store.storeLayer(in, want, diffId, n -> { });
        }
    }

    private static byte[] blob(Map<String, Path> members, Digest d) throws IOException {
        byte[] b = read(members, "blobs/sha256/" + d.hex());
        if (!Digest.of(b).equals(d)) throw new LayerUnpacker.InvalidLayerException("blob " + d + " in the archive does not match its digest");
        return b;
    }

    private static Path member(Map<String, Path> members, String name) throws IOException {
        String c = clean(name);
        Path p = c == null ? null : members.get(c);
        if (p == null) throw new LayerUnpacker.InvalidLayerException("the archive lacks " + name + ": it is incomplete");
        return p;
    }

    private static byte[] read(Map<String, Path> members, String name) throws IOException {
        try {
            return Files.readAllBytes(member(members, name));
        } catch (NoSuchFileException e) {
            throw new LayerUnpacker.InvalidLayerException("the archive lacks " + name + ": it is incomplete");
        }
    }

    private static Object parseJson(byte[] b, String what) throws IOException {
        try {
            return Json.parse(new String(b, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new LayerUnpacker.InvalidLayerException(what + " in the archive is not valid JSON: " + e.getMessage());
        }
    }
}
