package io.jpod.cli;

import io.jpod.core.JpodException;
import io.jpod.json.Json;
import io.jpod.network.Network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `network create|ls|inspect|rm|prune|exists|connect|disconnect|reload`: one small class per verb, podman's output. */
final class NetworkCommands {
    private NetworkCommands() {}

    static List<Command> all() {
        return List.of(new Create(), new Ls(), new Inspect(), new Rm(), new Prune(), new Exists(), new Connect(),
                new Disconnect(), new Reload());
    }

    static final class Create implements Command {
        public String name() { return "network-create"; }
        public String summary() { return "Create a network"; }
        public List<Flag> flags() {
            return List.of(Flag.value("subnet", "subnet in CIDR format"), Flag.value("gateway", "IPv4 or IPv6 gateway for the subnet"),
                    Flag.value("ip-range", "allocate container IP from range"),
                    Flag.bool("internal", "restrict external access from this network"),
                    Flag.value("driver", 'd', "driver to manage the network (default bridge)"),
                    Flag.value("label", "set metadata on a network"), Flag.bool("disable-dns", "disable dns plugin"),
                    Flag.bool("ignore", "don't fail if network already exists"));
        }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() > 1) throw new UsageException("jpod network create takes at most one name");
            String driver = a.get("driver", "bridge");
            if (!driver.equals("bridge")) throw JpodException.invalid("unsupported driver " + driver + ": use bridge");
            if (a.has("gateway") && !a.has("subnet")) throw new UsageException("--gateway needs --subnet: give the subnet it belongs to");
            String name = a.positionals().isEmpty() ? null : a.positionals().getFirst();
            if (a.bool("ignore") && name != null && cli.engine().networkExists(name)) {
                cli.out.println(name);
                return 0;
            }
            if (a.has("ip-range") && !a.has("subnet")) throw new UsageException("--ip-range needs --subnet: give the subnet it belongs to");
            Network n = cli.engine().networkCreate(name, a.get("subnet"), a.get("gateway"), a.get("ip-range"), a.bool("internal"),
                    VolumeCommands.pairs(a.all("label"), "--label"), !a.bool("disable-dns"));
            cli.out.println(n.name());
            return 0;
        }
    }

    static final class Ls implements Command {
        static final String DEFAULT = "table {{.ID}}\t{{.Name}}\t{{.Driver}}";
        public String name() { return "network-ls"; }
        public String summary() { return "List networks"; }
        public List<Flag> flags() {
            return List.of(Flag.value("filter", 'f', "provide filter values (e.g. 'name=podman')"),
                    Flag.value("format", "pretty-print networks to JSON or using a Go template"),
                    Flag.bool("quiet", 'q', "display only names"), Flag.bool("noheading", "do not print headers"),
                    Flag.bool("no-trunc", "do not truncate the network ID"));
        }

        public int run(Cli cli, Args a) {
            List<Network> nets = new ArrayList<>();
            for (Network n : cli.engine().networks()) if (matches(n, a.all("filter"))) nets.add(n);
            if (a.bool("quiet")) {
                nets.forEach(n -> cli.out.println(n.name()));
                return 0;
            }
            List<Views.Row> rows = new ArrayList<>();
            for (Network n : nets) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("ID", a.bool("no-trunc") ? n.id() : n.id().substring(0, 12));
                t.put("Name", n.name());
                t.put("Driver", "bridge");
                t.put("Labels", n.labels());
                t.put("Internal", n.internal());
                t.put("NetworkInterface", n.bridge());
                t.put("Subnets", n.subnet());
                rows.add(new Views.Row(t, n.toJson()));
            }
            String format = a.get("format");
            if (a.bool("noheading") && format == null) format = DEFAULT.substring("table ".length());
            Output.rows(cli, format, DEFAULT, rows, Map.of("ID", "NETWORK ID"), "     ");
            return 0;
        }

        static boolean matches(Network n, List<String> filters) {
            for (String f : filters) {
                int eq = f.indexOf('=');
                String k = eq < 0 ? f : f.substring(0, eq), v = eq < 0 ? "" : f.substring(eq + 1);
                boolean ok = switch (k) {
                    case "name" -> n.name().matches(".*" + java.util.regex.Pattern.quote(v) + ".*");
                    case "id" -> n.id().startsWith(v);
                    case "driver" -> v.equals("bridge");
                    case "label" -> {
                        int e2 = v.indexOf('=');
                        yield e2 < 0 ? n.labels().containsKey(v) : v.substring(e2 + 1).equals(n.labels().get(v.substring(0, e2)));
                    }
                    default -> throw JpodException.invalid("invalid network filter \"" + k + "\": use name, id, driver or label");
                };
                if (!ok) return false;
            }
            return true;
        }
    }

    static final class Inspect implements Command {
        public String name() { return "network-inspect"; }
        public String summary() { return "Display detailed information on one or more networks"; }
        public List<Flag> flags() { return List.of(Flag.value("format", 'f', "pretty-print network to JSON or using a Go template")); }

        public int run(Cli cli, Args a) {
            Cli.requireArgs(a, 1, "jpod network inspect needs at least one network name or ID");
            List<Map<String, Object>> out = new ArrayList<>();
            for (String n : a.positionals()) out.add(cli.engine().network(n).toJson());
            String format = a.get("format");
            if (format == null || io.jpod.cli.format.FormatPrinter.isJson(format.strip())) {
                cli.out.println(Json.writePretty(out, "     "));
            } else {
                cli.out.print(io.jpod.cli.format.FormatPrinter.render(format.endsWith("\n") ? format : format + "\n", out, Map.of()));
            }
            return 0;
        }
    }

    static final class Rm implements Command {
        public String name() { return "network-rm"; }
        public String summary() { return "Remove networks"; }
        public List<Flag> flags() { return List.of(Flag.bool("force", 'f', "remove any containers using the network")); }

        public int run(Cli cli, Args a) {
            Cli.requireArgs(a, 1, "jpod network rm needs at least one network name or ID");
            return cli.reports(cli.engine().networkRemove(a.positionals(), a.bool("force")), false);
        }
    }

    static final class Prune implements Command {
        public String name() { return "network-prune"; }
        public String summary() { return "Remove all unused networks"; }
        public List<Flag> flags() { return List.of(Flag.bool("force", 'f', "do not prompt for confirmation")); }

        public int run(Cli cli, Args a) {
            cli.engine().networkPrune().forEach(cli.out::println);
            return 0;
        }
    }

    static final class Exists implements Command {
        public String name() { return "network-exists"; }
        public String summary() { return "Check if the given network exists"; }
        public List<Flag> flags() { return List.of(); }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() != 1) throw new UsageException("jpod network exists takes one network name");
            return cli.engine().networkExists(a.positionals().getFirst()) ? 0 : 1;
        }
    }

    static final class Connect implements Command {
        public String name() { return "network-connect"; }
        public String summary() { return "Add container to a network"; }
        public List<Flag> flags() {
            return List.of(Flag.value("alias", "network scoped alias for container"), Flag.value("ip", "set a static ipv4 address for this container network"),
                    Flag.value("mac-address", "set a static mac address for this container network"));
        }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() != 2) throw new UsageException("jpod network connect takes a network and a container: jpod network connect NETWORK CONTAINER");
            cli.engine().networkConnect(a.positionals().get(0), a.positionals().get(1), a.get("ip", ""), a.get("mac-address", ""), a.all("alias"));
            return 0;
        }
    }

    static final class Disconnect implements Command {
        public String name() { return "network-disconnect"; }
        public String summary() { return "Disconnect a container from a network"; }
        public List<Flag> flags() { return List.of(Flag.bool("force", 'f', "force the container to disconnect from a network")); }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() != 2) throw new UsageException("jpod network disconnect takes a network and a container: jpod network disconnect NETWORK CONTAINER");
            cli.engine().networkDisconnect(a.positionals().get(0), a.positionals().get(1));
            return 0;
        }
    }

    static final class Reload implements Command {
        public String name() { return "network-reload"; }
        public String summary() { return "Reload firewall rules for one or more containers"; }
        public List<Flag> flags() { return List.of(Flag.bool("all", 'a', "reload network configuration of all containers")); }

        public int run(Cli cli, Args a) {
            if (!a.bool("all")) Cli.requireArgs(a, 1, "jpod network reload needs container names or IDs, or --all");
            return cli.reports(cli.engine().networkReload(a.positionals(), a.bool("all")), false);
        }
    }
}
