package io.jpod.image;

import io.jpod.json.Json;
import io.jpod.state.ImageRecord;
import io.jpod.state.StateException;
import io.jpod.state.StateStore;
import io.jpod.sys.FileOps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Local images. Each layer is unpacked once into layers/HEX/diff (shared by every image that has it, and used as
 * an overlay lower dir); manifests, configs and the layer archives as received live in the {@link BlobStore}, so
 * push and save reproduce the exact bytes (podman rebuilds them with tar-split; keeping the archive is simpler and
 * exact, at the cost of its compressed size on disk). Image metadata and names are in the state store.
 *
 * <p>Layers and blobs appear by atomic rename of fully written and verified temp files, so a concurrent or killed
 * pull never exposes half a layer. Registering an image and removing one (with the layers only it used) happen
 * under the store lock, so a pull cannot lose a shared layer to a concurrent rmi.
 */
public final class ImageStore {
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    private final Path layersDir;
    private final StateStore state;
    private final FileOps fileOps;
    private final BlobStore blobs;

    public ImageStore(Path layersDir, StateStore state, FileOps fileOps) {
        this.layersDir = layersDir;
        this.state = state;
        this.fileOps = fileOps;
        this.blobs = new BlobStore(layersDir.resolveSibling("blobs"));
    }

    /** A layer as stored: its archive's descriptor, its diffID and unpacked tar size. */
    public record StoredLayer(Descriptor blob, String diffId, long tarSize) {}

    public BlobStore blobs() {
        return blobs;
    }

    public Path layerDir(String diffId) {
        return layersDir.resolve(hex(diffId)).resolve("diff");
    }

    public boolean hasLayer(String diffId) {
        return Files.isDirectory(layerDir(diffId));
    }

    private static String hex(String digest) {
        return digest.startsWith("sha256:") ? digest.substring(7) : digest;
    }

