package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.core.ContainerConfig;
import io.jpod.core.ContainerState;
import io.jpod.core.ContainerStatus;
import io.jpod.core.Layout;
import io.jpod.core.MountSpec;
import io.jpod.core.SpecGenerator;
import io.jpod.image.Image;
import io.jpod.image.ImageRef;
import io.jpod.oci.PortMapping;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Podman-shaped views of containers and images, the data `--format` templates and `--format json` see. */
final class Views {
    private Views() {}

    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** STATUS as podman prints it: "Up 5 seconds ago", "Exited (3) 2 seconds ago", "Created", "Paused". */
    static String status(Container c, Instant now, Layout layout) {
        ContainerState s = c.state();
        return switch (c.status()) {
            case CONFIGURED, CREATED -> "Created";
            case RUNNING -> "Up " + HumanTime.ago(s.startedAt() == null ? now : s.startedAt(), now)
                    + (c.config().healthcheck() == null ? "" : " (" + health(c, layout).status() + ")");
            case PAUSED -> "Paused";
            case STOPPED, EXITED -> s.finishedAt() == null ? "Exited (" + s.exitCode() + ")"
                    : "Exited (" + s.exitCode() + ") " + HumanTime.ago(s.finishedAt(), now);
            case REMOVING -> "Removing";
        };
    }

    static String ports(List<PortMapping> ports) {
        List<String> out = new ArrayList<>();
        for (PortMapping p : ports) {
            String ip = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
            out.add(ip + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol());
        }
        return String.join(", ", out);
    }

    /** A listed item: the fields templates see, and the object `--format json` prints. */
    record Row(Map<String, Object> fields, Map<String, Object> json) {}

    /** One row of `ps`: the fields podman's ps templates use, plus its JSON keys. */
    /** The container's recorded health, when it has a healthcheck. */
    static io.jpod.core.HealthState health(Container c, Layout layout) {
        return io.jpod.core.HealthState.read(layout.healthFile(c.id()));
    }

