package io.jpod.core;

import io.jpod.json.Json;
import io.jpod.oci.PortMapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a container is, fixed at create time. Stored as JSON beside the indexed columns. */
public record ContainerConfig(
        String id, String name, String image, String imageId, List<String> entrypoint, List<String> cmd,
        List<String> env, String workDir, String user, String hostname, Map<String, String> labels,
        int stopSignal, int stopTimeout, Instant created, List<String> lowerDirs, List<MountSpec> mounts,
        long memoryBytes, long cpuQuota, long cpuPeriod, long pidsLimit, List<String> capAdd, List<String> capDrop,
        boolean privileged, boolean readOnly, long logMaxSize, List<PortMapping> ports, boolean autoRemove,
        boolean stdin, boolean tty, String networkMode, boolean init, String cgroupParent, RestartPolicy restartPolicy,
        HealthConfig healthcheck, NetworkOptions netOptions) {

    public ContainerConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        lowerDirs = List.copyOf(lowerDirs);
        mounts = List.copyOf(mounts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        ports = List.copyOf(ports);
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        netOptions = netOptions == null ? NetworkOptions.NONE : netOptions;
    }

    /** The same container under another name (rename). */
    public ContainerConfig withMounts(List<MountSpec> newMounts) {
        return new ContainerConfig(id, name, image, imageId, entrypoint, cmd, env, workDir, user, hostname, labels,
                stopSignal, stopTimeout, created, lowerDirs, newMounts, memoryBytes, cpuQuota, cpuPeriod, pidsLimit, capAdd,
                capDrop, privileged, readOnly, logMaxSize, ports, autoRemove, stdin, tty, networkMode, init, cgroupParent,
                restartPolicy, healthcheck, netOptions);
    }

    /** An imported checkpoint's container: a new ID and name, on the image's layers as this host keeps them. */
    public ContainerConfig imported(String newId, String newName, List<String> dirs) {
        return new ContainerConfig(newId, newName, image, imageId, entrypoint, cmd, env, workDir, user, hostname, labels,
                stopSignal, stopTimeout, created, dirs, mounts, memoryBytes, cpuQuota, cpuPeriod, pidsLimit, capAdd,
                capDrop, privileged, readOnly, logMaxSize, ports, autoRemove, stdin, tty, networkMode, init, cgroupParent,
                restartPolicy, healthcheck, netOptions);
    }

    /** The same container on other networks (network connect and disconnect). */
    public ContainerConfig withNetwork(String mode, NetworkOptions options) {
        return new ContainerConfig(id, name, image, imageId, entrypoint, cmd, env, workDir, user, hostname, labels,
                stopSignal, stopTimeout, created, lowerDirs, mounts, memoryBytes, cpuQuota, cpuPeriod, pidsLimit, capAdd,
                capDrop, privileged, readOnly, logMaxSize, ports, autoRemove, stdin, tty, mode, init, cgroupParent,
                restartPolicy, healthcheck, options);
    }

    public ContainerConfig withName(String newName) {
        return new ContainerConfig(id, newName, image, imageId, entrypoint, cmd, env, workDir, user, hostname, labels,
                stopSignal, stopTimeout, created, lowerDirs, mounts, memoryBytes, cpuQuota, cpuPeriod, pidsLimit, capAdd,
                capDrop, privileged, readOnly, logMaxSize, ports, autoRemove, stdin, tty, networkMode, init, cgroupParent,
                restartPolicy, healthcheck, netOptions);
    }

    /** The process the container runs: entrypoint followed by command. */
    public List<String> command() {
        List<String> c = new ArrayList<>(entrypoint);
        c.addAll(cmd);
        return c;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("image", image);
        m.put("imageId", imageId);
        m.put("entrypoint", entrypoint);
        m.put("cmd", cmd);
        m.put("env", env);
        m.put("workDir", workDir);
        m.put("user", user);
        m.put("hostname", hostname);
        m.put("labels", new java.util.TreeMap<>(labels));
        m.put("stopSignal", stopSignal);
        m.put("stopTimeout", stopTimeout);
        m.put("created", created.toString());
        m.put("lowerDirs", lowerDirs);
        m.put("mounts", mounts.stream().map(MountSpec::toJson).toList());
        m.put("memory", memoryBytes);
        m.put("cpuQuota", cpuQuota);
        m.put("cpuPeriod", cpuPeriod);
        m.put("pidsLimit", pidsLimit);
        m.put("capAdd", capAdd);
        m.put("capDrop", capDrop);
        m.put("privileged", privileged);
        m.put("readOnly", readOnly);
        m.put("logMaxSize", logMaxSize);
        m.put("ports", ports.stream().map(p -> Map.of("hostIp", p.hostIp(), "hostPort", p.hostPort(),
                "containerPort", p.containerPort(), "protocol", p.protocol())).toList());
        m.put("autoRemove", autoRemove);
        m.put("stdin", stdin);
        m.put("tty", tty);
        m.put("networkMode", networkMode);
        m.put("init", init);
        m.put("cgroupParent", cgroupParent);
        if (restartPolicy.restarts()) m.put("restartPolicy", restartPolicy.toJson());
        if (healthcheck != null) m.put("healthcheck", healthcheck.toJson());
        if (!netOptions.equals(NetworkOptions.NONE)) m.put("netOptions", netOptions.toJson());
        return Json.write(m);
    }

    public static ContainerConfig fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new ContainerConfig(J.str(m, "id"), J.str(m, "name"), J.str(m, "image"), J.str(m, "imageId"),
                J.strings(m, "entrypoint"), J.strings(m, "cmd"), J.strings(m, "env"), J.str(m, "workDir", "/"),
                J.str(m, "user", ""), J.str(m, "hostname", ""), J.strMap(m, "labels"), J.integer(m, "stopSignal", 15),
                J.integer(m, "stopTimeout", 10), J.instant(J.str(m, "created")), J.strings(m, "lowerDirs"),
                J.maps(m, "mounts").stream().map(MountSpec::fromJson).toList(), J.lng(m, "memory", 0),
                J.lng(m, "cpuQuota", 0), J.lng(m, "cpuPeriod", 0), J.lng(m, "pidsLimit", 0), J.strings(m, "capAdd"),
                J.strings(m, "capDrop"), J.bool(m, "privileged"), J.bool(m, "readOnly"), J.lng(m, "logMaxSize", -1),
                J.maps(m, "ports").stream().map(p -> new PortMapping(J.str(p, "hostIp", ""), J.integer(p, "hostPort", 0),
                        J.integer(p, "containerPort", 0), J.str(p, "protocol", "tcp"))).toList(),
                J.bool(m, "autoRemove"), J.bool(m, "stdin"), J.bool(m, "tty"), J.str(m, "networkMode", "none"),
                J.bool(m, "init"), J.str(m, "cgroupParent", "/jpod_parent"),
                m.get("restartPolicy") instanceof Map<?, ?> rp ? new RestartPolicy(String.valueOf(rp.get("name")),
                        ((Number) rp.get("maxRetries")).intValue()) : RestartPolicy.NO,
                HealthConfig.fromJson(J.map(m, "healthcheck")), NetworkOptions.fromJson(J.map(m, "netOptions")));
    }
}
