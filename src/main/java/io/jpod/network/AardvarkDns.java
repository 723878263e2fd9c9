package io.jpod.network;

import io.jpod.sys.ProcessLauncher;
import io.jpod.sys.SpawnSpec;
import io.jpod.sys.Syscalls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Name resolution between containers of a network through aardvark-dns, as podman's netavark runs it: one file
 * per network in the config dir (the gateway on the first line, then "ID IPv4 IPv6 name,alias" per container),
 * one aardvark-dns process for all of them answering on each gateway's port 53 (started on first use, told of
 * changes with SIGHUP). Files change under a lock on the dir, as several jpods may attach at once.
 */
public final class AardvarkDns {
    public static final String SEARCH_DOMAIN = "dns.podman";
    private static final int SIGHUP = 1;
    private final Path configDir;
    private final Path binary;
    private final ProcessLauncher launcher;
    private final Syscalls sys;

    public AardvarkDns(Path configDir, Path binary, ProcessLauncher launcher, Syscalls sys) {
        this.configDir = configDir;
        this.binary = binary;
        this.launcher = launcher;
        this.sys = sys;
    }

    public boolean available() {
        return Files.isExecutable(binary);
    }

    /** Publishes a container's names on its network and makes sure the server runs. */
    public void add(Network net, String containerId, String ip, List<String> names) throws IOException {
        locked(() -> {
            List<String> lines = read(net);
            lines.removeIf(l -> l.startsWith(containerId + " "));
            lines.add(containerId + " " + ip + "  " + String.join(",", names));
            write(net, lines);
            reloadOrStart();
        });
    }

    /** Withdraws a container's names; a network without containers loses its file. */
    public void remove(Network net, String containerId) throws IOException {
        locked(() -> {
            List<String> lines = read(net);
            if (!lines.removeIf(l -> l.startsWith(containerId + " "))) return;
            if (lines.size() <= 1) Files.deleteIfExists(configDir.resolve(net.name()));
            else write(net, lines);
            int pid = pid();
            if (pid > 0 && sys.alive(pid)) sys.kill(pid, SIGHUP);
        });
    }

    private interface Step {
        void run() throws IOException;
    }

    private void locked(Step step) throws IOException {
        Files.createDirectories(configDir);
        // aardvark-dns reads every file in its dir as a network: the lock and temp files live beside it
        try (FileChannel ch = FileChannel.open(configDir.resolveSibling(configDir.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock l = ch.lock()) {
            step.run();
        }
    }

    private List<String> read(Network net) throws IOException {
        Path f = configDir.resolve(net.name());
        List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f)) : new ArrayList<>();
        if (lines.isEmpty()) lines.add(net.gateway());
        return lines;
    }

    private void write(Network net, List<String> lines) throws IOException {
        Path f = configDir.resolve(net.name());
        Path tmp = configDir.resolveSibling(configDir.getFileName() + "." + net.name() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private int pid() {
        try {
            return Integer.parseInt(Files.readString(configDir.resolve("aardvark.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void reloadOrStart() {
        int pid = pid();
        if (pid > 0 && sys.alive(pid) && isAardvark(pid)) {
            sys.kill(pid, SIGHUP);
            return;
        }
        // it daemonizes itself and writes aardvark.pid; the parent returns once it is ready
        int child = launcher.spawn(new SpawnSpec(List.of(binary.toString(), "--config", configDir.toString(), "-p", "53", "run"),
                List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), "/", Map.of(), true));
        launcher.waitFor(child);
    }

    private static boolean isAardvark(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("aardvark-dns");
        } catch (IOException e) {
            return false;
        }
    }
}
