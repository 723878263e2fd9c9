package io.jpod.core;

import java.util.List;
import java.util.Map;

/** One mount in the container: a bind (-v), a tmpfs (--tmpfs), or a kernel filesystem of the default set. */
public record MountSpec(String type, String source, String destination, List<String> options) {
    public MountSpec {
        options = List.copyOf(options);
        if (destination == null || !destination.startsWith("/")) {
            throw new IllegalArgumentException("mount destination \"" + destination + "\" must be an absolute path");
        }
    }

    Map<String, Object> toJson() {
        return Map.of("type", type, "source", source, "destination", destination, "options", options);
    }

    @SuppressWarnings("unchecked")
    static MountSpec fromJson(Map<String, Object> m) {
        return new MountSpec((String) m.get("type"), (String) m.get("source"), (String) m.get("destination"),
                (List<String>) (List<?>) m.get("options"));
    }
}
