package io.jpod.state;

import java.util.Objects;

/** A volume as stored: its name, creation time and metadata JSON (driver, options, labels, anonymous, copy-up). */
public record VolumeRecord(String name, long createdMillis, String metadataJson) {
    public VolumeRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metadataJson, "metadataJson");
    }
}
