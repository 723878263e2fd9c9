package io.jpod.api;

import io.jpod.core.HealthConfig;
import io.jpod.core.JpodException;
import io.jpod.core.NetworkOptions;
import io.jpod.core.RestartPolicy;
import io.jpod.engine.CreateOptions;
import io.jpod.engine.MountSpecs;
import io.jpod.oci.PortMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /containers/create's body (Docker's Config with HostConfig and NetworkingConfig) as jpod's create options.
 * Wrong types are a 400 naming the field; fields jpod does not know are ignored, as dockerd ignores them.
 */
final class CreateBody {
    private CreateBody() {}

    /**
     * Every field Docker's container Config has had (with HostConfig and NetworkingConfig), from the legacy ones
     * docker-java still sends (PortSpecs, Memory, Cpuset, Dns, VolumesFrom) to API 1.50's: a key outside it is a
     * mistake (a typo like "Imgae" would otherwise be dropped in silence); fields jpod has no use for are ignored.
     */
    static final Set<String> CONFIG_FIELDS = Set.of("Hostname", "Domainname", "User", "AttachStdin", "AttachStdout",
            "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck", "ArgsEscaped", "Image",
            "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled", "MacAddress", "OnBuild", "Labels", "StopSignal",
            "StopTimeout", "Shell", "HostConfig", "NetworkingConfig", "Platform", "PortSpecs", "Memory", "MemorySwap",
            "CpuShares", "Cpuset", "Dns", "VolumesFrom");

