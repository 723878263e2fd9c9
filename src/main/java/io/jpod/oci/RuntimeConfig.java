package io.jpod.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to drive the OCI runtime, as libpod's newOCIRuntime takes it. {@link #of} validates: the cgroup manager
 * must be cgroupfs or systemd, and the runtime and conmon must be executable files.
 */
public record RuntimeConfig(String runtimeName, Path runtimePath, Path runtimeRoot, Path conmonPath,
                            List<String> conmonEnv, CgroupManagerKind cgroupManager, Path tmpDir, long logSizeMax,
                            boolean noPivot, boolean reservePorts, String logLevel, boolean rootless) {

    public enum CgroupManagerKind { CGROUPFS, SYSTEMD }

    public RuntimeConfig {
        Objects.requireNonNull(runtimePath, "runtimePath");
        Objects.requireNonNull(conmonPath, "conmonPath");
        Objects.requireNonNull(tmpDir, "tmpDir");
        conmonEnv = List.copyOf(conmonEnv);
    }

    /** Parses the cgroup manager name the way libpod does: anything but cgroupfs or systemd is an error. */
    public static CgroupManagerKind parseCgroupManager(String name) {
        return switch (name) {
            case "cgroupfs" -> CgroupManagerKind.CGROUPFS;
            case "systemd" -> CgroupManagerKind.SYSTEMD;
            default -> throw new IllegalArgumentException("invalid cgroup manager \"" + name
                    + "\": use --cgroup-manager cgroupfs or --cgroup-manager systemd");
        };
    }

    public Path exitsDir() { return tmpDir.resolve("exits"); }

    public Path socketsDir() { return tmpDir.resolve("socket"); }

    public Path exitFile(String id) { return exitsDir().resolve(id); }

    /** Where conmon's attach socket is reached: SOCKETS/ID is a symlink to the bundle, keeping it under 108 bytes. */
    public Path attachSocket(String id) { return socketsDir().resolve(id).resolve("attach"); }
}
