package io.jpod.cli;

import io.jpod.core.JpodException;
import io.jpod.engine.Report;
import io.jpod.volume.Volume;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `volume create|ls|inspect|rm|prune|exists`: one small class per verb, podman's output. */
final class VolumeCommands {
    private VolumeCommands() {}

    static List<Command> all() {
        return List.of(new Create(), new Ls(), new Inspect(), new Rm(), new Prune(), new Exists());
    }

    static Map<String, Object> json(Cli cli, Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", v.driver());
        m.put("Mountpoint", v.mountpoint().toString());
        m.put("CreatedAt", v.created().atOffset(java.time.ZoneOffset.UTC).toString());
        m.put("Labels", v.labels());
        m.put("Scope", "local");
        m.put("Options", v.options());
        m.put("MountCount", 0);
        m.put("Anonymous", v.anonymous());
        return m;
    }

    static Map<String, String> pairs(List<String> items, String flag) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : items) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new UsageException("invalid " + flag + " \"" + s + "\": use KEY=VALUE");
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    static final class Create implements Command {
        public String name() { return "volume-create"; }
        public String summary() { return "Create a new volume"; }
        public List<Flag> flags() {
            return List.of(Flag.value("driver", 'd', "volume driver name (default local)"),
                    Flag.value("label", 'l', "set metadata for a volume (e.g., --label mykey=value)"),
                    Flag.value("opt", 'o', "set driver specific options"), Flag.bool("ignore", "don't fail if the volume already exists"));
        }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() > 1) throw new UsageException("jpod volume create takes at most one name");
            String driver = a.get("driver", "local");
            if (!driver.equals("local")) throw JpodException.invalid("volume driver \"" + driver + "\" is not supported: use local");
            String name = a.positionals().isEmpty() ? null : a.positionals().getFirst();
            if (name != null && a.bool("ignore") && cli.engine().volumeExists(name)) {
                cli.out.println(name);
                return 0;
            }
            // -o takes KEY=VALUE, and the flag-like "nocopy" alone
            List<String> opts = a.all("opt").stream().map(o -> o.equals("nocopy") ? "nocopy=true" : o).toList();
            Volume v = cli.engine().createVolume(name, pairs(a.all("label"), "--label"), pairs(opts, "--opt"));
            cli.out.println(v.name());
            return 0;
        }
    }

    static final class Ls implements Command {
        static final String DEFAULT = "table {{.Driver}}\t{{.Name}}";
        public String name() { return "volume-ls"; }
        public String summary() { return "List volumes"; }
        public List<Flag> flags() {
            return List.of(Flag.value("filter", 'f', "filter volume output (name, label, driver, dangling)"),
                    Flag.value("format", "format volume output using Go template"), Flag.bool("quiet", 'q', "print volume output in quiet mode"),
                    Flag.bool("noheading", 'n', "do not print headers"));
        }

        public int run(Cli cli, Args a) {
            List<Volume> vols = new ArrayList<>();
            for (Volume v : cli.engine().volumes()) if (matches(cli, v, a.all("filter"))) vols.add(v);
            if (a.bool("quiet")) {
                vols.forEach(v -> cli.out.println(v.name()));
                return 0;
            }
            List<Views.Row> rows = new ArrayList<>();
            for (Volume v : vols) {
                Map<String, Object> t = new LinkedHashMap<>(json(cli, v));
                rows.add(new Views.Row(t, json(cli, v)));
            }
            String format = a.get("format");
            if (a.bool("noheading") && format == null) format = DEFAULT.substring("table ".length());
            Output.rows(cli, format, DEFAULT, rows, Map.of("Name", "VOLUME NAME"), "     ");
            return 0;
        }

        static boolean matches(Cli cli, Volume v, List<String> filters) {
            for (String f : filters) {
                int eq = f.indexOf('=');
                String k = eq < 0 ? f : f.substring(0, eq), val = eq < 0 ? "" : f.substring(eq + 1);
                boolean ok = switch (k) {
                    case "name" -> v.name().contains(val);
                    case "driver" -> v.driver().equals(val);
                    case "label" -> {
                        int e2 = val.indexOf('=');
                        yield e2 < 0 ? v.labels().containsKey(val) : val.substring(e2 + 1).equals(v.labels().get(val.substring(0, e2)));
                    }
                    case "dangling" -> cli.engine().volumeUsers(v.name()).isEmpty() == val.equals("true");
                    default -> throw JpodException.invalid("invalid volume filter \"" + k + "\": use name, label, driver or dangling");
                };
                if (!ok) return false;
            }
            return true;
        }
    }

    static final class Inspect implements Command {
        public String name() { return "volume-inspect"; }
        public String summary() { return "Display detailed information on one or more volumes"; }
        public List<Flag> flags() {
            return List.of(Flag.value("format", 'f', "format volume output using Go template"), Flag.bool("all", 'a', "inspect all volumes"));
        }

        public int run(Cli cli, Args a) {
            List<String> names = a.bool("all") ? cli.engine().volumes().stream().map(Volume::name).toList() : a.positionals();
            if (names.isEmpty()) throw new UsageException("jpod volume inspect needs a volume name, or --all");
            List<Map<String, Object>> out = new ArrayList<>();
            String missing = null;
            for (String n : names) {
                try {
                    Map<String, Object> m = json(cli, cli.engine().inspectVolume(n));
                    m.put("MountCount", cli.engine().volumeUsers(n).size());
                    out.add(m);
                } catch (JpodException e) {
                    if (missing == null) missing = e.getMessage();
                }
            }
            String format = a.get("format");
            if (format == null || io.jpod.cli.format.FormatPrinter.isJson(format.strip())) {
                cli.out.println(io.jpod.json.Json.writePretty(out, "     "));
            } else {
                String f = format.endsWith("\n") ? format : format + "\n";
                cli.out.print(io.jpod.cli.format.FormatPrinter.render(f, out, Map.of()));
            }
            if (missing != null) throw JpodException.notFound(missing);
            return 0;
        }
    }

    static final class Rm implements Command {
        public String name() { return "volume-rm"; }
        public String summary() { return "Remove one or more volumes"; }
        public List<Flag> flags() {
            return List.of(Flag.bool("force", 'f', "remove a volume by force, removing the containers that use it"),
                    Flag.bool("all", 'a', "remove all volumes"));
        }

        public int run(Cli cli, Args a) {
            List<String> names = a.bool("all") ? cli.engine().volumes().stream().map(Volume::name).toList() : a.positionals();
            if (names.isEmpty() && !a.bool("all")) throw new UsageException("jpod volume rm needs a volume name, or --all");
            int code = 0;
            for (Report r : cli.engine().removeVolumes(names, a.bool("force"))) {
                if (r.succeeded()) {
                    cli.out.println(r.id());
                } else {
                    cli.flush();
                    cli.err.println("Error: " + r.error().getMessage());
                    // podman volume rm: 1 for a volume that does not exist, 2 for one in use, 125 otherwise
                    int c = switch (r.error().code()) {
                        case NOT_FOUND -> 1;
                        case INVALID_STATE -> 2;
                        default -> 125;
                    };
                    code = Math.max(code, c);
                }
            }
            return code;
        }
    }

    static final class Prune implements Command {
        public String name() { return "volume-prune"; }
        public String summary() { return "Remove all unused volumes"; }
        public List<Flag> flags() {
            return List.of(Flag.bool("force", 'f', "do not prompt for confirmation"), Flag.value("filter", "provide filter values"));
        }

        public int run(Cli cli, Args a) throws Exception {
            if (a.has("filter")) throw JpodException.invalid("volume prune --filter is not supported yet: prune without it");
            if (!a.bool("force")) {
                cli.out.print("WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\n");
                for (Volume v : cli.engine().volumes()) if (cli.engine().volumeUsers(v.name()).isEmpty()) cli.out.println(v.name());
                cli.out.print("Are you sure you want to continue? [y/N] ");
                cli.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null) throw JpodException.invalid("EOF");
                if (!answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) return 0;
            }
            for (String n : cli.engine().pruneVolumes()) cli.out.println(n);
            return 0;
        }
    }

    static final class Exists implements Command {
        public String name() { return "volume-exists"; }
        public String summary() { return "Check if the given volume exists"; }
        public List<Flag> flags() { return List.of(); }

        public int run(Cli cli, Args a) {
            if (a.positionals().size() != 1) throw new UsageException("jpod volume exists takes one volume name");
            return cli.engine().volumeExists(a.positionals().getFirst()) ? 0 : 1;
        }
    }
}
