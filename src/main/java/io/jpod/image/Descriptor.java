package io.jpod.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob it points to. */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** What jpod asks a registry for, best first. */
    public static final List<String> ACCEPT = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    public Descriptor {
        if (size < 0) throw new IllegalArgumentException("invalid descriptor for " + digest + ": negative size");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    @SuppressWarnings("unchecked")
    static Descriptor fromJson(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(what + " is not a JSON object");
        Object digest = m.get("digest");
        Object size = m.get("size");
        if (!(digest instanceof String d)) throw new IllegalArgumentException(what + " has no digest");
        if (!(size instanceof Number n)) throw new IllegalArgumentException(what + " has no size");
        Platform p = null;
        if (m.get("platform") instanceof Map<?, ?> pm) {
            p = new Platform(str(pm.get("os")), str(pm.get("architecture")), str(pm.get("variant")));
        }
        Map<String, String> ann = new LinkedHashMap<>();
        if (m.get("annotations") instanceof Map<?, ?> am) am.forEach((k, v) -> ann.put(String.valueOf(k), String.valueOf(v)));
        return new Descriptor(str(m.get("mediaType")), Digest.parse(d), n.longValue(), p, ann);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", mediaType);
        m.put("digest", digest.toString());
        m.put("size", size);
        if (platform != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("architecture", platform.architecture());
            p.put("os", platform.os());
            if (!platform.variant().isEmpty()) p.put("variant", platform.variant());
            m.put("platform", p);
        }
        if (!annotations.isEmpty()) m.put("annotations", annotations);
        return m;
    }
}
