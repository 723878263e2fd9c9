package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.oci.PortMapping;

import java.util.List;

/** `port`: the container's published ports, "80/tcp -> 0.0.0.0:8080". */
final class PortCommand implements Command {
    public String name() { return "port"; }
    public String summary() { return "List port mappings or a specific mapping for the container"; }
    public List<Flag> flags() { return List.of(Flag.bool("all", 'a', "display port information for all containers"), Flag.bool("latest", 'l', "act on the latest container")); }

    public int run(Cli cli, Args a) {
        List<Container> cs = a.bool("all") ? cli.engine().list()
                : List.of(cli.engine().inspect(a.positionals().isEmpty() ? failNoName() : a.positionals().getFirst()));
        String want = !a.bool("all") && a.positionals().size() > 1 ? a.positionals().get(1) : null;
        for (Container c : cs) {
            for (PortMapping p : c.config().ports()) {
                String key = p.containerPort() + "/" + p.protocol();
                if (want != null && !want.equals(key) && !want.equals(Integer.toString(p.containerPort()))) continue;
                String host = (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort();
                if (a.bool("all")) cli.out.println(c.id().substring(0, 12) + "\t" + key + " -> " + host);
                else cli.out.println(want != null ? host : key + " -> " + host);
            }
        }
        return 0;
    }

    private static String failNoName() {
        throw new UsageException("you must supply a running container name or ID");
    }
}