    /**
     * Stores a layer archive read from {@code raw} in one pass: the bytes go to the blob store while they are
     * decompressed and unpacked. {@code expected} (may be null) is checked against the archive, {@code expectedDiffId}
     * (may be null) against the tar; any mismatch discards both and throws. {@code progress} sees archive bytes read.
     */
    public StoredLayer storeLayer(InputStream raw, Descriptor expected, String expectedDiffId, LongConsumer progress)
            throws IOException {
        Files.createDirectories(layersDir);
        Path tmp = layersDir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        java.io.BufferedInputStream peek = new java.io.BufferedInputStream(raw, 64 * 1024);
        peek.mark(8);
        byte[] magic = peek.readNBytes(4);
        peek.reset();
        boolean plain = !Tee.compressed(magic); // then the blob digest is the diffID: hash once
        try (BlobStore.Ingest ingest = blobs.begin(!plain)) {
            Files.createDirectories(tmp.resolve("diff"));
            // uncompressed: the tar is the blob, copied on the hashing thread; compressed: the archive is copied here
            Tee tee = new Tee(peek, plain ? OutputStream.nullOutputStream() : ingest, progress);
            LayerUnpacker.UnpackResult r = LayerUnpacker.unpack(tee, tmp.resolve("diff"), fileOps, plain ? ingest : null);
            io.jpod.sys.Trace.mark("layer: unpacked");
            tee.transferTo(OutputStream.nullOutputStream()); // what follows the tar: gzip trailer, padding
            Digest want = expected == null ? null : expected.digest();
            long wantSize = expected == null ? -1 : expected.size();
            Digest blob = plain ? ingest.commitKnown(Digest.parse(r.diffId()), want, wantSize) : ingest.commit(want, wantSize);
            if (expectedDiffId != null && !expectedDiffId.equals(r.diffId())) {
                throw new LayerUnpacker.InvalidLayerException("layer " + blob.shortHex() + " unpacks to " + r.diffId()
                        + " but the image config says " + expectedDiffId + ": the image is corrupt");
            }
            io.jpod.sys.Trace.mark("layer: blob committed");
            Path target = layersDir.resolve(hex(r.diffId()));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move layer into place: " + e.getMessage(), e);
            } catch (java.nio.file.FileSystemException e) {
                // There already (stored before, or by a concurrent pull): same digest, same content. rename(2) says
                // ENOTEMPTY, which Java reports as a plain FileSystemException.
                if (!Files.isDirectory(target)) throw e;
                io.jpod.sys.Fs.deleteTree(tmp);
            }
            String mt = expected != null && !expected.mediaType().isEmpty() ? expected.mediaType() : tee.mediaType();
            return new StoredLayer(new Descriptor(mt, blob, ingest.size(), null, null), r.diffId(), r.size());
        } finally {
            if (Files.exists(tmp)) io.jpod.sys.Fs.deleteTree(tmp);
        }
    }

    /**
     * storeLayer for an uncompressed layer in a file (import FILE): contents and the blob copy go file to file in
     * the kernel, the hash on a second thread. Compressed files take the streaming path.
     */
    public StoredLayer storeLayerFile(Path file) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(4);
        }
        if (Tee.compressed(magic) || !Files.isRegularFile(file)) {
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                return storeLayer(in, null, null, n -> { });
            }
        }
        Files.createDirectories(layersDir);
        Path tmp = layersDir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try (BlobStore.Ingest ingest = blobs.begin(false)) {
            Files.createDirectories(tmp.resolve("diff"));
            LayerUnpacker.UnpackResult r = LayerUnpacker.unpackFile(file, tmp.resolve("diff"), fileOps, ingest);
            io.jpod.sys.Trace.mark("layer: unpacked");
            Digest blob = ingest.commitKnown(Digest.parse(r.diffId()), null, -1);
            Path target = layersDir.resolve(hex(r.diffId()));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileSystemException e) {
                if (!Files.isDirectory(target)) throw e; // there already: same digest, same content
                io.jpod.sys.Fs.deleteTree(tmp);
            }
            return new StoredLayer(new Descriptor(Descriptor.OCI_LAYER, blob, ingest.size(), null, null), r.diffId(), r.size());
        } finally {
            if (Files.exists(tmp)) io.jpod.sys.Fs.deleteTree(tmp);
        }
    }

    /** Imports a rootfs tarball file: {@link #importTarball}, with the fast path for an uncompressed one. */
    public Image importTarballFile(Path file, String name, List<String> changes, Instant now) throws IOException {
        return importLayer(storeLayerFile(file), name, changes, now);
    }

    /** Stores only the archive of a layer whose unpacked form is already here (shared with another image). */
    public StoredLayer storeArchiveOnly(InputStream raw, Descriptor expected, String diffId, LongConsumer progress)
            throws IOException {
        try (BlobStore.Ingest ingest = blobs.begin()) {
            Tee tee = new Tee(raw, ingest, progress);
            tee.transferTo(OutputStream.nullOutputStream());
            Digest d = ingest.commit(expected.digest(), expected.size());
            return new StoredLayer(new Descriptor(expected.mediaType(), d, ingest.size(), null, null), diffId, -1);
        }
    }

    /** Removes what killed pulls left behind (temp layer dirs and ingest files of dead processes). */
    public void sweep() {
        blobs.sweep();
        if (!Files.isDirectory(layersDir)) return;
        try (var s = Files.list(layersDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                String[] parts = p.getFileName().toString().split("-");
                try {
                    if (parts.length > 1 && ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false)) continue;
                } catch (NumberFormatException e) {
                    // an old-style name: its writer is long gone
                }
                io.jpod.sys.Fs.deleteTree(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /**
     * Registers an image whose layers are stored: config and manifest blobs are written (verified), and the image
     * row and its names added, under the store lock after checking every layer is still present.
     */
    public Image register(byte[] configBytes, byte[] manifestBytes, String manifestType, List<StoredLayer> layers,
                          List<String> names, Instant now) throws IOException {
        Digest configDigest = Digest.of(configBytes);
        Map<String, Object> cfg;
        try {
            cfg = Json.parseObject(new String(configBytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new LayerUnpacker.InvalidLayerException("the image config is not valid JSON: " + e.getMessage());
        }
        List<String> diffIds = diffIds(cfg);
        List<String> have = layers.stream().map(StoredLayer::diffId).toList();
        if (!diffIds.equals(have)) {
            throw new LayerUnpacker.InvalidLayerException("the image config lists layers " + diffIds
                    + " but the manifest's layers unpack to " + have + ": the image is corrupt");
        }
        try (Locked l = lock()) {
            for (StoredLayer s : layers) {
                if (!hasLayer(s.diffId()) || !blobs.has(s.blob().digest())) {
                    throw new IOException("layer " + s.diffId() + " was removed while the image was being stored"
                            + " (a concurrent rmi?): run the command again");
                }
            }
            blobs.put(configBytes, configDigest);
            Digest manifestDigest = blobs.put(manifestBytes, null);
            long size = 0;
            List<Object> ls = new ArrayList<>();
            for (StoredLayer s : layers) {
                Map<String, Object> d = s.blob().toJson();
                d.put("diffId", s.diffId());
                long tarSize = s.tarSize() >= 0 ? s.tarSize() : layerSizeOf(s.diffId());
                d.put("tarSize", tarSize);
                size += tarSize;
                ls.add(d);
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("config", cfg);
            meta.put("size", size);
            meta.put("digest", manifestDigest.toString());
            meta.put("manifestType", manifestType);
            meta.put("layers", ls);
            state.addImage(new ImageRecord(configDigest.hex(), names, now.toEpochMilli(), Json.write(meta)));
        }
        return toImage(state.image(configDigest.hex()).orElseThrow());
    }

    /** The tar size recorded for a diffID by any image that has it (a shared layer stored earlier). */
    private long layerSizeOf(String diffId) {
        for (Image i : list()) {
            Long s = i.layerSizes().get(diffId);
            if (s != null) return s;
        }
        return 0;
    }

    /** diffID -> uncompressed tar size, as recorded when the layer was stored. */
    Map<String, Long> tarSizes(Image i) {
        return i.layerSizes();
    }

    @SuppressWarnings("unchecked")
    static List<String> diffIds(Map<String, Object> cfg) {
        Map<String, Object> rootfs = (Map<String, Object>) cfg.getOrDefault("rootfs", Map.of());
        return ((List<Object>) rootfs.getOrDefault("diff_ids", List.of())).stream().map(String::valueOf).toList();
    }

    /** Imports a rootfs tarball (plain or gzip) as a one-layer image with an OCI manifest; returns it. */
    public Image importTarball(InputStream tar, String name, List<String> changes, Instant now) throws IOException {
        ImageChanges.apply(Map.of(), changes); // bad changes fail before anything is stored
        if (name != null) ImageRef.parse(name);
        return importLayer(storeLayer(tar, null, null, n -> { }), name, changes, now);
    }

    private Image importLayer(StoredLayer layer, String name, List<String> changes, Instant now) throws IOException {
        Map<String, Object> runConfig = ImageChanges.apply(Map.of(), changes);
        List<String> names = name == null ? List.of() : List.of(ImageRef.parse(name).qualified());
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("created", now.toString());
        cfg.put("architecture", "amd64");
        cfg.put("os", "linux");
        cfg.put("config", runConfig);
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(layer.diffId())));
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("created", now.toString());
        history.put("created_by", "/bin/sh -c #(nop) ADD file:" + Digest.parse(layer.diffId()).hex() + " in /");
        history.put("comment", "imported from tarball"); // podman's words: tools that read history expect them
        cfg.put("history", List.of(history));
        byte[] cfgBytes = Json.write(cfg).getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ociManifest(cfgBytes, List.of(layer.blob()), Map.of());
        return register(cfgBytes, manifest, Descriptor.OCI_MANIFEST, List.of(layer), names, now);
    }

    /** An OCI image manifest for a config and layer descriptors. */
    public static byte[] ociManifest(byte[] config, List<Descriptor> layers, Map<String, String> annotations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", Descriptor.OCI_MANIFEST);
        m.put("config", new Descriptor(Descriptor.OCI_CONFIG, Digest.of(config), config.length, null, null).toJson());
        m.put("layers", layers.stream().map(Descriptor::toJson).toList());
        if (!annotations.isEmpty()) m.put("annotations", annotations);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Image toImage(ImageRecord r) {
        Map<String, Object> meta = Json.parseObject(r.metadataJson());
        Map<String, Object> cfg = (Map<String, Object>) meta.getOrDefault("config", Map.of());
        Instant created = cfg.get("created") instanceof String s ? parseInstant(s, r.createdMillis()) : Instant.ofEpochMilli(r.createdMillis());
        long size = meta.get("size") instanceof Number n ? n.longValue() : 0;
        List<Descriptor> layers = new ArrayList<>();
        if (meta.get("layers") instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) layers.add(Descriptor.fromJson(l.get(i), "layers[" + i + "]"));
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (meta.get("layers") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("diffId") instanceof String d && m.get("tarSize") instanceof Number n) {
                    sizes.put(d, n.longValue());
                }
            }
        }
        return new Image(r.id(), r.names(), created, cfg, diffIds(cfg), size, (String) meta.get("digest"),
                (String) meta.get("manifestType"), layers, sizes);
    }

    private static Instant parseInstant(String s, long fallback) {
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.ofEpochMilli(fallback);
        }
    }

    /** The stored manifest and config bytes of an image, for push and save. */
    public byte[] manifestBytes(Image image) throws IOException {
        if (image.digest().isEmpty()) throw new IOException("image " + image.id().substring(0, 12)
                + " has no stored manifest (it was stored by an older jpod): pull or import it again");
        return blobs.read(Digest.parse(image.digest()));
    }

    /** Where import and load spool their input: under the store, so a rename into place never crosses devices. */
    Path tmpDir() {
        return layersDir.resolveSibling("tmp");
    }

    public byte[] configBytes(Image image) throws IOException {
        return blobs.read(new Digest(image.id()));
    }

    /** Finds an image by ID, ID prefix, full name, short name or NAME@DIGEST, as podman resolves local images. */
    public Optional<Image> find(String ref) {
        Optional<ImageRecord> r = state.lookupImage(ref);
        if (r.isPresent()) return r.map(ImageStore::toImage);
        ImageRef parsed;
        try {
            parsed = ImageRef.parse(ref);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String candidate : parsed.localCandidates()) {
            r = state.lookupImage(candidate);
            if (r.isPresent()) return r.map(ImageStore::toImage);
        }
        if (parsed.digest() != null) {
            for (Image i : list()) {
                if (!i.digest().equals(parsed.digest())) continue;
                for (String candidate : parsed.localCandidates()) {
                    String repo = ImageRef.repository(candidate.substring(0, candidate.indexOf('@')));
                    if (i.names().stream().anyMatch(n -> ImageRef.repository(n).equals(repo))) return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }

    /** The stored name a reference resolved through (for "busybox", "localhost/busybox:latest"), or null for IDs. */
    public String nameMatching(Image image, String ref) {
        if (image.names().contains(ref)) return ref;
        try {
            for (String candidate : ImageRef.parse(ref).localCandidates()) {
                if (image.names().contains(candidate)) return candidate;
            }
        } catch (IllegalArgumentException e) {
            return null; // an ID, not a reference
        }
        return null;
    }

    public List<Image> list() {
        return state.images().stream().map(ImageStore::toImage).toList();
    }

    public List<Path> lowerDirs(Image image) {
        List<Path> dirs = new ArrayList<>();
        for (String d : image.diffIds()) dirs.add(layerDir(d));
        return dirs.reversed(); // overlay wants the top layer first
    }

    /**
     * Removes an image; refuses when containers use it. Layers and blobs no remaining image references are deleted.
     * Returns the removed layers' diffIDs.
     */
    public List<String> remove(Image image) throws IOException {
        List<String> users = state.containersUsingImage(image.id());
        if (!users.isEmpty()) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS, "image " + image.id().substring(0, 12)
                    + " is in use by container " + users.getFirst().substring(0, 12)
                    + ": remove the container first, or use rmi -f");
        }
        try (Locked l = lock()) {
            state.removeImage(image.id());
            Set<String> stillUsed = new HashSet<>();
            Set<Digest> blobsUsed = new HashSet<>();
            for (Image other : list()) {
                stillUsed.addAll(other.diffIds());
                blobsUsed.add(new Digest(other.id()));
                if (!other.digest().isEmpty()) blobsUsed.add(Digest.parse(other.digest()));
                other.layers().forEach(d -> blobsUsed.add(d.digest()));
            }
            List<String> removed = new ArrayList<>();
            for (String d : image.diffIds()) {
                if (!stillUsed.contains(d) && Files.exists(layersDir.resolve(hex(d)))) {
                    io.jpod.sys.Fs.deleteTree(layersDir.resolve(hex(d)));
                    removed.add(d);
                }
            }
            List<Digest> mine = new ArrayList<>();
            mine.add(new Digest(image.id()));
            if (!image.digest().isEmpty()) mine.add(Digest.parse(image.digest()));
            image.layers().forEach(d -> mine.add(d.digest()));
            for (Digest d : mine) if (!blobsUsed.contains(d)) blobs.delete(d);
            return removed;
        }
    }

    public void tag(Image image, String name) {
        state.tagImage(image.id(), List.of(ImageRef.parse(name).qualified()));
    }

    // ------------------------------------------------------------------ store lock

    private interface Locked extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Serialises register and remove across threads (JVM lock) and processes (flock on layers/.lock). */
    private Locked lock() throws IOException {
        JVM_LOCK.lock();
        try {
            Files.createDirectories(layersDir);
            FileChannel ch = FileChannel.open(layersDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = ch.lock();
            return () -> {
                try {
                    fl.release();
                    ch.close();
                } finally {
                    JVM_LOCK.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            JVM_LOCK.unlock();
            throw e;
        }
    }

    /** Copies what it reads to the blob ingest and reports progress; knows the archive's compression by its magic. */
    private static final class Tee extends PassThroughInputStream {
        private final OutputStream copy;
        private final LongConsumer progress;
        private final byte[] head = new byte[4];
        private int headLen;

        Tee(InputStream in, OutputStream copy, LongConsumer progress) {
            super(in);
            this.copy = copy;
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
                for (int i = 0; i < n && headLen < head.length; i++) head[headLen++] = b[off + i];
                progress.accept(n);
            }
            return n;
        }

        @Override
        public void close() { } // the caller owns the source

        static boolean compressed(byte[] m) {
            return m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b
                    || m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd
                    || m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h'
                    || m.length >= 4 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X';
        }

        String mediaType() {
            if (headLen >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Descriptor.OCI_LAYER_GZIP;
            if (headLen >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                    && (head[3] & 0xff) == 0xfd) return Descriptor.OCI_LAYER_ZSTD;
            return Descriptor.OCI_LAYER;
        }
    }
}
