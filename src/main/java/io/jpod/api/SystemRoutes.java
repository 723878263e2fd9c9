package io.jpod.api;

import io.jpod.core.Container;
import io.jpod.core.ContainerStatus;
import io.jpod.engine.ContainerEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /_ping, /version, /info. */
final class SystemRoutes {
    static final String VERSION = "0.1.0";
    /**
     * What /version and /info call the server's version: Docker Engine 25.0, whose API (1.44) this is. Clients
     * gate features on it (Testcontainers refuses anything below 1.6.0); jpod's own version is a component.
     */
    static final String DOCKER_VERSION = "25.0.0";
    private final ContainerEngine engine;

    SystemRoutes(ContainerEngine engine) {
        this.engine = engine;
    }

    void install(ApiHandler h) {
        h.on("GET", "/_ping", this::ping);
        h.on("GET", "/version", this::version);
        h.on("GET", "/info", this::info);
        h.on("GET", "/system/df", this::df);
        h.on("POST", "/auth", this::auth);
    }

    private void df(Exchange x) {
        java.time.Instant now = java.time.Instant.now();
        List<Map<String, Object>> images = new java.util.ArrayList<>();
        long layers = 0;
        for (io.jpod.image.Image i : engine.images()) {
            images.add(DockerViews.imageSummary(i));
            layers += i.size();
        }
        List<Map<String, Object>> containers = new java.util.ArrayList<>();
        for (Container c : engine.list()) {
            Map<String, Object> m = new LinkedHashMap<>(DockerViews.summary(c, List.of(), now));
            m.put("SizeRw", 0);
            m.put("SizeRootFs", 0);
            containers.add(m);
        }
        List<Map<String, Object>> volumes = new java.util.ArrayList<>();
        for (io.jpod.volume.Volume v : engine.volumes()) {
            Map<String, Object> m = new LinkedHashMap<>(ResourceRoutes.volume(v));
            m.put("UsageData", Map.of("Size", -1, "RefCount", engine.volumeUsers(v.name()).size()));
            volumes.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LayersSize", layers);
        m.put("Images", images);
        m.put("Containers", containers);
        m.put("Volumes", volumes);
        m.put("BuildCache", List.of());
        x.json(200, m);
    }

    /** Checks the credentials against the registry (and keeps them, as jpod login does). */
    private void auth(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        String user = CreateBody.str(b, "username"), pass = CreateBody.str(b, "password"), server = CreateBody.str(b, "serveraddress");
        if (server == null || server.isEmpty()) server = "docker.io";
        server = server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        engine.login(server, user, pass, io.jpod.engine.RegistryOptions.defaults());
        x.json(200, Map.of("Status", "Login Succeeded", "IdentityToken", ""));
    }

    /** Cheap on purpose: clients ping before every command. */
    private void ping(Exchange x) {
        x.response.getHeaders().put("Cache-Control", "no-cache, no-store, must-revalidate");
        x.response.getHeaders().put("Pragma", "no-cache");
        x.response.getHeaders().put("Builder-Version", "1");
        x.text(200, "OK");
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private void version(Exchange x) {
        Map<String, Object> engineDetails = new LinkedHashMap<>();
        engineDetails.put("ApiVersion", ApiHandler.MAX_VERSION);
        engineDetails.put("Arch", "amd64");
        engineDetails.put("BuildTime", "");
        engineDetails.put("Experimental", "false");
        engineDetails.put("GitCommit", "");
        engineDetails.put("GoVersion", "java" + Runtime.version().feature());
        engineDetails.put("KernelVersion", kernel());
        engineDetails.put("MinAPIVersion", ApiHandler.MIN_VERSION);
        engineDetails.put("Os", "linux");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "jpod Engine"));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", DOCKER_VERSION, "Details", engineDetails),
                Map.of("Name", "jpod", "Version", VERSION, "Details", Map.of())));
        m.put("Version", DOCKER_VERSION);
        m.put("ApiVersion", ApiHandler.MAX_VERSION);
        m.put("MinAPIVersion", ApiHandler.MIN_VERSION);
        m.put("GitCommit", "");
        m.put("GoVersion", "java" + Runtime.version().feature());
        m.put("Os", "linux");
        m.put("Arch", "amd64");
        m.put("KernelVersion", kernel());
        m.put("BuildTime", "");
        x.json(200, m);
    }

    private void info(Exchange x) {
        Map<String, Object> pod = engine.info();
        @SuppressWarnings("unchecked") Map<String, Object> host = (Map<String, Object>) pod.getOrDefault("host", Map.of());
        @SuppressWarnings("unchecked") Map<String, Object> store = (Map<String, Object>) pod.getOrDefault("store", Map.of());
        List<Container> cs = engine.list();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", String.valueOf(host.getOrDefault("hostname", "")));
        m.put("Containers", cs.size());
        m.put("ContainersRunning", cs.stream().filter(c -> c.status() == ContainerStatus.RUNNING).count());
        m.put("ContainersPaused", cs.stream().filter(c -> c.status() == ContainerStatus.PAUSED).count());
        m.put("ContainersStopped", cs.stream().filter(c -> !c.status().isActive()).count());
        m.put("Images", engine.images().size());
        m.put("Driver", "overlay");
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", "overlayfs")));
        m.put("DockerRootDir", String.valueOf(store.getOrDefault("graphRoot", "")));
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge"), "Log", List.of("k8s-file")));
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("IPv4Forwarding", true);
        m.put("Debug", false);
        m.put("NFd", 0);
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", java.time.Instant.now().toString());
        m.put("LoggingDriver", "k8s-file");
        m.put("CgroupDriver", String.valueOf(host.getOrDefault("cgroupManager", "cgroupfs")));
        m.put("CgroupVersion", String.valueOf(host.getOrDefault("cgroupVersion", "v2")).replace("v", ""));
        m.put("KernelVersion", kernel());
        m.put("OperatingSystem", "jpod");
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", "x86_64");
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", memTotal());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8")));
        m.put("Name", String.valueOf(host.getOrDefault("hostname", "")));
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", DOCKER_VERSION);
        m.put("Runtimes", Map.of("runc", Map.of("path", "runc")));
        m.put("DefaultRuntime", "runc");
        m.put("LiveRestoreEnabled", false);
        m.put("Isolation", "");
        m.put("InitBinary", "catatonit");
        m.put("SecurityOptions", List.of("name=seccomp,profile=default"));
        m.put("Warnings", List.of());
        x.json(200, m);
    }

    private static long memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // unknown
        }
        return 0;
    }
}
