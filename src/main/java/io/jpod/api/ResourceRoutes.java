package io.jpod.api;

import io.jpod.core.Container;
import io.jpod.core.ContainerNetworking;
import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.Report;
import io.jpod.json.Json;
import io.jpod.network.Network;
import io.jpod.volume.Volume;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /networks, /volumes and /events: Docker's shapes over the engine's networks, volumes and event log. */
final class ResourceRoutes {
    private final ContainerEngine engine;

    ResourceRoutes(ContainerEngine engine) {
        this.engine = engine;
    }

    void install(ApiHandler h) {
        h.on("GET", "/networks", this::networks);
        h.on("POST", "/networks/create", this::createNetwork);
        h.on("POST", "/networks/prune", x -> x.json(200, Map.of("NetworksDeleted", engine.networkPrune())));
        h.on("GET", "/networks/([^/]+)", x -> x.json(200, network(network(x.capture(0)))));
        h.on("DELETE", "/networks/([^/]+)", x -> {
            for (Report r : engine.networkRemove(List.of(network(x.capture(0)).name()), false)) if (!r.succeeded()) throw r.error();
            x.empty(204);
        });
        h.on("POST", "/networks/([^/]+)/connect", this::connect);
        h.on("POST", "/networks/([^/]+)/disconnect", this::disconnect);
        h.on("GET", "/volumes", this::volumes);
        h.on("POST", "/volumes/create", this::createVolume);
        h.on("POST", "/volumes/prune", x -> x.json(200, Map.of("VolumesDeleted", engine.pruneVolumes(), "SpaceReclaimed", 0)));
        h.on("GET", "/volumes/([^/]+)", x -> x.json(200, volume(engine.inspectVolume(x.capture(0)))));
        h.on("DELETE", "/volumes/([^/]+)", x -> {
            for (Report r : engine.removeVolumes(List.of(x.capture(0)), x.flag("force", false))) if (!r.succeeded()) throw r.error();
            x.empty(204);
        });
        h.on("GET", "/events", this::events);
    }

    /** "bridge" is the default network, as Docker clients expect one by that name. */
    private Network network(String nameOrId) {
        String n = nameOrId.equals("bridge") ? Network.DEFAULT : nameOrId;
        try {
            return engine.network(n);
        } catch (JpodException e) {
            if (e.code() == ErrorCode.NOT_FOUND) throw JpodException.notFound("network " + nameOrId + " not found");
            throw e;
        }
    }

    private Map<String, Object> network(Network n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created().toString());
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv6", false);
        Map<String, Object> ipamConfig = new LinkedHashMap<>();
        ipamConfig.put("Subnet", n.subnet());
        ipamConfig.put("Gateway", n.gateway());
        if (n.ipRange() != null) ipamConfig.put("IPRange", n.ipRange());
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", List.of(ipamConfig)));
        m.put("Internal", n.internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        for (Container c : engine.list()) {
            if (!ContainerNetworking.networkNames(c.config().networkMode()).contains(n.name())) continue;
            for (ContainerNetworking.Endpoint e : engine.endpoints(c)) {
                if (!e.network().equals(n.name())) continue;
                containers.put(c.id(), Map.of("Name", c.name(), "EndpointID", c.id().substring(0, 12) + "-" + e.ifName(),
                        "MacAddress", e.mac(), "IPv4Address", e.ip() + "/" + e.prefixLength(), "IPv6Address", ""));
            }
        }
        m.put("Containers", containers);
        m.put("Options", Map.of("com.docker.network.bridge.name", n.bridge()));
        m.put("Labels", new java.util.TreeMap<>(n.labels()));
        return m;
    }

