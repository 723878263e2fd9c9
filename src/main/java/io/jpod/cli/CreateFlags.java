package io.jpod.cli;

import io.jpod.core.MountSpec;
import io.jpod.core.Signals;
import io.jpod.core.Sizes;
import io.jpod.engine.CreateOptions;
import io.jpod.oci.PortMapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The flags `create` and `run` share, and their translation into {@link CreateOptions}. */
final class CreateFlags {
    private CreateFlags() {}

    static final List<Flag> FLAGS = withRegistryFlags(List.of(
            Flag.value("name", "assign a name to the container"),
            Flag.value("env", 'e', "set environment variables"),
            Flag.value("env-file", "read in a file of environment variables"),
            Flag.value("workdir", 'w', "working directory inside the container"),
            Flag.value("user", 'u', "username or UID (format: <name|uid>[:<group|gid>])"),
            Flag.value("entrypoint", "overwrite the default ENTRYPOINT of the image"),
            Flag.value("volume", 'v', "bind mount a volume into the container (SRC|NAME:DST[:ro], or DST for an anonymous volume)"),
            Flag.value("mount", "attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...)"),
            Flag.value("tmpfs", "mount a temporary filesystem (tmpfs) into a container"),
            Flag.bool("read-only", "make the containers root filesystem read-only"),
            Flag.value("hostname", 'h', "set container hostname"),
            Flag.value("stop-signal", "signal to stop a container (default SIGTERM)"),
            Flag.value("stop-timeout", "timeout (in seconds) to stop a container (default 10)"),
            Flag.value("memory", 'm', "memory limit (format: <number>[<unit>], unit b, k, m or g)"),
            Flag.value("cpus", "number of CPUs"),
            Flag.value("pids-limit", "tune container pids limit (-1 for unlimited)"),
            Flag.value("cap-add", "add capabilities to the container"),
            Flag.value("cap-drop", "drop capabilities from the container"),
            Flag.bool("privileged", "give extended privileges to the container"),
            Flag.value("label", 'l', "set metadata on the container (key=value)"),
            Flag.value("log-opt", "logging driver options (max-size=SIZE)"),
            Flag.value("publish", 'p', "publish a container's port to the host ([ip:][hostPort:]containerPort[/proto])"),
            Flag.bool("publish-all", 'P', "publish all exposed ports to random ports on the host interfaces"),
            Flag.bool("rm", "remove the container when it exits"),
            Flag.bool("interactive", 'i', "keep STDIN open even if not attached"),
            Flag.bool("tty", 't', "allocate a pseudo-TTY"),
            Flag.value("network", "connect the container to a network: bridge, a network's name (several: a,b), none, host or container:NAME"),
            Flag.value("net", "alias of --network"),
            Flag.value("ip", "specify a static IPv4 address for the container"),
            Flag.value("mac-address", "container MAC address (e.g. 92:d0:c6:0a:29:33)"),
            Flag.value("network-alias", "add network-scoped alias for the container"),
            Flag.value("dns", "set custom DNS servers"),
            Flag.value("dns-search", "set custom DNS search domains"),
            Flag.value("dns-option", "set custom DNS options"),
            Flag.value("dns-opt", "alias of --dns-option"),
            Flag.value("add-host", "add a custom host-to-IP mapping (host:ip)"),
            Flag.bool("no-hosts", "do not create /etc/hosts within the container, instead use the version from the image"),
            Flag.bool("init", "run an init inside the container that forwards signals and reaps processes"),
            Flag.value("pull", "pull image policy: missing, always, never or newer (default missing)"),
            Flag.bool("detach", 'd', "run the container in the background and print its ID"),
            Flag.bool("sig-proxy", "proxy received signals to the process (default true)"),
            Flag.value("detach-keys", "override the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")"),
            Flag.value("restart", "restart policy to apply when a container exits (no, on-failure[:max-retries], always, unless-stopped)"),
            Flag.value("health-cmd", "set a healthcheck command for the container ('none' disables the existing healthcheck)"),
            Flag.value("health-interval", "set an interval for the healthcheck (default \"30s\")"),
            Flag.value("health-retries", "the number of retries allowed before a healthcheck is considered to be unhealthy (default 3)"),
            Flag.value("health-timeout", "the maximum time allowed to complete the healthcheck before an interval is considered failed (default \"30s\")"),
            Flag.value("health-start-period", "the initialization time needed for a container to bootstrap (default \"0s\")"),
            Flag.bool("no-healthcheck", "disable healthchecks on container"),
            Flag.bool("quiet", 'q', "suppress output information when pulling images")));

    private static List<Flag> withRegistryFlags(List<Flag> own) {
        List<Flag> all = new ArrayList<>(own);
        all.addAll(RegistryFlags.flags(true, true));
        return List.copyOf(all);
    }

