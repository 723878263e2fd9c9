package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.core.ContainerStatus;
import io.jpod.core.JpodException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `top`: the container's processes, found through its cgroup, shown by ps(1) with podman's default columns. */
final class TopCommand implements Command {
    public String name() { return "top"; }
    public String summary() { return "Display the running processes of a container"; }
    public List<Flag> flags() { return List.of(Flag.bool("latest", 'l', "act on the latest container")); }

    public int run(Cli cli, Args a) throws Exception {
        Cli.requireArgs(a, 1, "you must provide the name or ID of a running container");
        Container c = cli.engine().inspect(a.positionals().getFirst());
        if (c.status() != ContainerStatus.RUNNING && c.status() != ContainerStatus.PAUSED) {
            throw JpodException.state("top can only be used on running containers: " + c.name() + " is " + c.status().word());
        }
        List<String> pids = pidsOf(c);
        List<String> descriptors = a.positionals().size() > 1 ? a.positionals().subList(1, a.positionals().size())
                : List.of("user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args");
        List<String> argv = new ArrayList<>(List.of("ps", "-o", String.join(",", descriptors.stream().map(TopCommand::psField).toList()), "-p", String.join(",", pids)));
        cli.flush();
        Process p = new ProcessBuilder(argv).inheritIO().start();
        return p.waitFor() == 0 ? 0 : 125;
    }

    private static String psField(String d) {
        return switch (d) {
            case "pcpu", "%cpu" -> "pcpu=%CPU";
            case "user" -> "user=USER";
            case "pid" -> "pid=PID";
            case "ppid" -> "ppid=PPID";
            case "etime" -> "etime=ELAPSED";
            case "tty" -> "tty=TTY";
            case "time" -> "time=TIME";
            case "args" -> "args=COMMAND";
            case "comm" -> "comm=COMMAND";
            default -> d;
        };
    }

    /** Every process in the container's pids cgroup (v1 here; the unified tree where v2 runs). */
    static List<String> pidsOf(Container c) throws IOException {
        String rel = c.config().cgroupParent() + "/jpod-" + c.id();
        for (Path base : List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup"))) {
            Path procs = base.resolve(rel.substring(1)).resolve("cgroup.procs");
            if (Files.exists(procs)) {
                List<String> l = Files.readAllLines(procs).stream().filter(s -> !s.isBlank()).toList();
                if (!l.isEmpty()) return l;
            }
        }
        return List.of(Integer.toString(c.state().pid()));
    }
}
