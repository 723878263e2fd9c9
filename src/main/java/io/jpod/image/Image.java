package io.jpod.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A local image: ID (hex of its config's sha256), names, the OCI image config, and its layers' diffIDs,
 * bottom first.
 */
public record Image(String id, List<String> names, Instant created, Map<String, Object> ociConfig,
                    List<String> diffIds, long size) {
    public Image {
        names = List.copyOf(names);
        diffIds = List.copyOf(diffIds);
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
}