    static CreateOptions parse(Map<String, Object> body, String name) {
        for (String k : body.keySet()) {
            if (!CONFIG_FIELDS.contains(k)) {
                throw JpodException.invalid("unknown field \"" + k + "\" in the container config: see the Docker Engine API's ContainerConfig");
            }
        }
        String image = str(body, "Image");
        if (image == null || image.isBlank()) throw JpodException.invalid("config error: Image is required in the request body");
        CreateOptions.Builder b = CreateOptions.builder(image);
        if (name != null && !name.isEmpty()) b.name(name.startsWith("/") ? name.substring(1) : name);
        List<String> cmd = strings(body, "Cmd");
        if (cmd != null) b.command(cmd);
        if (body.containsKey("Entrypoint") && body.get("Entrypoint") != null) b.entrypoint(strings(body, "Entrypoint"));
        List<String> env = strings(body, "Env");
        if (env != null) env.forEach(b::env);
        Map<String, Object> labels = map(body, "Labels");
        if (labels != null) labels.forEach((k, v) -> b.label(k, String.valueOf(v)));
        ifSet(body, "WorkingDir", b::workDir);
        ifSet(body, "User", b::user);
        ifSet(body, "Hostname", b::hostname);
        b.tty(bool(body, "Tty"));
        b.interactive(bool(body, "OpenStdin"));
        ifSet(body, "StopSignal", v -> b.stopSignal(io.jpod.core.Signals.parse(v)));
        if (body.get("StopTimeout") != null) b.stopTimeout(integer(body, "StopTimeout"));
        Map<String, Object> hc = map(body, "Healthcheck");
        if (hc != null) b.healthcheck(health(hc));

        Map<String, Object> host = map(body, "HostConfig");
        if (host == null) host = Map.of();
        List<String> binds = strings(host, "Binds");
        if (binds != null) for (String v : binds) b.mount(MountSpecs.volume(v));
        if (host.get("Mounts") instanceof List<?> mounts) {
            for (Object o : mounts) {
                if (!(o instanceof Map<?, ?> m)) throw JpodException.invalid("HostConfig.Mounts: each mount must be an object");
                @SuppressWarnings("unchecked") Map<String, Object> mm = (Map<String, Object>) m;
                String type = str(mm, "Type") == null ? "volume" : str(mm, "Type");
                StringBuilder spec = new StringBuilder("type=" + type);
                if (str(mm, "Source") != null && !str(mm, "Source").isEmpty()) spec.append(",source=").append(str(mm, "Source"));
                spec.append(",target=").append(str(mm, "Target"));
                if (bool(mm, "ReadOnly")) spec.append(",readonly");
                b.mount(MountSpecs.mount(spec.toString()));
            }
        }
        Map<String, Object> tmpfs = map(host, "Tmpfs");
        if (tmpfs != null) tmpfs.forEach((k, v) -> b.mount(MountSpecs.tmpfs(String.valueOf(v).isEmpty() ? k : k + ":" + v)));
        Map<String, Object> bindings = map(host, "PortBindings");
        Set<String> bound = new java.util.HashSet<>();
        if (bindings != null) {
            for (Map.Entry<String, Object> e : bindings.entrySet()) {
                String[] pp = port(e.getKey());
                bound.add(pp[0] + "/" + pp[1]);
                List<Object> hs = e.getValue() instanceof List<?> l ? new ArrayList<>(l) : List.of();
                if (hs.isEmpty()) hs = List.of(Map.of());
                for (Object o : hs) {
                    Map<?, ?> h = o instanceof Map<?, ?> m ? m : Map.of();
                    String hp = h.get("HostPort") == null ? "" : String.valueOf(h.get("HostPort"));
                    String ip = h.get("HostIp") == null ? "" : String.valueOf(h.get("HostIp"));
                    int hostPort = 0;
                    try {
                        if (!hp.isEmpty()) hostPort = Integer.parseInt(hp);
                    } catch (NumberFormatException bad) {
                        throw JpodException.invalid("HostConfig.PortBindings: host port \"" + hp + "\" is not a number");
                    }
                    try {
                        b.port(new PortMapping(ip, hostPort, Integer.parseInt(pp[0]), pp[1]));
                    } catch (IllegalArgumentException bad) {
                        throw JpodException.invalid("HostConfig.PortBindings: " + bad.getMessage());
                    }
                }
            }
        }
        if (bool(host, "PublishAllPorts")) {
            Map<String, Object> exposed = map(body, "ExposedPorts");
            if (exposed != null) {
                for (String k : exposed.keySet()) {
                    String[] pp = port(k);
                    if (!bound.contains(pp[0] + "/" + pp[1])) b.port(new PortMapping("", 0, Integer.parseInt(pp[0]), pp[1]));
                }
            }
            b.publishAll(true);
        }
        String mode = str(host, "NetworkMode");
        List<String> nets = new ArrayList<>();
        if (mode != null && !mode.isEmpty()) nets.add(mode.equals("default") ? "bridge" : mode);
        Map<String, Object> nc = map(body, "NetworkingConfig");
        Map<String, Object> endpoints = nc == null ? null : map(nc, "EndpointsConfig");
        String ip = "", mac = str(body, "MacAddress") == null ? "" : str(body, "MacAddress");
        List<String> aliases = new ArrayList<>();
        if (endpoints != null) {
            for (Map.Entry<String, Object> e : endpoints.entrySet()) {
                String net = e.getKey().equals("default") ? "bridge" : e.getKey(); // docker run names the default "default"
                if (!nets.contains(net) && !(net.equals("bridge") && nets.contains("bridge"))) nets.add(net);
                if (e.getValue() instanceof Map<?, ?> ep) {
                    if (ep.get("Aliases") instanceof List<?> al) al.forEach(a -> aliases.add(String.valueOf(a)));
                    if (ep.get("IPAMConfig") instanceof Map<?, ?> ipam && ipam.get("IPv4Address") instanceof String v4) ip = v4;
                    if (ep.get("MacAddress") instanceof String m && !m.isEmpty()) mac = m;
                }
            }
        }
        if (!nets.isEmpty()) b.network(String.join(",", nets));
        b.netOptions(NetworkOptions.of(ip, mac, aliases, orEmpty(strings(host, "Dns")), orEmpty(strings(host, "DnsSearch")),
                orEmpty(strings(host, "DnsOptions")), orEmpty(strings(host, "ExtraHosts")), false));
        b.autoRemove(bool(host, "AutoRemove"));
        Map<String, Object> rp = map(host, "RestartPolicy");
        if (rp != null && str(rp, "Name") != null && !str(rp, "Name").isEmpty() && !str(rp, "Name").equals("no")) {
            int max = rp.get("MaximumRetryCount") == null ? 0 : integer(rp, "MaximumRetryCount");
            b.restartPolicy(RestartPolicy.parse(str(rp, "Name") + (max > 0 ? ":" + max : "")));
        }
        if (host.get("Memory") != null && lng(host, "Memory") > 0) b.memoryBytes(lng(host, "Memory"));
        if (host.get("NanoCpus") != null && lng(host, "NanoCpus") > 0) b.cpus(lng(host, "NanoCpus") / 1e9);
        else if (host.get("CpuQuota") != null && lng(host, "CpuQuota") > 0) {
            long period = host.get("CpuPeriod") == null || lng(host, "CpuPeriod") <= 0 ? 100_000 : lng(host, "CpuPeriod");
            b.cpus((double) lng(host, "CpuQuota") / period);
        }
        if (host.get("PidsLimit") != null && lng(host, "PidsLimit") != 0) b.pidsLimit(lng(host, "PidsLimit"));
        List<String> capAdd = strings(host, "CapAdd");
        if (capAdd != null) capAdd.forEach(b::capAdd);
        List<String> capDrop = strings(host, "CapDrop");
        if (capDrop != null) capDrop.forEach(b::capDrop);
        b.privileged(bool(host, "Privileged"));
        b.readOnly(bool(host, "ReadonlyRootfs"));
        b.init(bool(host, "Init"));
        return b.build();
    }