    static Row psRow(Container c, boolean noTrunc, Instant now, Layout layout) {
        ContainerConfig cfg = c.config();
        ContainerState s = c.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AutoRemove", cfg.autoRemove());
        m.put("Command", cfg.command());
        m.put("CreatedAt", HumanTime.ago(cfg.created(), now));
        m.put("Exited", c.status() == ContainerStatus.STOPPED || c.status() == ContainerStatus.EXITED);
        m.put("ExitedAt", s.finishedAt() == null ? -62135596800L : s.finishedAt().getEpochSecond());
        m.put("ExitCode", s.exitCode());
        m.put("Id", cfg.id());
        m.put("Image", cfg.image());
        m.put("ImageID", cfg.imageId());
        m.put("IsInfra", false);
        m.put("Labels", cfg.labels().isEmpty() ? null : new TreeMap<>(cfg.labels()));
        m.put("Mounts", cfg.mounts().stream().map(MountSpec::destination).toList());
        m.put("Names", List.of(cfg.name()));
        m.put("Namespaces", Map.of());
        m.put("Networks", List.of());
        m.put("Pid", s.pid());
        m.put("Pod", "");
        m.put("PodName", "");
        m.put("Ports", cfg.ports().isEmpty() ? null : cfg.ports().stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("host_ip", p.hostIp());
            pm.put("container_port", p.containerPort());
            pm.put("host_port", p.hostPort());
            pm.put("range", 1);
            pm.put("protocol", p.protocol());
            return pm;
        }).toList());
        m.put("Size", null);
        m.put("StartedAt", s.startedAt() == null ? -62135596800L : s.startedAt().getEpochSecond());
        m.put("State", c.status().word());
        m.put("Status", status(c, now, layout));
        m.put("Created", cfg.created().getEpochSecond());
        // fields only templates see (podman's psReporter methods)
        Map<String, Object> t = new LinkedHashMap<>(m);
        t.put("ID", noTrunc ? cfg.id() : cfg.id().substring(0, 12));
        t.put("Names", cfg.name());
        t.put("State", m.get("Status")); // podman 4.3's template State is the human status ("Up 5 seconds ago")
        t.put("Command", truncateCommand(String.join(" ", cfg.command()), noTrunc));
        t.put("CreatedHuman", HumanTime.ago(cfg.created(), now));
        t.put("RunningFor", HumanTime.duration(java.time.Duration.between(cfg.created(), now)));
        t.put("Ports", ports(cfg.ports()));
        t.put("Labels", labelsText(cfg.labels()));
        t.put("Mounts", String.join(",", cfg.mounts().stream().map(MountSpec::destination).toList()));
        t.put("Networks", "");
        t.put("Size", "");
        return new Row(t, m);
    }

    private static String labelsText(Map<String, String> labels) {
        if (labels.isEmpty()) return "";
        List<String> l = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> l.add(k + "=" + v));
        return "map[" + String.join(" ", l.stream().map(s -> s.replaceFirst("=", ":")).toList()) + "]";
    }

    static String truncateCommand(String cmd, boolean noTrunc) {
        if (noTrunc || cmd.length() <= 17) return cmd;
        return cmd.substring(0, 17) + "...";
    }

    static String iso(Instant t) {
        if (t == null) return ZERO_TIME;
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** `inspect` of a container, with podman's field names. */
    static Map<String, Object> inspect(Container c, Layout layout) {
        return inspect(c, layout, null);
    }

    /** eps: the container's interfaces on its networks (NetworkSettings), eth0 first; empty when it has none. */
    static Map<String, Object> inspect(Container c, Layout layout, List<io.jpod.core.ContainerNetworking.Endpoint> eps) {
        ContainerConfig cfg = c.config();
        ContainerState s = c.state();
        List<String> cmd = cfg.command();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", cfg.id());
        m.put("Created", iso(cfg.created()));
        m.put("Path", cmd.isEmpty() ? "" : cmd.getFirst());
        m.put("Args", cmd.size() > 1 ? cmd.subList(1, cmd.size()) : List.of());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("OciVersion", "1.0.2-dev");
        st.put("Status", c.status().word());
        st.put("Running", c.status() == ContainerStatus.RUNNING);
        st.put("Paused", c.status() == ContainerStatus.PAUSED);
        st.put("Restarting", false);
        st.put("OOMKilled", s.oomKilled());
        st.put("Dead", false);
        st.put("Pid", s.pid());
        st.put("ConmonPid", s.conmonPid());
        st.put("ExitCode", s.exitCode());
        st.put("Error", "");
        st.put("StartedAt", iso(s.startedAt()));
        st.put("FinishedAt", iso(s.finishedAt()));
        st.put("Health", cfg.healthcheck() == null ? Map.of("Status", "", "FailingStreak", 0, "Log", List.of())
                : health(c, layout).inspectJson());
        st.put("CgroupPath", cfg.cgroupParent() + "/jpod-" + cfg.id());
        m.put("State", st);
        m.put("Image", cfg.imageId());
        m.put("ImageName", cfg.image());
        m.put("Rootfs", "");
        m.put("Pod", "");
        m.put("ResolvConfPath", layout.bundle(cfg.id()).resolve("resolv.conf").toString());
        m.put("HostnamePath", layout.bundle(cfg.id()).resolve("hostname").toString());
        m.put("HostsPath", layout.bundle(cfg.id()).resolve("hosts").toString());
        m.put("StaticDir", layout.bundle(cfg.id()).toString());
        m.put("OCIConfigPath", layout.bundle(cfg.id()).resolve("config.json").toString());
        m.put("OCIRuntime", "runc");
        m.put("ConmonPidFile", layout.persistDir(cfg.id()).resolve("conmon.pid").toString());
        m.put("PidFile", layout.persistDir(cfg.id()).resolve("pidfile").toString());
        m.put("Name", cfg.name());
        m.put("RestartCount", s.restartCount());
        m.put("Driver", "overlay");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        List<String> caps = SpecGenerator.capabilities(cfg);
        m.put("EffectiveCaps", caps);
        m.put("BoundingCaps", caps);
        m.put("ExecIDs", new ArrayList<>(s.execSessions().keySet()));
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of(
                "LowerDir", String.join(":", cfg.lowerDirs()),
                "UpperDir", layout.upper(cfg.id()).toString(),
                "WorkDir", layout.work(cfg.id()).toString(),
                "MergedDir", layout.merged(cfg.id()).toString())));
        m.put("Mounts", cfg.mounts().stream().map(ms -> {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("Type", ms.type());
            if (ms.type().equals("volume")) { // podman: the volume's name, its _data directory as Source, driver local
                java.nio.file.Path data = java.nio.file.Path.of(ms.source());
                mm.put("Name", data.getParent() == null ? "" : data.getParent().getFileName().toString());
            }
            mm.put("Source", ms.source());
            mm.put("Destination", ms.destination());
            mm.put("Driver", ms.type().equals("volume") ? "local" : "");
            mm.put("Mode", "");
            mm.put("Options", ms.options());
            mm.put("RW", !ms.options().contains("ro"));
            mm.put("Propagation", "rprivate");
            return mm;
        }).toList());
        m.put("Dependencies", List.of());
        Map<String, Object> ns = new LinkedHashMap<>();
        var first = eps.isEmpty() ? null : eps.getFirst();
        ns.put("EndpointID", "");
        ns.put("Gateway", first == null ? "" : first.gateway());
        ns.put("IPAddress", first == null || first.ip() == null ? "" : first.ip());
        ns.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
        ns.put("IPv6Gateway", "");
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("MacAddress", first == null ? "" : first.mac());
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("Ports", portsMap(cfg.ports()));
        ns.put("SandboxKey", eps.isEmpty() ? "" : layout.netns(cfg.id()).toString());
        if (io.jpod.core.ContainerNetworking.bridged(cfg)) {
            Map<String, Object> nets = new LinkedHashMap<>();
            for (String name : io.jpod.core.ContainerNetworking.networkNames(cfg.networkMode())) {
                var ep = eps.stream().filter(e -> e.network().equals(name)).findFirst().orElse(null);
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("EndpointID", "");
                n.put("Gateway", ep == null ? "" : ep.gateway());
                n.put("IPAddress", ep == null || ep.ip() == null ? "" : ep.ip());
                n.put("IPPrefixLen", ep == null ? 0 : ep.prefixLength());
                n.put("IPv6Gateway", "");
                n.put("GlobalIPv6Address", "");
                n.put("GlobalIPv6PrefixLen", 0);
                n.put("MacAddress", ep == null ? "" : ep.mac());
                n.put("NetworkID", name);
                n.put("DriverOpts", null);
                n.put("IPAMConfig", null);
                n.put("Links", null);
                List<String> aliases = new ArrayList<>(List.of(cfg.id().substring(0, 12)));
                aliases.addAll(cfg.netOptions().aliases());
                n.put("Aliases", aliases);
                nets.put(name, n);
            }
            ns.put("Networks", nets);
        }
        m.put("NetworkSettings", ns);
        m.put("Namespace", "");
        m.put("IsInfra", false);
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("Hostname", cfg.hostname());
        conf.put("Domainname", "");
        conf.put("User", cfg.user());
        conf.put("AttachStdin", false);
        conf.put("AttachStdout", false);
        conf.put("AttachStderr", false);
        conf.put("Tty", cfg.tty());
        conf.put("OpenStdin", cfg.stdin());
        conf.put("StdinOnce", false);
        List<String> env = new ArrayList<>(cfg.env());
        env.add("HOSTNAME=" + cfg.hostname());
        conf.put("Env", env);
        conf.put("Cmd", cfg.cmd());
        conf.put("Image", cfg.image());
        conf.put("Volumes", null);
        conf.put("WorkingDir", cfg.workDir());
        conf.put("Entrypoint", String.join(" ", cfg.entrypoint()));
        conf.put("OnBuild", null);
        conf.put("Labels", cfg.labels().isEmpty() ? null : new TreeMap<>(cfg.labels()));
        conf.put("Annotations", Map.of());
        conf.put("StopSignal", cfg.stopSignal());
        conf.put("Umask", "0022");
        conf.put("Timeout", 0);
        conf.put("StopTimeout", cfg.stopTimeout());
        if (cfg.healthcheck() != null) conf.put("Healthcheck", cfg.healthcheck().inspectJson());
        m.put("Config", conf);
        Map<String, Object> hc = new LinkedHashMap<>();
        hc.put("Binds", cfg.mounts().stream().filter(x -> x.type().equals("bind"))
                .map(x -> x.source() + ":" + x.destination() + (x.options().isEmpty() ? "" : ":" + String.join(",", x.options()))).toList());
        hc.put("CgroupManager", "cgroupfs");
        hc.put("CgroupParent", cfg.cgroupParent());
        hc.put("LogConfig", Map.of("Type", "k8s-file", "Path", layout.logPath(cfg.id()).toString(),
                "Size", cfg.logMaxSize() < 0 ? "0B" : cfg.logMaxSize() + "B"));
        // podman calls its default network's mode "bridge"
        hc.put("NetworkMode", cfg.networkMode().equals(io.jpod.network.Network.DEFAULT) ? "bridge" : cfg.networkMode());
        hc.put("Dns", cfg.netOptions().dns());
        hc.put("DnsOptions", cfg.netOptions().dnsOptions());
        hc.put("DnsSearch", cfg.netOptions().dnsSearch());
        hc.put("ExtraHosts", cfg.netOptions().addHosts());
        hc.put("PortBindings", portsMap(cfg.ports()));
        hc.put("RestartPolicy", Map.of("Name", cfg.restartPolicy().restarts() ? cfg.restartPolicy().name() : "",
                "MaximumRetryCount", cfg.restartPolicy().maxRetries()));
        hc.put("AutoRemove", cfg.autoRemove());
        hc.put("CapAdd", cfg.capAdd());
        hc.put("CapDrop", cfg.capDrop());
        hc.put("Privileged", cfg.privileged());
        hc.put("ReadonlyRootfs", cfg.readOnly());
        hc.put("Memory", cfg.memoryBytes());
        hc.put("NanoCpus", cfg.cpuPeriod() > 0 ? cfg.cpuQuota() * 1_000_000_000L / cfg.cpuPeriod() : 0);
        hc.put("CpuPeriod", cfg.cpuPeriod());
        hc.put("CpuQuota", cfg.cpuQuota());
        hc.put("PidsLimit", cfg.pidsLimit() == 0 ? 2048 : cfg.pidsLimit());
        Map<String, String> tmpfs = new LinkedHashMap<>();
        cfg.mounts().stream().filter(x -> x.type().equals("tmpfs")).forEach(x -> tmpfs.put(x.destination(), String.join(",", x.options())));
        hc.put("Tmpfs", tmpfs);
        m.put("HostConfig", hc);
        return m;
    }

    private static Map<String, Object> portsMap(List<PortMapping> ports) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PortMapping p : ports) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) out.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            l.add(Map.of("HostIp", p.hostIp(), "HostPort", Integer.toString(p.hostPort())));
        }
        return out;
    }

    /** The rows of `images` for one image: one per name (or one "<none>" row), podman's template fields and JSON. */
    static List<Row> imageRows(Image img, boolean noTrunc, Instant now, int containers) {
        List<Row> rows = new ArrayList<>();
        List<String> names = img.names().isEmpty() ? List.of("<none>:<none>") : img.names();
        for (String n : names) {
            Map<String, Object> t = new LinkedHashMap<>();
            String repo = n.equals("<none>:<none>") ? "<none>" : ImageRef.repository(n);
            String tag = n.equals("<none>:<none>") ? "<none>" : ImageRef.tagOf(n);
            t.put("Repository", repo);
            t.put("Tag", tag);
            t.put("ID", noTrunc ? "sha256:" + img.id() : img.id().substring(0, 12));
            t.put("Id", img.id());
            t.put("Created", HumanTime.ago(img.created(), now)); // podman's template shows Created human-readable
            t.put("CreatedSince", HumanTime.ago(img.created(), now));
            t.put("CreatedAt", goTime(img.created()));
            t.put("Size", humanSize(img.size()));
            t.put("Digest", img.digest());
            t.put("Containers", containers);
            t.put("Labels", img.labels());
            t.put("Names", img.names());
            t.put("Dangling", img.names().isEmpty());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("Id", img.id());
            json.put("ParentId", "");
            json.put("RepoTags", null);
            json.put("RepoDigests", img.repoDigests());
            json.put("Size", img.size());
            json.put("SharedSize", 0);
            json.put("VirtualSize", img.size());
            json.put("Labels", img.labels().isEmpty() ? null : img.labels());
            json.put("Containers", containers);
            if (img.names().isEmpty()) json.put("Dangling", true);
            if (!img.names().isEmpty()) json.put("Names", img.names());
            json.put("Digest", img.digest());
            if (!img.names().isEmpty()) json.put("History", img.names());
            json.put("Created", img.created().getEpochSecond());
            json.put("CreatedAt", iso(img.created()));
            rows.add(new Row(t, json));
        }
        return rows;
    }

    /** Go's time.Time String() for UTC: "2026-12-01 07:30:16 +0000 UTC". */
    static String goTime(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t)
                + " +0000 UTC";
    }

    /** podman's image inspect shape. */
    static Map<String, Object> inspectImage(Image img) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", img.id());
        m.put("Digest", img.digest());
        m.put("RepoTags", img.names());
        m.put("RepoDigests", img.repoDigests());
        m.put("Parent", "");
        m.put("Comment", String.valueOf(img.ociConfig().getOrDefault("comment", "")));
        m.put("Created", iso(img.created()));
        m.put("Config", img.runConfig());
        m.put("Version", "");
        m.put("Author", String.valueOf(img.ociConfig().getOrDefault("author", "")));
        m.put("Architecture", img.ociConfig().getOrDefault("architecture", "amd64"));
        m.put("Os", img.ociConfig().getOrDefault("os", "linux"));
        m.put("Size", img.size());
        m.put("VirtualSize", img.size());
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", img.diffIds()));
        m.put("Labels", img.runConfig().get("Labels"));
        m.put("Annotations", Map.of());
        m.put("ManifestType", img.manifestType().isEmpty() ? "application/vnd.oci.image.manifest.v1+json" : img.manifestType());
        m.put("User", img.runString("User"));
        m.put("History", img.ociConfig().getOrDefault("history", List.of()));
        m.put("NamesHistory", img.names());
        return m;
    }

    /** go-units HumanSize (decimal, 3 significant digits): "4.4 MB". */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        String num = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return num + " " + units[i];
    }
}