    private void networks(Exchange x) {
        Map<String, List<String>> f = ContainerRoutes.filters(x.param("filters"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Network n : engine.networks()) {
            if (f.containsKey("name") && f.get("name").stream().noneMatch(v -> n.name().contains(v))) continue;
            if (f.containsKey("id") && f.get("id").stream().noneMatch(v -> n.id().startsWith(v))) continue;
            if (f.containsKey("label") && f.get("label").stream().noneMatch(v -> {
                int eq = v.indexOf('=');
                return eq < 0 ? n.labels().containsKey(v) : v.substring(eq + 1).equals(n.labels().get(v.substring(0, eq)));
            })) continue;
            out.add(network(n));
        }
        x.json(200, out);
    }

    private void createNetwork(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        String name = CreateBody.str(b, "Name");
        if (name == null || name.isEmpty()) throw JpodException.invalid("network create needs a Name");
        String driver = CreateBody.str(b, "Driver");
        if (driver != null && !driver.isEmpty() && !driver.equals("bridge")) {
            throw JpodException.invalid("unsupported network driver " + driver + ": use bridge");
        }
        if (CreateBody.bool(b, "EnableIPv6")) throw JpodException.invalid("IPv6 networks are not supported yet: leave EnableIPv6 off");
        String subnet = null, gateway = null, range = null;
        Map<String, Object> ipam = CreateBody.map(b, "IPAM");
        if (ipam != null && ipam.get("Config") instanceof List<?> cfgs && !cfgs.isEmpty() && cfgs.getFirst() instanceof Map<?, ?> c) {
            if (c.get("Subnet") instanceof String s && !s.isEmpty()) subnet = s;
            if (c.get("Gateway") instanceof String g && !g.isEmpty()) gateway = g;
            if (c.get("IPRange") instanceof String r && !r.isEmpty()) range = r;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Object> l = CreateBody.map(b, "Labels");
        if (l != null) l.forEach((k, v) -> labels.put(k, String.valueOf(v)));
        Network n = engine.networkCreate(name, subnet, gateway, range, CreateBody.bool(b, "Internal"), labels, true);
        x.json(201, Map.of("Id", n.id(), "Warning", ""));
    }

    private void connect(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        String container = CreateBody.str(b, "Container");
        if (container == null || container.isEmpty()) throw JpodException.invalid("network connect needs a Container");
        String ip = "", mac = "";
        List<String> aliases = new ArrayList<>();
        Map<String, Object> ep = CreateBody.map(b, "EndpointConfig");
        if (ep != null) {
            List<String> al = CreateBody.strings(ep, "Aliases");
            if (al != null) aliases.addAll(al);
            Map<String, Object> ipam = CreateBody.map(ep, "IPAMConfig");
            if (ipam != null && CreateBody.str(ipam, "IPv4Address") != null) ip = CreateBody.str(ipam, "IPv4Address");
            if (CreateBody.str(ep, "MacAddress") != null) mac = CreateBody.str(ep, "MacAddress");
        }
        engine.networkConnect(network(x.capture(0)).name(), container, ip, mac, aliases);
        x.empty(200);
    }

    private void disconnect(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        String container = CreateBody.str(b, "Container");
        if (container == null || container.isEmpty()) throw JpodException.invalid("network disconnect needs a Container");
        engine.networkDisconnect(network(x.capture(0)).name(), container);
        x.empty(200);
    }

    static Map<String, Object> volume(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", v.driver());
        m.put("Mountpoint", v.mountpoint().toString());
        m.put("CreatedAt", v.created().toString());
        m.put("Labels", new java.util.TreeMap<>(v.labels()));
        m.put("Scope", "local");
        m.put("Options", new java.util.TreeMap<>(v.options()));
        return m;
    }

    private void volumes(Exchange x) {
        Map<String, List<String>> f = ContainerRoutes.filters(x.param("filters"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Volume v : engine.volumes()) {
            if (f.containsKey("name") && f.get("name").stream().noneMatch(n -> v.name().contains(n))) continue;
            out.add(volume(v));
        }
        x.json(200, Map.of("Volumes", out, "Warnings", List.of()));
    }

    private void createVolume(Exchange x) {
        Map<String, Object> b = x.jsonBody();
        String name = CreateBody.str(b, "Name");
        String driver = CreateBody.str(b, "Driver");
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) throw JpodException.invalid("unsupported volume driver " + driver + ": use local");
        Map<String, String> labels = new LinkedHashMap<>(), opts = new LinkedHashMap<>();
        Map<String, Object> l = CreateBody.map(b, "Labels"), o = CreateBody.map(b, "DriverOpts");
        if (l != null) l.forEach((k, v) -> labels.put(k, String.valueOf(v)));
        if (o != null) o.forEach((k, v) -> opts.put(k, String.valueOf(v)));
        Volume v;
        try {
            v = engine.createVolume(name == null || name.isEmpty() ? null : name, labels, opts);
        } catch (JpodException e) {
            // Docker answers an existing name with the volume itself
            if (e.code() != ErrorCode.ALREADY_EXISTS || name == null) throw e;
            v = engine.inspectVolume(name);
        }
        x.json(201, volume(v));
    }

    /** Docker's event stream: one JSON object per event, flushed as it happens, until `until` or the client leaves. */
    private void events(Exchange x) throws IOException {
        Instant since = x.time("since"), until = x.time("until");
        Map<String, List<String>> f = ContainerRoutes.filters(x.param("filters"));
        OutputStream out = x.stream(200, "application/json");
        out.flush();
        Instant from = since == null ? Instant.now() : since;
        Instant to = until;
        try {
            engine.followEvents(from, to, e -> {
                if (!matches(e, f)) return true;
                try {
                    out.write((Json.write(event(e)) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return true;
                } catch (IOException gone) {
                    return false;
                }
            });
        } finally {
            out.close();
        }
    }

    private static boolean matches(io.jpod.core.EventLog.Event e, Map<String, List<String>> f) {
        if (f.containsKey("type") && !f.get("type").contains(e.type())) return false;
        if (f.containsKey("event") && !f.get("event").contains(e.status())) return false;
        if (f.containsKey("container") && !(e.type().equals("container") && f.get("container").stream()
                .anyMatch(v -> v.equals(e.name()) || (e.id() != null && e.id().startsWith(v))))) return false;
        return true;
    }

    static Map<String, Object> event(io.jpod.core.EventLog.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> attrs = new LinkedHashMap<>(e.attributes());
        if (e.name() != null) attrs.put("name", e.name());
        if (e.image() != null && !e.image().isEmpty()) attrs.put("image", e.image());
        if (e.exitCode() != null) attrs.put("exitCode", String.valueOf(e.exitCode()));
        if (e.type().equals("container")) {
            m.put("status", e.status());
            m.put("id", e.id());
            m.put("from", e.image());
        }
        m.put("Type", e.type());
        m.put("Action", e.status().equals("died") ? "die" : e.status());
        m.put("Actor", Map.of("ID", e.id() == null ? "" : e.id(), "Attributes", attrs));
        m.put("scope", "local");
        m.put("time", e.time().getEpochSecond());
        m.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        return m;
    }
}
