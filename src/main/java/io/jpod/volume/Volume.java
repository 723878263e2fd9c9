package io.jpod.volume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** A named volume of the local driver: a directory under the store that containers bind-mount. */
public record Volume(String name, String driver, Path mountpoint, Instant created, Map<String, String> labels,
                     Map<String, String> options, boolean anonymous) {
    public Volume {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
    }
}
