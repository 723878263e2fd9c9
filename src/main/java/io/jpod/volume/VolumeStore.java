package io.jpod.volume;

import io.jpod.json.Json;
import io.jpod.state.StateException;
import io.jpod.state.StateStore;
import io.jpod.state.VolumeRecord;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Volumes of the local driver: VOLUMES/NAME/_data, with the record in the state store. A volume's directory is
 * made before its record and removed after it, so a crash leaves at worst an orphan directory, never a record
 * pointing nowhere. A new volume is marked for copy-up: the first container to mount it copies the image's content
 * at the mount point into it (podman's behaviour); VOLUMES/NAME/copied records that this happened.
 */
public final class VolumeStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private final Path dir;
    private final StateStore state;
    private final io.jpod.sys.FileOps fileOps;
    private final io.jpod.sys.Syscalls sys;
    private static final long MS_BIND = 4096, MS_REC = 16384;
    private static final int MNT_DETACH = 2;

    public VolumeStore(Path dir, StateStore state, io.jpod.sys.FileOps fileOps, io.jpod.sys.Syscalls sys) {
        this.dir = dir;
        this.state = state;
        this.fileOps = fileOps;
        this.sys = sys;
    }

    /**
     * The local driver's options, as podman's: type=tmpfs [o=size=..,mode=..]; type=none|bind with device=/host/dir
     * and o=bind; any other type with a device (a block device or filesystem image); nocopy disables copy-up.
     */
    static void checkOptions(Map<String, String> o) {
        for (String k : o.keySet()) {
            if (!List.of("type", "device", "o", "nocopy").contains(k)) {
                throw new IllegalArgumentException("invalid volume option \"" + k + "\" for the local driver: use type, device, o or nocopy");
            }
        }
        String type = o.get("type");
        String device = o.get("device");
        if (type == null) {
            if (device != null || o.containsKey("o")) throw new IllegalArgumentException("volume options device and o need a type: add -o type=...");
            return;
        }
        boolean bind = type.equals("none") || type.equals("bind") || o.getOrDefault("o", "").contains("bind");
        if (bind) {
            if (device == null || !device.startsWith("/") || !Files.isDirectory(Path.of(device))) {
                throw new IllegalArgumentException("a bind volume needs -o device=/existing/host/directory (" + device + " is not one)");
            }
        } else if (!type.equals("tmpfs") && device == null) {
            throw new IllegalArgumentException("a volume of type " + type + " needs -o device=...");
        }
    }

    /** Mounts what a volume with a type names onto its _data directory, unless it already is mounted. */
    public void ensureMounted(String name) throws IOException {
        Optional<Volume> v = find(name);
        if (v.isEmpty() || !v.get().options().containsKey("type")) return;
        Path data = dataDir(name);
        if (io.jpod.sys.Fs.isMountPoint(data)) return;
        Map<String, String> o = v.get().options();
        String type = o.get("type");
        String opts = o.getOrDefault("o", "");
        try {
            if (type.equals("none") || type.equals("bind") || opts.contains("bind")) {
                sys.mount(o.get("device"), data.toString(), "", MS_BIND | (opts.contains("rbind") ? MS_REC : 0), null);
            } else {
                sys.mount(o.getOrDefault("device", type), data.toString(), type, 0, opts.isEmpty() ? null : opts);
            }
        } catch (RuntimeException e) {
            throw new IOException("mounting volume " + name + " (" + o + "): " + e.getMessage(), e);
        }
    }

    /** The volume a data directory belongs to, for a mount's source path; null when it is not a volume's. */
    public String nameOf(Path dataDir) {
        Path parent = dataDir.getParent();
        return parent != null && dir.equals(parent.getParent()) && dataDir.getFileName().toString().equals("_data")
                ? parent.getFileName().toString() : null;
    }

    /**
     * Copies {@code source} (the image's content at the mount point, inside a mounted rootfs) into a volume that
     * has never been filled, keeping modes, owners, times and symlinks (not followed). Runs once per volume.
     */
    public void copyUpOnce(String name, Path source) throws IOException {
        Path home = dir.resolve(name);
        Path marker = home.resolve("copied");
        if (Files.exists(marker)) return;
        if (find(name).map(v -> v.options().containsKey("nocopy")).orElse(false)) {
            Files.writeString(marker, "");
            return;
        }
        Path data = home.resolve("_data");
        boolean empty;
        try (var s = Files.list(data)) {
            empty = s.findAny().isEmpty();
        }
        if (empty && Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) copyTree(source, data);
        Files.writeString(marker, "");
    }

    private void copyTree(Path from, Path to) throws IOException {
        java.nio.file.LinkOption nf = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Path t = to.resolve(from.relativize(d).toString());
                if (!d.equals(from)) Files.createDirectory(t);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path t = to.resolve(from.relativize(f).toString());
                if (a.isSymbolicLink()) {
                    Files.createSymbolicLink(t, Files.readSymbolicLink(f));
                } else if (a.isRegularFile()) {
                    Files.copy(f, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES, nf);
                } else {
                    return FileVisitResult.CONTINUE; // devices, FIFOs and sockets are not volume content
                }
                owner(f, t);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Path t = to.resolve(from.relativize(d).toString());
                owner(d, t);
                Files.setPosixFilePermissions(t, Files.getPosixFilePermissions(d, nf));
                Files.setLastModifiedTime(t, Files.getLastModifiedTime(d, nf));
                return FileVisitResult.CONTINUE;
            }

            private void owner(Path src, Path dst) throws IOException {
                Map<String, Object> ids = Files.readAttributes(src, "unix:uid,gid", nf);
                fileOps.lchown(dst, (Integer) ids.get("uid"), (Integer) ids.get("gid"));
            }
        });
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Creates a volume (anonymous ones are named by the caller with 64 hex digits, as podman names them). */
    public Volume create(String name, Map<String, String> labels, Map<String, String> options, boolean anonymous,
                         Instant now) throws IOException {
        if (!validName(name)) {
            throw new IllegalArgumentException("invalid volume name \"" + name + "\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        checkOptions(options);
        if (state.volume(name).isPresent()) {
            throw new StateException(StateException.Kind.ALREADY_EXISTS, "volume with name " + name + " already exists: volume already exists");
        }
        Path home = dir.resolve(name);
        boolean made = !Files.exists(home);
        Files.createDirectories(home.resolve("_data"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("driver", "local");
        meta.put("labels", labels);
        meta.put("options", options);
        meta.put("anonymous", anonymous);
        try {
            state.addVolume(new VolumeRecord(name, now.toEpochMilli(), Json.write(meta)));
        } catch (RuntimeException e) {
            if (made) deleteTree(home);
            throw e;
        }
        return find(name).orElseThrow();
    }

    public Optional<Volume> find(String name) {
        return state.volume(name).map(this::toVolume);
    }

    public List<Volume> list() {
        return state.volumes().stream().map(this::toVolume).toList();
    }

    public Path dataDir(String name) {
        return dir.resolve(name).resolve("_data");
    }

    /** Removes the record, then the directory. */
    public void delete(Volume v) throws IOException {
        if (sys != null && io.jpod.sys.Fs.isMountPoint(dataDir(v.name()))) {
            try {
                sys.umount2(dataDir(v.name()).toString(), MNT_DETACH);
            } catch (RuntimeException e) {
                throw new IOException("unmounting volume " + v.name() + ": " + e.getMessage(), e);
            }
        }
        state.removeVolume(v.name());
        deleteTree(dir.resolve(v.name()));
    }

    @SuppressWarnings("unchecked")
    private Volume toVolume(VolumeRecord r) {
        Map<String, Object> meta = Json.parseObject(r.metadataJson());
        Map<String, String> labels = new LinkedHashMap<>();
        if (meta.get("labels") instanceof Map<?, ?> m) m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        Map<String, String> options = new LinkedHashMap<>();
        if (meta.get("options") instanceof Map<?, ?> m) m.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
        return new Volume(r.name(), String.valueOf(meta.getOrDefault("driver", "local")), dataDir(r.name()),
                Instant.ofEpochMilli(r.createdMillis()), labels, options, Boolean.TRUE.equals(meta.get("anonymous")));
    }

    private static void deleteTree(Path root) throws IOException {
        io.jpod.sys.Fs.deleteTree(root);
    }
}
