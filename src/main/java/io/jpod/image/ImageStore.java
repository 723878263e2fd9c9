package io.jpod.image;

import io.jpod.json.Json;
import io.jpod.state.ImageRecord;
import io.jpod.state.StateException;
import io.jpod.state.StateStore;
import io.jpod.sys.FileOps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Local images: each layer unpacked once into layers/HEX/diff (shared by every image that has it, and used as
 * an overlay lower dir), image metadata and names in the state store. Layers appear by atomic rename of a
 * fully unpacked temp dir, so a concurrent or killed import never exposes half a layer.
 */
public final class ImageStore {
    private final Path layersDir;
    private final StateStore state;
    private final FileOps fileOps;

    public ImageStore(Path layersDir, StateStore state, FileOps fileOps) {
        this.layersDir = layersDir;
        this.state = state;
        this.fileOps = fileOps;
    }

    public Path layerDir(String diffId) {
        return layersDir.resolve(hex(diffId)).resolve("diff");
    }

    private static String hex(String digest) {
        return digest.startsWith("sha256:") ? digest.substring(7) : digest;
    }

    /** Imports a rootfs tarball (plain or gzip) as a one-layer image; returns it. */
    public Image importTarball(InputStream tar, String name, List<String> changes, Instant now) throws IOException {
        Map<String, Object> runConfig = ImageChanges.apply(Map.of(), changes);
        Files.createDirectories(layersDir);
        Path tmp = layersDir.resolve(".tmp-" + UUID.randomUUID());
        LayerUnpacker.UnpackResult r;
        try {
            Files.createDirectories(tmp.resolve("diff"));
            r = LayerUnpacker.unpack(tar, tmp.resolve("diff"), fileOps);
            Path target = layersDir.resolve(hex(r.diffId()));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move layer into place: " + e.getMessage(), e);
            } catch (java.nio.file.FileSystemException e) {
                // The layer is there already (imported before, or by a concurrent import): same digest, same
                // content. rename(2) says ENOTEMPTY, which Java reports as a plain FileSystemException.
                if (!Files.isDirectory(target)) throw e;
                Fs.deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            Fs.deleteTree(tmp);
            throw e;
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("created", now.toString());
        cfg.put("architecture", "amd64");
        cfg.put("os", "linux");
        cfg.put("config", runConfig);
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(r.diffId())));
        cfg.put("history", List.of(Map.of("created", now.toString(), "created_by", "jpod import")));
        String cfgJson = Json.write(cfg);
        String id = sha256(cfgJson.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("config", cfg);
        meta.put("size", r.size());
        List<String> names = name == null ? List.of() : List.of(ImageRef.parse(name).qualified());
        state.addImage(new ImageRecord(id, names, now.toEpochMilli(), Json.write(meta)));
        return toImage(state.image(id).orElseThrow());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Image toImage(ImageRecord r) {
        Map<String, Object> meta = Json.parseObject(r.metadataJson());
        Map<String, Object> cfg = (Map<String, Object>) meta.getOrDefault("config", Map.of());
        Map<String, Object> rootfs = (Map<String, Object>) cfg.getOrDefault("rootfs", Map.of());
        List<String> diffIds = ((List<Object>) rootfs.getOrDefault("diff_ids", List.of())).stream().map(String::valueOf).toList();
        Instant created = cfg.get("created") instanceof String s ? parseInstant(s, r.createdMillis()) : Instant.ofEpochMilli(r.createdMillis());
        long size = meta.get("size") instanceof Number n ? n.longValue() : 0;
        return new Image(r.id(), r.names(), created, cfg, diffIds, size);
    }

    private static Instant parseInstant(String s, long fallback) {
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.ofEpochMilli(fallback);
        }
    }

    /** Finds an image by ID, ID prefix, full name or short name, as podman resolves local images. */
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
     * Removes an image; refuses when containers use it. Layers no remaining image references are deleted.
     */
    public List<String> remove(Image image) throws IOException {
        List<String> users = state.containersUsingImage(image.id());
        if (!users.isEmpty()) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS, "image " + image.id().substring(0, 12)
                    + " is in use by container " + users.getFirst().substring(0, 12)
                    + ": remove the container first, or use rmi -f");
        }
        state.removeImage(image.id());
        List<String> stillUsed = new ArrayList<>();
        for (Image other : list()) stillUsed.addAll(other.diffIds());
        List<String> removed = new ArrayList<>();
        for (String d : image.diffIds()) {
            if (!stillUsed.contains(d)) {
                Fs.deleteTree(layersDir.resolve(hex(d)));
                removed.add(d);
            }
        }
        return removed;
    }

    public void tag(Image image, String name) {
        state.tagImage(image.id(), List.of(ImageRef.parse(name).qualified()));
    }
}
