package io.jpod.engine;

import io.jpod.core.MountSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount specs as users write them (-v, --mount, --tmpfs; the API's Binds, Mounts and Tmpfs), checked. */
public final class MountSpecs {
    private MountSpecs() {}

    /**
     * -v /host:/ctr[:opts] (bind), -v NAME:/ctr[:opts] (named volume, made on first use), -v /ctr (anonymous volume).
     * Options: ro, rw, U (the source is chowned to the container's user when it starts); z and Z are accepted (no
     * SELinux here).
     */
    public static MountSpec volume(String v) {
        String[] p = v.split(":");
        if (p.length == 1) {
            if (!p[0].startsWith("/")) throw io.jpod.core.JpodException.invalid("invalid volume \"" + v + "\": a lone path must be an absolute container path");
            return new MountSpec("volume", "", p[0], List.of());
        }
        if (p.length > 3) {
            throw io.jpod.core.JpodException.invalid("invalid volume \"" + v + "\": use /host/path:/container/path[:ro] or NAME:/container/path[:ro]");
        }
        if (!p[1].startsWith("/")) throw io.jpod.core.JpodException.invalid("invalid volume \"" + v + "\": the destination must be an absolute path");
        List<String> opts = new ArrayList<>();
        if (p.length == 3) {
            for (String o : p[2].split(",")) {
                switch (o) {
                    case "ro", "rw" -> opts.add(o);
                    case "U" -> opts.add("U"); // chown the source to the container's user at start
                    case "z", "Z", "" -> { } // SELinux relabel: no SELinux on this host
                    default -> throw io.jpod.core.JpodException.invalid("invalid volume option \"" + o + "\" in \"" + v + "\": use ro or rw");
                }
            }
        }
        if (!p[0].startsWith("/")) {
            if (!io.jpod.volume.VolumeStore.validName(p[0])) {
                throw io.jpod.core.JpodException.invalid("invalid volume \"" + v + "\": \"" + p[0] + "\" is neither an absolute host path nor a"
                        + " volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
            }
            return new MountSpec("volume", p[0], p[1], opts);
        }
        if (!Files.exists(Path.of(p[0]))) {
            throw io.jpod.core.JpodException.invalid("invalid volume \"" + v + "\": host path " + p[0] + " does not exist: create it first");
        }
        return new MountSpec("bind", p[0], p[1], opts);
    }

    /** --mount type=bind|volume|tmpfs,source=...,target=...[,readonly][,tmpfs-size=...]. */
    public static MountSpec mount(String spec) {
        String type = "volume", source = "", target = null;
        List<String> opts = new ArrayList<>();
        for (String kv : spec.split(",")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String val = eq < 0 ? "" : kv.substring(eq + 1);
            switch (k) {
                case "type" -> type = val;
                case "source", "src" -> source = val;
                case "target", "destination", "dst" -> target = val;
                case "readonly", "ro" -> opts.add(val.equals("false") ? "rw" : "ro");
                case "tmpfs-size" -> opts.add("size=" + val);
                case "tmpfs-mode" -> opts.add("mode=" + val);
                case "U", "chown" -> { if (!val.equals("false")) opts.add("U"); }
                case "relabel", "bind-propagation", "z", "Z" -> { } // accepted; nothing to do on this host
                default -> throw io.jpod.core.JpodException.invalid("invalid --mount option \"" + kv + "\" in \"" + spec + "\"");
            }
        }
        if (target == null || !target.startsWith("/")) {
            throw io.jpod.core.JpodException.invalid("invalid --mount \"" + spec + "\": target=/absolute/path is required");
        }
        return switch (type) {
            case "bind" -> {
                if (!source.startsWith("/") || !Files.exists(Path.of(source))) {
                    throw io.jpod.core.JpodException.invalid("invalid --mount \"" + spec + "\": a bind needs an existing absolute source");
                }
                yield new MountSpec("bind", source, target, opts);
            }
            case "volume" -> {
                if (!source.isEmpty() && !io.jpod.volume.VolumeStore.validName(source)) {
                    throw io.jpod.core.JpodException.invalid("invalid --mount \"" + spec + "\": \"" + source + "\" is not a volume name");
                }
                yield new MountSpec("volume", source, target, opts);
            }
            case "tmpfs" -> new MountSpec("tmpfs", "tmpfs", target, opts);
            default -> throw io.jpod.core.JpodException.invalid("invalid --mount type \"" + type + "\": use bind, volume or tmpfs");
        };
    }

    public static MountSpec tmpfs(String t) {
        int c = t.indexOf(':');
        String dest = c < 0 ? t : t.substring(0, c);
        List<String> opts = c < 0 ? List.of() : List.of(t.substring(c + 1).split(","));
        if (!dest.startsWith("/")) throw io.jpod.core.JpodException.invalid("invalid --tmpfs \"" + t + "\": the destination must be an absolute path");
        return new MountSpec("tmpfs", "tmpfs", dest, opts);
    }
}
