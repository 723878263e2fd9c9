package io.jpod.api;

import io.jpod.core.Container;
import io.jpod.core.ContainerConfig;
import io.jpod.core.ContainerNetworking;
import io.jpod.core.ContainerState;
import io.jpod.core.ContainerStatus;
import io.jpod.core.Layout;
import io.jpod.core.MountSpec;
import io.jpod.image.Image;
import io.jpod.oci.PortMapping;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker Engine API shapes of jpod's containers and images (field names and value forms as dockerd writes them). */
final class DockerViews {
    private DockerViews() {}

    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    static String time(Instant t) {
        return t == null || t.equals(Instant.EPOCH) ? ZERO_TIME : t.toString();
    }

    static String imageId(String id) {
        return id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    /** "Up 3 seconds", "Up 2 minutes (Paused)", "Exited (0) 5 seconds ago", "Created", as docker ps shows. */
    static String status(Container c, Instant now) {
        ContainerState s = c.state();
        return switch (c.status()) {
            case CONFIGURED, CREATED -> "Created";
            case RUNNING -> "Up " + human(Duration.between(s.startedAt(), now));
            case PAUSED -> "Up " + human(Duration.between(s.startedAt(), now)) + " (Paused)";
            case STOPPED, EXITED -> "Exited (" + s.exitCode() + ") " + human(Duration.between(s.finishedAt(), now)) + " ago";
            case REMOVING -> "Removal In Progress";
        };
    }

    /** Docker's go-units HumanDuration. */
    static String human(Duration d) {
        long sec = Math.max(0, d.getSeconds());
        if (sec < 1) return "Less than a second";
        if (sec == 1) return "1 second";
        if (sec < 60) return sec + " seconds";
        long min = sec / 60;
        if (min == 1) return "About a minute";
        if (min < 60) return min + " minutes";
        long h = Math.round(sec / 3600.0);
        if (h == 1) return "About an hour";
        if (h < 48) return h + " hours";
        if (h < 24 * 7 * 2) return h / 24 + " days";
        if (h < 24 * 30 * 2) return h / 24 / 7 + " weeks";
        if (h < 24 * 365 * 2) return h / 24 / 30 + " months";
        return h / 24 / 365 + " years";
    }

    static String name(Container c) {
        return "/" + c.name();
    }

    static String networkMode(ContainerConfig cfg) {
        String m = cfg.networkMode();
        return m.equals(io.jpod.network.Network.DEFAULT) ? "bridge" : m;
    }

    /** GET /containers/json's entry. */
    static Map<String, Object> summary(Container c, List<ContainerNetworking.Endpoint> eps, Instant now) {
        ContainerConfig cfg = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Names", List.of(name(c)));
        m.put("Image", cfg.image());
        m.put("ImageID", imageId(cfg.imageId()));
        m.put("Command", String.join(" ", cfg.command()));
        m.put("Created", cfg.created().getEpochSecond());
        List<Map<String, Object>> ports = new ArrayList<>();
        for (PortMapping p : cfg.ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
            pm.put("PrivatePort", p.containerPort());
            pm.put("PublicPort", p.hostPort());
            pm.put("Type", p.protocol());
            ports.add(pm);
        }
        m.put("Ports", ports);
        m.put("Labels", new java.util.TreeMap<>(cfg.labels()));
        m.put("State", c.status().word()); // podman's words are Docker's
        m.put("Status", status(c, now));
        m.put("HostConfig", Map.of("NetworkMode", networkMode(cfg)));
        m.put("NetworkSettings", Map.of("Networks", networks(cfg, eps)));
        m.put("Mounts", mounts(cfg));
        return m;
    }

    static Map<String, Object> networks(ContainerConfig cfg, List<ContainerNetworking.Endpoint> eps) {
        Map<String, Object> nets = new LinkedHashMap<>();
        for (String name : ContainerNetworking.networkNames(cfg.networkMode())) {
            ContainerNetworking.Endpoint ep = eps.stream().filter(e -> e.network().equals(name)).findFirst().orElse(null);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("IPAMConfig", cfg.netOptions().ip().isEmpty() ? null : Map.of("IPv4Address", cfg.netOptions().ip()));
            n.put("Links", null);
            List<String> aliases = new ArrayList<>(List.of(cfg.id().substring(0, 12)));
            aliases.addAll(cfg.netOptions().aliases());
            n.put("Aliases", aliases);
            n.put("MacAddress", ep == null ? "" : ep.mac());
            n.put("NetworkID", name);
            n.put("EndpointID", ep == null ? "" : cfg.id().substring(0, 12) + "-" + ep.ifName());
            n.put("Gateway", ep == null ? "" : ep.gateway());
            n.put("IPAddress", ep == null || ep.ip() == null ? "" : ep.ip());
            n.put("IPPrefixLen", ep == null ? 0 : ep.prefixLength());
            n.put("IPv6Gateway", "");
            n.put("GlobalIPv6Address", "");
            n.put("GlobalIPv6PrefixLen", 0);
            n.put("DriverOpts", null);
            n.put("DNSNames", null);
            nets.put(name.equals(io.jpod.network.Network.DEFAULT) ? "bridge" : name, n);
        }
        return nets;
    }

    static List<Map<String, Object>> mounts(ContainerConfig cfg) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MountSpec ms : cfg.mounts()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("Type", ms.type());
            if (ms.type().equals("volume")) {
                java.nio.file.Path data = java.nio.file.Path.of(ms.source());
                mm.put("Name", data.getParent() == null ? "" : data.getParent().getFileName().toString());
            }
            mm.put("Source", ms.source());
            mm.put("Destination", ms.destination());
            mm.put("Driver", ms.type().equals("volume") ? "local" : "");
            mm.put("Mode", "");
            mm.put("RW", !ms.options().contains("ro"));
            mm.put("Propagation", ms.type().equals("bind") ? "rprivate" : "");
            out.add(mm);
        }
        return out;
    }

    /** {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}, as NetworkSettings.Ports and HostConfig.PortBindings. */
    static Map<String, Object> ports(List<PortMapping> ports) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (PortMapping p : ports) {
            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) m.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            l.add(Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), "HostPort", String.valueOf(p.hostPort())));
        }
        return m;
    }

    /** GET /containers/{id}/json. */
    static Map<String, Object> inspect(Container c, List<ContainerNetworking.Endpoint> eps, Layout layout, Map<String, Object> health) {
        ContainerConfig cfg = c.config();
        ContainerState s = c.state();
        List<String> cmd = cfg.command();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Created", cfg.created().toString());
        m.put("Path", cmd.isEmpty() ? "" : cmd.getFirst());
        m.put("Args", cmd.size() > 1 ? cmd.subList(1, cmd.size()) : List.of());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("Status", c.status().word());
        st.put("Running", c.status().isActive());
        st.put("Paused", c.status() == ContainerStatus.PAUSED);
        st.put("Restarting", false);
        st.put("OOMKilled", s.oomKilled());
        st.put("Dead", false);
        st.put("Pid", c.status().isActive() ? s.pid() : 0);
        st.put("ExitCode", s.exitCode());
        st.put("Error", "");
        st.put("StartedAt", time(s.startedAt()));
        st.put("FinishedAt", time(s.finishedAt()));
        if (health != null) st.put("Health", health);
        m.put("State", st);
        m.put("Image", imageId(cfg.imageId()));
        java.nio.file.Path bundle = layout.bundle(cfg.id());
        m.put("ResolvConfPath", bundle.resolve("resolv.conf").toString());
        m.put("HostnamePath", bundle.resolve("hostname").toString());
        m.put("HostsPath", bundle.resolve("hosts").toString());
        m.put("LogPath", layout.logPath(cfg.id()).toString());
        m.put("Name", name(c));
        m.put("RestartCount", s.restartCount());
        m.put("Driver", "overlay");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", s.execSessions().isEmpty() ? null : new ArrayList<>(s.execSessions().keySet()));
        m.put("HostConfig", hostConfig(cfg));
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of("LowerDir", String.join(":", cfg.lowerDirs()),
                "UpperDir", layout.upper(cfg.id()).toString(), "WorkDir", layout.work(cfg.id()).toString(),
                "MergedDir", layout.merged(cfg.id()).toString())));
        m.put("Mounts", mounts(cfg));
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("Hostname", cfg.hostname());
        conf.put("Domainname", "");
        conf.put("User", cfg.user());
        conf.put("AttachStdin", false);
        conf.put("AttachStdout", false);
        conf.put("AttachStderr", false);
        Map<String, Object> exposed = new LinkedHashMap<>();
        for (PortMapping p : cfg.ports()) exposed.put(p.containerPort() + "/" + p.protocol(), Map.of());
        if (!exposed.isEmpty()) conf.put("ExposedPorts", exposed);
        conf.put("Tty", cfg.tty());
        conf.put("OpenStdin", cfg.stdin());
        conf.put("StdinOnce", false);
        conf.put("Env", cfg.env());
        conf.put("Cmd", cfg.cmd());
        conf.put("Image", cfg.image());
        conf.put("Volumes", null);
        conf.put("WorkingDir", cfg.workDir());
        conf.put("Entrypoint", cfg.entrypoint().isEmpty() ? null : cfg.entrypoint());
        conf.put("OnBuild", null);
        conf.put("Labels", new java.util.TreeMap<>(cfg.labels()));
        conf.put("StopSignal", io.jpod.core.Signals.name(cfg.stopSignal()));
        conf.put("StopTimeout", cfg.stopTimeout());
        m.put("Config", conf);
        Map<String, Object> ns = new LinkedHashMap<>();
        ContainerNetworking.Endpoint first = eps.isEmpty() ? null : eps.getFirst();
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("Ports", c.status().isActive() ? ports(cfg.ports()) : Map.of());
        ns.put("SandboxKey", eps.isEmpty() ? "" : layout.netns(cfg.id()).toString());
        ns.put("SecondaryIPAddresses", null);
        ns.put("SecondaryIPv6Addresses", null);
        ns.put("EndpointID", first == null ? "" : cfg.id().substring(0, 12) + "-" + first.ifName());
        ns.put("Gateway", first == null ? "" : first.gateway());
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("IPAddress", first == null || first.ip() == null ? "" : first.ip());
        ns.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
        ns.put("IPv6Gateway", "");
        ns.put("MacAddress", first == null ? "" : first.mac());
        ns.put("Networks", networks(cfg, eps));
        m.put("NetworkSettings", ns);
        return m;
    }

    static Map<String, Object> hostConfig(ContainerConfig cfg) {
        Map<String, Object> hc = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        for (MountSpec ms : cfg.mounts()) {
            if (ms.type().equals("bind")) binds.add(ms.source() + ":" + ms.destination() + (ms.options().contains("ro") ? ":ro" : ""));
        }
        hc.put("Binds", binds.isEmpty() ? null : binds);
        hc.put("NetworkMode", networkMode(cfg));
        hc.put("PortBindings", ports(cfg.ports()));
        hc.put("RestartPolicy", Map.of("Name", cfg.restartPolicy().restarts() ? cfg.restartPolicy().name() : "no",
                "MaximumRetryCount", cfg.restartPolicy().maxRetries()));
        hc.put("AutoRemove", cfg.autoRemove());
        hc.put("CapAdd", cfg.capAdd());
        hc.put("CapDrop", cfg.capDrop());
        hc.put("Dns", cfg.netOptions().dns());
        hc.put("DnsOptions", cfg.netOptions().dnsOptions());
        hc.put("DnsSearch", cfg.netOptions().dnsSearch());
        hc.put("ExtraHosts", cfg.netOptions().addHosts());
        hc.put("Privileged", cfg.privileged());
        hc.put("PublishAllPorts", false);
        hc.put("ReadonlyRootfs", cfg.readOnly());
        hc.put("Memory", cfg.memoryBytes());
        hc.put("NanoCpus", cfg.cpuPeriod() > 0 ? cfg.cpuQuota() * 1_000_000_000L / cfg.cpuPeriod() : 0);
        hc.put("CpuPeriod", cfg.cpuPeriod());
        hc.put("CpuQuota", cfg.cpuQuota());
        hc.put("PidsLimit", cfg.pidsLimit() > 0 ? cfg.pidsLimit() : null);
        hc.put("Init", cfg.init());
        hc.put("LogConfig", Map.of("Type", "k8s-file", "Config", Map.of()));
        return hc;
    }

    /** GET /images/json's entry. */
    static Map<String, Object> imageSummary(Image i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", imageId(i.id()));
        m.put("ParentId", "");
        m.put("RepoTags", i.names().isEmpty() ? List.of("<none>:<none>") : i.names());
        m.put("RepoDigests", i.repoDigests());
        m.put("Created", i.created().getEpochSecond());
        m.put("Size", i.size());
        m.put("SharedSize", -1);
        m.put("VirtualSize", i.size());
        m.put("Labels", i.labels().isEmpty() ? null : new java.util.TreeMap<>(i.labels()));
        m.put("Containers", -1);
        return m;
    }

    /** GET /images/{name}/json. */
    static Map<String, Object> imageInspect(Image i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", imageId(i.id()));
        m.put("RepoTags", i.names());
        m.put("RepoDigests", i.repoDigests());
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", i.created().toString());
        m.put("DockerVersion", "");
        m.put("Author", String.valueOf(i.ociConfig().getOrDefault("author", "")));
        Map<String, Object> rc = new LinkedHashMap<>(i.runConfig());
        m.put("Config", rc);
        m.put("Architecture", String.valueOf(i.ociConfig().getOrDefault("architecture", "amd64")));
        m.put("Os", String.valueOf(i.ociConfig().getOrDefault("os", "linux")));
        m.put("Size", i.size());
        m.put("VirtualSize", i.size());
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.diffIds()));
        m.put("Metadata", Map.of("LastTagTime", ZERO_TIME));
        return m;
    }
}
