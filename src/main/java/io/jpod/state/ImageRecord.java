package io.jpod.state;

import java.util.List;
import java.util.Objects;

/** An image as stored: its ID (the config digest's hex), names ("localhost/busybox:latest"), and metadata JSON. */
public record ImageRecord(String id, List<String> names, long createdMillis, String metadataJson) {
    public ImageRecord {
        Objects.requireNonNull(id, "id");
        names = List.copyOf(names);
        Objects.requireNonNull(metadataJson, "metadataJson");
    }
}
