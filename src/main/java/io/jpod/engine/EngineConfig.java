package io.jpod.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the engine keeps state and which binaries it drives. {@link #defaults} follows podman's root layout
 * (/var/lib/jpod, /run/jpod) and looks runc and conmon up where Debian installs them.
 */
public record EngineConfig(Path root, Path runRoot, Path runtimePath, Path conmonPath, String cgroupManager,
                           String logLevel, List<String> exitCommand, Map<String, String> hostEnv) {
    public EngineConfig {
        exitCommand = List.copyOf(exitCommand);
        hostEnv = Map.copyOf(hostEnv);
    }

    public static EngineConfig defaults() {
        Map<String, String> env = System.getenv();
        return new EngineConfig(Path.of("/var/lib/jpod"), Path.of("/run/jpod"),
                find(env, "runc", "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc"),
                find(env, "conmon", "/usr/bin/conmon", "/usr/libexec/podman/conmon", "/usr/local/bin/conmon",
                        "/usr/local/libexec/podman/conmon"),
                "cgroupfs", "warning", List.of(), env);
    }

    private static Path find(Map<String, String> env, String name, String... known) {
        for (String k : known) {
            if (Files.isExecutable(Path.of(k))) return Path.of(k);
        }
        for (String dir : env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name);
        }
        return Path.of(known[0]);
    }

    public EngineConfig withRoot(Path r) { return new EngineConfig(r, runRoot, runtimePath, conmonPath, cgroupManager, logLevel, exitCommand, hostEnv); }
    public EngineConfig withRunRoot(Path r) { return new EngineConfig(root, r, runtimePath, conmonPath, cgroupManager, logLevel, exitCommand, hostEnv); }
    public EngineConfig withRuntimePath(Path p) { return new EngineConfig(root, runRoot, p, conmonPath, cgroupManager, logLevel, exitCommand, hostEnv); }
    public EngineConfig withConmonPath(Path p) { return new EngineConfig(root, runRoot, runtimePath, p, cgroupManager, logLevel, exitCommand, hostEnv); }
    public EngineConfig withCgroupManager(String m) { return new EngineConfig(root, runRoot, runtimePath, conmonPath, m, logLevel, exitCommand, hostEnv); }
    public EngineConfig withLogLevel(String l) { return new EngineConfig(root, runRoot, runtimePath, conmonPath, cgroupManager, l, exitCommand, hostEnv); }
    public EngineConfig withExitCommand(List<String> c) { return new EngineConfig(root, runRoot, runtimePath, conmonPath, cgroupManager, logLevel, c, hostEnv); }
}
