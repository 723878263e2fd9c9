package io.jpod.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A local image: ID (hex of its config's sha256), names, the OCI image config, its layers' diffIDs (bottom first),
 * and, for images jpod holds the manifest of, the manifest digest and type, the layer blobs' descriptors, and
 * each layer's unpacked tar size by diffID.
 */
public record Image(String id, List<String> names, Instant created, Map<String, Object> ociConfig,
                    List<String> diffIds, long size, String digest, String manifestType, List<Descriptor> layers,
                    Map<String, Long> layerSizes) {
    public Image {
        layerSizes = layerSizes == null ? Map.of() : Map.copyOf(layerSizes);
        names = List.copyOf(names);
        diffIds = List.copyOf(diffIds);
        digest = digest == null ? "" : digest;
        manifestType = manifestType == null ? "" : manifestType;
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** "repo@sha256:..." for each name's repository, as podman derives RepoDigests. */
    public List<String> repoDigests() {
        if (digest.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String r = ImageRef.repository(n) + "@" + digest;
            if (!out.contains(r)) out.add(r);
        }
        return out;
    }

    /** The "config" object of the image config: Env, Cmd, Entrypoint, WorkingDir, User, Labels, StopSignal. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> runConfig() {
        Object c = ociConfig.get("config");
        return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<String> runList(String key) {
        Object v = runConfig().get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    public String runString(String key) {
        Object v = runConfig().get(key);
        return v == null ? "" : v.toString();
    }

    /** Labels from the image config. */
    @SuppressWarnings("unchecked")
    public Map<String, String> labels() {
        Object v = runConfig().get("Labels");
        if (!(v instanceof Map<?, ?> m)) return Map.of();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    /** The image config's history entries. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> history() {
        Object v = ociConfig.get("history");
        if (!(v instanceof List<?> l)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        return out;
    }
}