    /** "80/tcp" -> {"80", "tcp"}; a bare "80" is TCP. */
    private static String[] port(String key) {
        int slash = key.indexOf('/');
        String p = slash < 0 ? key : key.substring(0, slash);
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1);
        if (!p.chars().allMatch(Character::isDigit) || p.isEmpty()) throw JpodException.invalid("invalid port \"" + key + "\": use PORT/tcp or PORT/udp");
        return new String[] {p, proto};
    }

    /** Docker's durations are nanoseconds. */
    private static HealthConfig health(Map<String, Object> hc) {
        List<String> test = strings(hc, "Test");
        if (test == null || test.isEmpty() || test.getFirst().equals("NONE")) return null;
        Map<String, Object> image = new java.util.LinkedHashMap<>();
        image.put("Test", test);
        for (String k : List.of("Interval", "Timeout", "StartPeriod", "Retries")) if (hc.get(k) != null) image.put(k, hc.get(k));
        return HealthConfig.fromImage(image);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** Docker sends "" for what is not set: only a non-empty string is passed on. */
    private static void ifSet(Map<String, Object> m, String k, java.util.function.Consumer<String> set) {
        String v = str(m, k);
        if (v != null && !v.isEmpty()) set.accept(v);
    }

    static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw JpodException.invalid("json: cannot unmarshal " + kind(v) + " into Go struct field " + k + " of type string");
    }

    static boolean bool(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        throw JpodException.invalid("json: cannot unmarshal " + kind(v) + " into Go struct field " + k + " of type bool");
    }

    static long lng(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw JpodException.invalid("json: cannot unmarshal " + kind(v) + " into Go struct field " + k + " of type int64");
    }

    static int integer(Map<String, Object> m, String k) {
        long v = lng(m, k);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw JpodException.invalid(k + " is out of range: " + v);
        return (int) v;
    }

    /** A list of strings; a lone string (Cmd "echo hi" from old clients) is a one-element list. */
    static List<String> strings(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) return null;
        if (v instanceof String s) return List.of(s);
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) throw JpodException.invalid("json: cannot unmarshal " + kind(o) + " into Go struct field " + k + " of type string");
                out.add(s);
            }
            return out;
        }
        throw JpodException.invalid("json: cannot unmarshal " + kind(v) + " into Go struct field " + k + " of type []string");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) return null;
        if (v instanceof Map<?, ?> mm) return (Map<String, Object>) mm;
        throw JpodException.invalid("json: cannot unmarshal " + kind(v) + " into Go struct field " + k + " of type object");
    }

    private static String kind(Object v) {
        return v == null ? "null" : v instanceof String ? "string" : v instanceof Number ? "number" : v instanceof Boolean ? "bool"
                : v instanceof List<?> ? "array" : "object";
    }
}
