package io.jpod.state;

import java.util.Objects;

/**
 * A container as stored: indexed columns beside JSON blobs for the immutable config and the mutable state,
 * like libpod's SQLite schema. The state layer never interprets the blobs.
 */
public record ContainerRecord(String id, String name, long createdMillis, String imageId, String configJson,
                              String stateJson) {
    public ContainerRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(stateJson, "stateJson");
    }
}