    private static io.jpod.engine.PullPolicy pullPolicy(Args a) {
        try {
            return io.jpod.engine.PullPolicy.parse(a.get("pull"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Makes sure the image is here as --pull says (default: pull when missing), with pull progress on stderr. */
    static void ensureImage(Cli cli, Args a, CreateOptions o) {
        io.jpod.engine.PullPolicy policy = pullPolicy(a);
        cli.engine().ensureImage(o.image(), policy, RegistryFlags.parse(a), PullCommand.progress(cli, a.bool("quiet")));
    }

    static CreateOptions parse(Args a) {
        List<String> pos = a.positionals();
        if (pos.isEmpty()) throw new UsageException("requires at least 1 arg(s), only received 0: give an image, e.g. jpod run localhost/busybox echo hi");
        CreateOptions.Builder b = CreateOptions.builder(pos.getFirst()).command(pos.subList(1, pos.size()));
        if (a.has("name")) b.name(a.get("name"));
        for (String f : a.all("env-file")) readEnvFile(f).forEach(b::env);
        for (String e : a.all("env")) b.env(e);
        if (a.has("workdir")) b.workDir(a.get("workdir"));
        if (a.has("user")) b.user(a.get("user"));
        if (a.has("entrypoint")) {
            String ep = a.get("entrypoint");
            b.entrypoint(ep.isEmpty() ? List.of() : ep.startsWith("[") ? jsonList(ep) : List.of(ep));
        }
        for (String v : a.all("volume")) b.mount(volume(v));
        for (String m : a.all("mount")) b.mount(mount(m));
        for (String t : a.all("tmpfs")) b.mount(tmpfs(t));
        b.readOnly(a.bool("read-only"));
        if (a.has("hostname")) b.hostname(a.get("hostname"));
        if (a.has("stop-signal")) b.stopSignal(Signals.parse(a.get("stop-signal")));
        if (a.has("stop-timeout")) b.stopTimeout(a.integer("stop-timeout"));
        if (a.has("memory")) b.memoryBytes(Sizes.parseBytes(a.get("memory"), "--memory"));
        if (a.has("cpus")) {
            try {
                double c = Double.parseDouble(a.get("cpus"));
                if (c <= 0 || c > Runtime.getRuntime().availableProcessors() * 64) throw new NumberFormatException();
                b.cpus(c);
            } catch (NumberFormatException e) {
                throw new UsageException("invalid argument \"" + a.get("cpus") + "\" for \"--cpus\" flag: use a positive number like 0.5");
            }
        }
        if (a.has("pids-limit")) b.pidsLimit(a.integer("pids-limit"));
        a.all("cap-add").forEach(c -> List.of(c.split(",")).forEach(b::capAdd));
        a.all("cap-drop").forEach(c -> List.of(c.split(",")).forEach(b::capDrop));
        b.privileged(a.bool("privileged"));
        for (String l : a.all("label")) {
            int eq = l.indexOf('=');
            b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        for (String o : a.all("log-opt")) {
            if (o.startsWith("max-size=")) b.logMaxSize(Sizes.parseBytes(o.substring(9), "--log-opt max-size"));
            else if (!o.startsWith("path=") && !o.startsWith("tag=")) {
                throw new UsageException("unknown log option \"" + o + "\": use max-size=SIZE");
            }
        }
        for (String p : a.all("publish")) parsePorts(p).forEach(b::port);
        b.publishAll(a.bool("publish-all"));
        b.autoRemove(a.bool("rm"));
        b.interactive(a.bool("interactive"));
        b.tty(a.bool("tty"));
        List<String> nets = new ArrayList<>(a.all("network"));
        nets.addAll(a.all("net"));
        if (!nets.isEmpty()) b.network(String.join(",", nets));
        List<String> dnsOptions = new ArrayList<>(a.all("dns-option"));
        dnsOptions.addAll(a.all("dns-opt"));
        List<String> dnsSearch = new ArrayList<>();
        for (String d : a.all("dns-search")) dnsSearch.addAll(List.of(d.split(",")));
        List<String> dns = new ArrayList<>();
        for (String d : a.all("dns")) dns.addAll(List.of(d.split(",")));
        List<String> aliases = new ArrayList<>();
        for (String al : a.all("network-alias")) aliases.addAll(List.of(al.split(",")));
        b.netOptions(io.jpod.core.NetworkOptions.of(a.get("ip"), a.get("mac-address"), aliases, dns, dnsSearch, dnsOptions,
                a.all("add-host"), a.bool("no-hosts")));
        b.init(a.bool("init"));
        b.sigProxy(!a.has("sig-proxy") || a.bool("sig-proxy"));
        b.detachKeys(io.jpod.engine.DetachKeys.parse(a.get("detach-keys")));
        if (a.has("restart")) b.restartPolicy(io.jpod.core.RestartPolicy.parse(a.get("restart")));
        healthcheck(a, b);
        pullPolicy(a); // a bad value fails before anything is pulled or created
        return b.build();
    }

    private static void healthcheck(Args a, CreateOptions.Builder b) {
        boolean timing = a.has("health-interval") || a.has("health-retries") || a.has("health-timeout") || a.has("health-start-period");
        if (a.bool("no-healthcheck") || "none".equals(a.get("health-cmd"))) {
            if (timing || a.has("health-cmd") && a.bool("no-healthcheck")) {
                throw new UsageException("--no-healthcheck (or --health-cmd none) conflicts with the other --health-* options: drop one");
            }
            b.healthcheck(null);
            return;
        }
        if (!a.has("health-cmd")) {
            if (timing) throw new UsageException("--health-* options need a command: add --health-cmd");
            return;
        }
        if (a.get("health-cmd").isBlank()) throw new UsageException("--health-cmd must not be empty: give the command to run, or none");
        int retries = 3;
        if (a.has("health-retries")) {
            try {
                retries = Integer.parseInt(a.get("health-retries"));
            } catch (NumberFormatException e) {
                throw new UsageException("invalid --health-retries \"" + a.get("health-retries") + "\": give a whole number, 1 or more");
            }
        }
        b.healthcheck(new io.jpod.core.HealthConfig(io.jpod.core.HealthConfig.test(a.get("health-cmd")),
                a.has("health-interval") ? io.jpod.core.HealthConfig.parseDuration("--health-interval", a.get("health-interval"))
                        : io.jpod.core.HealthConfig.DEFAULT_INTERVAL,
                a.has("health-timeout") ? io.jpod.core.HealthConfig.parseDuration("--health-timeout", a.get("health-timeout"))
                        : io.jpod.core.HealthConfig.DEFAULT_TIMEOUT, retries,
                a.has("health-start-period") ? io.jpod.core.HealthConfig.parseDuration("--health-start-period", a.get("health-start-period"))
                        : java.time.Duration.ZERO));
    }

    private static List<String> jsonList(String s) {
        Object v;
        try {
            v = io.jpod.json.Json.parse(s);
        } catch (RuntimeException e) {
            throw new UsageException("invalid --entrypoint \"" + s + "\": not a JSON array of strings");
        }
        if (!(v instanceof List<?> l)) throw new UsageException("invalid --entrypoint \"" + s + "\": not a JSON array");
        return l.stream().map(String::valueOf).toList();
    }

    static List<String> readEnvFile(String f) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(f))) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                out.add(l);
            }
            return out;
        } catch (IOException e) {
            throw new UsageException("cannot read env file " + f + ": " + e.getMessage());
        }
    }

