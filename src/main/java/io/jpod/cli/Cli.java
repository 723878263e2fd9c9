package io.jpod.cli;

import io.jpod.core.ContainerRuntime;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.EngineConfig;
import io.jpod.engine.LocalEngine;
import io.jpod.engine.Report;
import io.jpod.json.Json;
import io.jpod.oci.ConmonRuntime;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses global flags, picks the verb and maps errors to podman's exit codes: 125 for the engine's own
 * errors (one "Error: ..." line on stderr), 126/127 when the container's command cannot be run, otherwise
 * the container's or command's own code.
 */
final class Cli {
    static final String VERSION = "0.1.0";

    final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    private EngineConfig config = EngineConfig.defaults();
    private String logLevel = "warning";
    private ContainerEngine engine;

    static final List<Flag> GLOBAL = List.of(
            Flag.value("root", "storage root directory (default /var/lib/jpod)"),
            Flag.value("runroot", "runtime state directory (default /run/jpod)"),
            Flag.value("log-level", "log level: debug, info, warn, error"),
            Flag.value("cgroup-manager", "cgroup manager: cgroupfs or systemd"),
            Flag.value("runtime", "path to the OCI runtime (runc)"),
            Flag.value("conmon", "path to conmon"),
            Flag.bool("help", 'h', "help for jpod"),
            Flag.bool("version", 'v', "version of jpod"));

    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.<Command>of(new RunCommand(), new CreateCommand(), new StartCommand(), new StopCommand(),
                new KillCommand(), new RmCommand(), new PsCommand(), new InspectCommand(), new LogsCommand(),
                new ExecCommand(), new PauseCommand(true), new PauseCommand(false), new WaitCommand(),
                new RestartCommand(), new RenameCommand(), new PortCommand(), new TopCommand(), new ImportCommand(),
                new ImagesCommand(), new RmiCommand(), new TagCommand(), new InfoCommand(), new VersionCommand(),
                new CleanupCommand(), new CheckpointCommand(false), new CheckpointCommand(true),
                new ExistsCommand(false), new ExistsCommand(true), new PullCommand(), new PushCommand(),
                new LoginCommand(), new LogoutCommand(), new SaveCommand(), new LoadCommand(), new ExportCommand(),
                new HistoryCommand(), new UntagCommand(), new ImagePruneCommand(), new CpCommand(),
                new DiffCommand(), new MountCommand(true), new MountCommand(false), new EventsCommand(),
                new AttachCommand(), new StatsCommand(), new HealthcheckCommand(), new BootCommand(), new ServiceCommand())) {
            COMMANDS.put(c.name(), c);
        }
        for (Command c : VolumeCommands.all()) COMMANDS.put(c.name(), c);
        for (Command c : NetworkCommands.all()) COMMANDS.put(c.name(), c);
    }

    int execute(String[] argv) {
        io.jpod.sys.Trace.mark("cli start");
        List<String> args = Arrays.asList(argv);
        // Every verb but version and help opens the database through FFM: link the call stub (~30 ms) on a
        // second core while this thread parses arguments.
        if (!args.contains("version") && !args.contains("--version") && !args.contains("--help") && !args.isEmpty()) {
            io.jpod.sys.linux.FfmWarmUp.start(true);
            io.jpod.sys.Trace.mark("warm-up started");
        }
        try {
            int i = 0;
            // global flags come before the verb
            List<String> globals = new ArrayList<>();
            while (i < args.size() && args.get(i).startsWith("-")) {
                String a = args.get(i++);
                globals.add(a);
                if (!a.contains("=") && takesValue(a) && i < args.size()) globals.add(args.get(i++));
            }
            Args g = Args.parse(GLOBAL, globals, 0);
            applyGlobals(g);
            if (g.bool("version")) {
                out.println("jpod version " + VERSION);
                return 0;
            }
            if (i >= args.size() || g.bool("help")) {
                usage();
                return i >= args.size() && !g.bool("help") ? 125 : 0;
            }
            String verb = args.get(i++);
            if (verb.equals("network") && i < args.size()) {
                String sub = args.get(i++);
                verb = "network-" + switch (sub) {
                    case "list" -> "ls";
                    case "remove" -> "rm";
                    default -> sub;
                };
            } else if (verb.equals("volume") && i < args.size()) {
                String sub = args.get(i++);
                verb = "volume-" + switch (sub) {
                    case "list" -> "ls";
                    case "remove" -> "rm";
                    default -> sub;
                };
            } else if (verb.equals("healthcheck") && i < args.size()) {
                String sub = args.get(i++);
                if (!sub.equals("run")) throw new UsageException("unknown healthcheck command \"" + sub + "\": use jpod healthcheck run CONTAINER");
                verb = "healthcheck-run";
            } else if ((verb.equals("container") || verb.equals("image") || verb.equals("system")) && i < args.size()) {
                String sub = args.get(i++);
                verb = switch (verb + " " + sub) {
                    case "image ls", "image list" -> "images";
                    case "image rm" -> "rmi";
                    case "container ls", "container list" -> "ps";
                    case "image import" -> "import";
                    case "image pull" -> "pull";
                    case "image history" -> "history";
                    case "image untag" -> "untag";
                    case "image prune" -> "image-prune";
                    case "image push" -> "push";
                    case "image save" -> "save";
                    case "image load" -> "load";
                    case "container export" -> "export";
                    case "container cp" -> "cp";
                    case "system events" -> "events";
                    case "system boot" -> "system-boot";
                    case "system service" -> "system-service";
                    case "container diff" -> "diff";
                    case "container mount" -> "mount";
                    case "container unmount", "container umount" -> "unmount";
                    case "image tag" -> "tag";
                    case "image inspect" -> "inspect-image";
                    case "image exists" -> "image-exists";
                    default -> sub;
                };
            }
            List<String> rest = args.subList(i, args.size());
            if (verb.equals("inspect-image")) {
                List<String> r = new ArrayList<>(List.of("--type", "image"));
                r.addAll(rest);
                rest = r;
                verb = "inspect";
            }
            if (verb.equals("umount")) verb = "unmount";
            Command cmd = COMMANDS.get(verb);
            if (cmd == null) {
                throw new UsageException("unrecognized command `jpod " + verb.replace('-', ' ') + "`: try `jpod --help`");
            }
            if (rest.contains("--help") || rest.contains("-h") && !verb.equals("run") && !verb.equals("exec")
                    && !verb.equals("create")) {
                commandUsage(cmd);
                return 0;
            }
            Args parsed = Args.parse(cmd.flags(), rest, cmd.stopAfterPositionals());
            io.jpod.sys.Trace.mark("args parsed");
            return cmd.run(this, parsed);
        } catch (ContainerRuntime.StartFailedException e) {
            return fail(e, e.exitCode());
        } catch (ConmonRuntime.ExecFailedException e) {
            return fail(e, e.exitCode());
        } catch (JpodException | UsageException e) {
            return fail(e, 125);
        } catch (Exception e) {
            return fail(e, 125);
        }
    }

    private int fail(Exception e, int code) {
        flush();
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        err.println("Error: " + msg);
        if (debug()) e.printStackTrace(err);
        return code;
    }

    boolean debug() {
        return logLevel.equals("debug") || logLevel.equals("trace");
    }

    private static boolean takesValue(String flag) {
        String n = flag.replaceFirst("^--?", "");
        return GLOBAL.stream().anyMatch(f -> f.takesValue() && f.name().equals(n));
    }

    private void applyGlobals(Args g) {
        if (g.has("root")) config = config.withRoot(Path.of(g.get("root")));
        if (g.has("runroot")) config = config.withRunRoot(Path.of(g.get("runroot")));
        if (g.has("runtime")) config = config.withRuntimePath(Path.of(g.get("runtime")));
        if (g.has("conmon")) config = config.withConmonPath(Path.of(g.get("conmon")));
        if (g.has("cgroup-manager")) config = config.withCgroupManager(g.get("cgroup-manager"));
        if (g.has("log-level")) {
            logLevel = g.get("log-level");
            if (!List.of("debug", "info", "warn", "warning", "error", "fatal", "panic", "trace").contains(logLevel)) {
                throw new UsageException("invalid log level \"" + logLevel + "\": use debug, info, warn or error");
            }
            config = config.withLogLevel(logLevel);
        }
        config = config.withExitCommand(exitCommand());
    }

    /** How conmon re-invokes us when a detached --rm container exits: the same launcher and storage flags. */
    private List<String> exitCommand() {
        String launcher = System.getProperty("jpod.launcher");
        List<String> cmd = new ArrayList<>();
        if (launcher != null) {
            cmd.add(launcher);
        } else {
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
        }
        cmd.addAll(List.of("--root", config.root().toString(), "--runroot", config.runRoot().toString(),
                "--cgroup-manager", config.cgroupManager(), "--runtime", config.runtimePath().toString(),
                "--conmon", config.conmonPath().toString()));
        return cmd;
    }

    ContainerEngine engine() {
        if (engine == null) {
            engine = LocalEngine.open(config, msg -> {
                flush();
                // logrus' logfmt line, as podman prints warnings when stderr is not a terminal
                err.println("time=\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\" level=warning msg=\"" + msg.replace("\"", "\\\"") + "\"");
            });
        }
        return engine;
    }

    void flush() {
        out.flush();
        err.flush();
    }

    /** Prints each report as podman does: what was asked for on stdout, errors on stderr; 125 if any failed. */
    int reports(List<Report> reports, boolean printId) {
        int code = 0;
        JpodException last = null;
        for (Report r : reports) {
            if (r.succeeded()) {
                out.println(printId ? r.id() : r.requested());
            } else {
                if (last != null) {
                    flush();
                    err.println("Error: " + last.getMessage());
                }
                last = r.error();
                code = 125;
            }
        }
        if (last != null) {
            flush();
            err.println("Error: " + last.getMessage());
        }
        return code;
    }

    static void requireArgs(Args a, int min, String what) {
        if (a.positionals().size() < min) throw new UsageException(what);
    }

    void printJson(Object o) {
        out.println(Json.writePretty(o, "     ")); // podman indents inspect output by five spaces
    }

    private void usage() {
        out.println("Manage pods, containers and images\n\nUsage:\n  jpod [options] [command]\n\nAvailable Commands:");
        for (Command c : COMMANDS.values()) {
            if (c.name().contains("-")) continue; // "volume-ls" is typed "volume ls": listed under its group
            out.printf("  %-12s%s%n", c.name(), c.summary());
        }
        out.printf("  %-12s%s%n", "volume", "Manage volumes (create, ls, inspect, rm, prune, exists)");
        out.printf("  %-12s%s%n", "healthcheck", "Run a container's healthcheck (run)");
        out.printf("  %-12s%s%n", "network", "Manage networks (create, ls, inspect, rm, prune, exists, connect, disconnect, reload)");
        out.printf("  %-12s%s%n", "image prune", "Remove unused images");
        out.println("\nOptions:");
        for (Flag f : GLOBAL) out.printf("      --%-16s%s%n", f.name(), f.help());
    }

    private void commandUsage(Command c) {
        out.println(c.summary() + "\n\nUsage:\n  jpod " + c.name().replace('-', ' ') + " [options]\n\nOptions:");
        for (Flag f : c.flags()) {
            out.printf("  %s--%-18s%s%n", f.shortName() == '\0' ? "    " : "-" + f.shortName() + ", ", f.name(), f.help());
        }
    }
}
