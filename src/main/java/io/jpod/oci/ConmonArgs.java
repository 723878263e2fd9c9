package io.jpod.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * conmon's argv as pure data, in the order libpod builds it, so it can be golden-tested without a process.
 * Paths follow conmon 2.1's contract: exit file EXITS/ID, attach socket reached via SOCKETS/ID -> bundle.
 */
public record ConmonArgs(
        String conmonPath, String runtimePath, String runtimeRoot, String id, String name, String bundle,
        String pidFile, String conmonPidFile, String logPath, long logSizeMax, String exitDir, String persistDir,
        String socketDir, List<String> exitCommand, boolean systemdCgroup, boolean terminal, boolean stdin,
        boolean noPivot, String logLevel, String restorePath) {

    public ConmonArgs {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        exitCommand = exitCommand == null ? List.of() : List.copyOf(exitCommand);
        logLevel = logLevel == null ? "error" : logLevel;
    }

    public List<String> argv() {
        List<String> a = new ArrayList<>();
        a.add(conmonPath);
        a.add("--api-version");
        a.add("1");
        if (systemdCgroup) a.add("-s");
        a.add("-c"); a.add(id);
        a.add("-u"); a.add(id);
        a.add("-r"); a.add(runtimePath);
        a.add("-b"); a.add(bundle);
        a.add("-p"); a.add(pidFile);
        a.add("-n"); a.add(name);
        a.add("--exit-dir"); a.add(exitDir);
        a.add("--persist-dir"); a.add(persistDir);
        if (conmonPidFile != null) { a.add("-P"); a.add(conmonPidFile); }
        a.add("-l"); a.add("k8s-file:" + logPath);
        if (!exitCommand.isEmpty()) {
            a.add("--exit-command"); a.add(exitCommand.getFirst());
            for (String arg : exitCommand.subList(1, exitCommand.size())) {
                a.add("--exit-command-arg"); a.add(arg);
            }
        }
        a.add("--socket-dir-path"); a.add(socketDir);
        if (terminal) a.add("-t");
        else if (stdin) a.add("-i");
        if (logSizeMax >= 0) { a.add("--log-size-max"); a.add(Long.toString(logSizeMax)); }
        if (noPivot) a.add("--no-pivot");
        a.add("--log-level"); a.add(logLevel);
        // At debug level conmon's own messages go to syslog, as libpod does.
        if ("debug".equals(logLevel)) a.add("--syslog");
        if (runtimeRoot != null) { a.add("--runtime-arg"); a.add("--root"); a.add("--runtime-arg"); a.add(runtimeRoot); }
        if (restorePath != null) { a.add("--restore"); a.add(restorePath); }
        return a;
    }
}
