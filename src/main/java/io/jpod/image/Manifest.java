package io.jpod.image;

import io.jpod.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed image manifest or index. The raw bytes stay authoritative (their digest is the manifest digest); this
 * view gives the descriptors. Docker schema 1 is refused: registries have not served it by default for years.
 */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, List<Descriptor> manifests) {
    public Manifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public boolean isIndex() {
        return Descriptor.isIndex(mediaType);
    }

    /** Parses manifest bytes; {@code contentType} (may be null) is used when the JSON has no mediaType. */
    public static Manifest parse(byte[] bytes, String contentType) {
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the manifest is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException("the manifest is not a JSON object");
        Object sv = m.get("schemaVersion");
        String mt = m.get("mediaType") instanceof String s ? s : contentType == null ? "" : stripParams(contentType);
        if (sv instanceof Number n && n.intValue() == 1 || mt.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new IllegalArgumentException("the image has a Docker schema 1 manifest, which jpod does not support;"
                    + " push it again with a current tool to get a schema 2 or OCI manifest");
        }
        if (m.get("manifests") instanceof List<?> list) {
            List<Descriptor> ds = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) ds.add(Descriptor.fromJson(list.get(i), "manifests[" + i + "]"));
            return new Manifest(mt.isEmpty() ? Descriptor.OCI_INDEX : mt, null, List.of(), ds);
        }
        if (!(m.get("layers") instanceof List<?> list)) {
            throw new IllegalArgumentException("the manifest lists neither layers nor manifests");
        }
        Descriptor config = Descriptor.fromJson(m.get("config"), "the manifest's config");
        List<Descriptor> ls = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) ls.add(Descriptor.fromJson(list.get(i), "layers[" + i + "]"));
        if (mt.isEmpty()) mt = Descriptor.OCI_MANIFEST;
        return new Manifest(mt, config, ls, List.of());
    }

    static String stripParams(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
    }

    /** The index entry for {@code want}; the error lists what the index offers. */
    public Descriptor select(Platform want) {
        for (Descriptor d : manifests) if (want.matches(d.platform())) return d;
        List<String> offered = manifests.stream().map(d -> d.platform() == null ? "?" : d.platform().toString()).toList();
        throw new IllegalArgumentException("no image found in image index for architecture " + want.architecture()
                + ", variant \"" + want.variant() + "\", OS " + want.os() + " (it has " + String.join(", ", offered)
                + "); choose one with --platform");
    }
}