    /** -v, --mount, --tmpfs: parsed as the API parses them ({@link io.jpod.engine.MountSpecs}), refused as usage errors. */
    static MountSpec volume(String v) {
        return usage(() -> io.jpod.engine.MountSpecs.volume(v));
    }

    static MountSpec mount(String spec) {
        return usage(() -> io.jpod.engine.MountSpecs.mount(spec));
    }

    static MountSpec tmpfs(String t) {
        return usage(() -> io.jpod.engine.MountSpecs.tmpfs(t));
    }

    private static MountSpec usage(java.util.function.Supplier<MountSpec> parse) {
        try {
            return parse.get();
        } catch (io.jpod.core.JpodException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** -p [hostIP:][hostPort:]containerPort[/proto], ports may be ranges a-b; no host port: a free one at create (0 here). */
    static List<PortMapping> parsePorts(String spec) {
        String s = spec, proto = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String hostIp = "", hostPart = "", ctrPart;
        int last = s.lastIndexOf(':');
        if (last < 0) {
            ctrPart = s;
        } else {
            ctrPart = s.substring(last + 1);
            String front = s.substring(0, last);
            int c2 = front.lastIndexOf(':');
            if (c2 < 0) {
                hostPart = front;
            } else {
                hostIp = front.substring(0, c2);
                hostPart = front.substring(c2 + 1);
            }
        }
        if (hostIp.startsWith("[") && hostIp.endsWith("]")) hostIp = hostIp.substring(1, hostIp.length() - 1);
        int[] ctr = range(ctrPart, spec);
        int[] host = hostPart.isEmpty() ? null : range(hostPart, spec);
        if (host != null && host[1] - host[0] != ctr[1] - ctr[0]) {
            throw new UsageException("invalid port \"" + spec + "\": host and container port ranges differ in size");
        }
        List<PortMapping> out = new ArrayList<>();
        for (int i = 0; i <= ctr[1] - ctr[0]; i++) {
            try {
                out.add(new PortMapping(hostIp, host == null ? 0 : host[0] + i, ctr[0] + i, proto));
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid port \"" + spec + "\": " + e.getMessage());
            }
        }
        return out;
    }

    private static int[] range(String r, String spec) {
        try {
            int dash = r.indexOf('-');
            if (dash < 0) {
                int p = Integer.parseInt(r);
                return new int[] {p, p};
            }
            int a = Integer.parseInt(r.substring(0, dash)), b = Integer.parseInt(r.substring(dash + 1));
            if (b < a) throw new NumberFormatException();
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new UsageException("invalid port \"" + spec + "\": \"" + r + "\" is not a port number or range");
        }
    }
}
