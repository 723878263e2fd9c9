package io.jpod.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the runtime needs to create one container through conmon. The bundle holds config.json; the
 * persist dir (on tmpfs) receives conmon's pid file, exit and oom files. logSizeMax below 0 means the runtime's
 * default.
 */
public record CreateRequest(String id, String name, Path bundle, Path persistDir, Path logPath, boolean terminal,
                            boolean stdin, List<String> exitCommand, String cgroupParent, List<PortMapping> ports,
                            Path restoreFrom, long logSizeMax) {
    public CreateRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(persistDir, "persistDir");
        exitCommand = exitCommand == null ? List.of() : List.copyOf(exitCommand);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public Path pidFile() { return persistDir.resolve("pidfile"); }

    public Path conmonPidFile() { return persistDir.resolve("conmon.pid"); }
}
