package io.jpod.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bridge network: its name, the Linux bridge, one IPv4 subnet with its gateway, and whether it reaches beyond
 * the host (internal: no masquerade, no default route). {@link #confList} is its CNI configuration.
 */
public record Network(String name, String id, String bridge, String subnet, String gateway, boolean internal,
                      java.util.Map<String, String> labels, java.time.Instant created, boolean dnsEnabled, String ipRange) {
    public Network {
        labels = labels == null ? java.util.Map.of() : java.util.Map.copyOf(labels);
        created = created == null ? java.time.Instant.EPOCH : created;
    }

    /** A network that leases from its whole subnet. */
    public Network(String name, String id, String bridge, String subnet, String gateway, boolean internal,
                   java.util.Map<String, String> labels, java.time.Instant created, boolean dnsEnabled) {
        this(name, id, bridge, subnet, gateway, internal, labels, created, dnsEnabled, null);
    }

    /** Whether ip can be a container's fixed address here: in the subnet, and not its network, broadcast or gateway address. */
    public boolean leasable(String ip) {
        long a;
        try {
            a = NetworkStore.parseIp(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long[] c = NetworkStore.cidr(subnet);
        long broadcast = c[0] | (~c[1] & 0xffffffffL);
        return (a & c[1]) == c[0] && a != c[0] && a != broadcast && !ip.equals(gateway);
    }

    /** The network `--network bridge` means, made on first use, as podman's "podman" network. */
    public static final String DEFAULT = "jpod";

    /**
     * The CNI configuration list: bridge (veth, gateway on the host, hairpin) with host-local addresses kept per
     * bridge under {@code ipamBase} (a fixed address through the "ips" capability), and tuning for a fixed MAC
     * address. Masquerade, forwarding and published ports are jpod's {@link Firewall}: one iptables-restore
     * instead of the plugins' dozens of iptables calls per container.
     */
    public Map<String, Object> confList(String ipamBase, boolean withMac) {
        // leases live per bridge, shared by every store on this host that uses the bridge (so by its subnet)
        String ipamDir = ipamBase + "/" + bridge;
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("subnet", subnet);
        range.put("gateway", gateway);
        if (ipRange != null) { // --ip-range: leases only from the host addresses of this part of the subnet
            long[] r = NetworkStore.cidr(ipRange);
            range.put("rangeStart", NetworkStore.ipString(r[0] + 1));
            range.put("rangeEnd", NetworkStore.ipString((r[0] | (~r[1] & 0xffffffffL)) - 1));
        }
        ipam.put("ranges", List.of(List.of(range)));
        if (!internal) ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        ipam.put("dataDir", ipamDir);
        Map<String, Object> br = new LinkedHashMap<>();
        br.put("type", "bridge");
        br.put("bridge", bridge);
        br.put("isGateway", true);
        br.put("ipMasq", false);
        br.put("hairpinMode", true);
        br.put("capabilities", Map.of("ips", true));
        br.put("ipam", ipam);
        List<Map<String, Object>> plugins = new ArrayList<>();
        plugins.add(br);
        if (withMac) plugins.add(Map.of("type", "tuning", "capabilities", Map.of("mac", true)));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", "1.0.0");
        c.put("name", name);
        c.put("plugins", plugins);
        return c;
    }

    /** podman's network inspect shape (also how it is stored). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("id", id);
        m.put("driver", "bridge");
        m.put("network_interface", bridge);
        m.put("created", created.toString());
        Map<String, Object> sn = new LinkedHashMap<>();
        sn.put("subnet", subnet);
        sn.put("gateway", gateway);
        if (ipRange != null) {
            long[] r = NetworkStore.cidr(ipRange);
            sn.put("lease_range", Map.of("start_ip", NetworkStore.ipString(r[0] + 1),
                    "end_ip", NetworkStore.ipString((r[0] | (~r[1] & 0xffffffffL)) - 1)));
        }
        m.put("subnets", List.of(sn));
        m.put("ipv6_enabled", false);
        m.put("internal", internal);
        m.put("dns_enabled", dnsEnabled);
        if (!labels.isEmpty()) m.put("labels", new java.util.TreeMap<>(labels));
        m.put("ipam_options", Map.of("driver", "host-local"));
        return m;
    }

    @SuppressWarnings("unchecked")
    static Network fromJson(Map<String, Object> m) {
        Map<String, Object> s = ((List<Map<String, Object>>) m.get("subnets")).getFirst();
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        if (m.get("labels") instanceof Map<?, ?> l) l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        java.time.Instant created = m.get("created") instanceof String c ? java.time.Instant.parse(c) : java.time.Instant.EPOCH;
        return new Network(String.valueOf(m.get("name")), String.valueOf(m.get("id")), String.valueOf(m.get("network_interface")),
                String.valueOf(s.get("subnet")), String.valueOf(s.get("gateway")), Boolean.TRUE.equals(m.get("internal")),
                labels, created, Boolean.TRUE.equals(m.get("dns_enabled")),
                s.get("lease_range") instanceof Map<?, ?> lr ? ipRangeOf(lr) : null);
    }

    /** The --ip-range CIDR back from podman's lease_range (start and end inside it). */
    private static String ipRangeOf(Map<?, ?> lr) {
        long start = NetworkStore.parseIp(String.valueOf(lr.get("start_ip"))) - 1;
        long end = NetworkStore.parseIp(String.valueOf(lr.get("end_ip"))) + 1;
        int bits = 32 - (64 - Long.numberOfLeadingZeros(end - start));
        return NetworkStore.ipString(start) + "/" + bits;
    }
}
