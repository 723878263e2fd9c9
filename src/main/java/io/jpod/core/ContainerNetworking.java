package io.jpod.core;

import io.jpod.network.CniException;
import io.jpod.network.CniRunner;
import io.jpod.network.Firewall;
import io.jpod.network.Network;
import io.jpod.network.NetworkException;
import io.jpod.network.NetworkStore;
import io.jpod.sys.NetNamespaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bridge networking for containers: a network namespace of the container's own (RUNROOT/netns/ID), attached to
 * each of its networks through CNI (a veth on the network's bridge as eth0, eth1, ..., an address from
 * host-local) and jpod's {@link Firewall} (masquerade, isolation, published ports), and detached again when the
 * container stops or goes, also after a crash: detach is idempotent and needs nothing but the container's config.
 */
public final class ContainerNetworking {
    private final Layout layout;
    private final NetworkStore networks;
    private final CniRunner cni;
    private final NetNamespaces netns;
    private final Firewall firewall;
    private final io.jpod.network.AardvarkDns dns;
    private final io.jpod.sys.ProcessLauncher launcher;

    public ContainerNetworking(Layout layout, NetworkStore networks, CniRunner cni, NetNamespaces netns, Firewall firewall,
                               io.jpod.network.AardvarkDns dns, io.jpod.sys.ProcessLauncher launcher) {
        this.layout = layout;
        this.networks = networks;
        this.cni = cni;
        this.netns = netns;
        this.firewall = firewall;
        this.dns = dns;
        this.launcher = launcher;
    }

    /**
     * After network rm: its rules and its bridge go (the CNI bridge plugin leaves bridges behind), or the bridge's
     * address and route would stay and block the subnet for the next network.
     */
    public void dropBridge(Network net) {
        try {
            firewall.dropNetwork(net);
        } catch (NetworkException e) {
            // rules we cannot read or change: the bridge still goes
        }
        try {
            String ip = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip"; // spawn does no PATH search
            launcher.run(List.of(ip, "link", "del", net.bridge()), List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        } catch (RuntimeException e) {
            // no bridge (never used) or no ip(8): nothing to drop
        }
    }

    public NetworkStore networks() { return networks; }

    /**
     * network reload: the rules of the container's networks, and its published ports, put back (after something
     * flushed the host's tables).
     */
    public void reloadFirewall(ContainerConfig c) {
        List<Network> nets = networkNames(c.networkMode()).stream().map(this::network).toList();
        try {
            firewall.reload(nets);
            firewall.unpublish(c.id());
            List<Endpoint> eps = endpoints(c.id());
            if (!nets.isEmpty() && !eps.isEmpty()) firewall.publish(nets.getFirst(), c.id(), eps.getFirst().ip(), c.ports());
        } catch (NetworkException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reloading the firewall rules of " + c.name() + ": " + e.getMessage(), e);
        }
    }

    /** One interface of a container on one network, as ADD left it. */
    public record Endpoint(String network, String ifName, String ip, int prefixLength, String gateway, String mac) {}

    /**
     * What attach made: the namespace to give runc, the container's interfaces (the first is its main address), and
     * the name server (the gateway of its first network that resolves names, where aardvark-dns answers) or null.
     */
    public record Attached(Path netns, List<Endpoint> endpoints, String nameServer) {
        public String ip() {
            return endpoints.isEmpty() ? null : endpoints.getFirst().ip();
        }
    }

    /** Whether the container has a network namespace of its own on networks here: bridge or networks' names. */
    public static boolean bridged(ContainerConfig c) {
        return bridged(c.networkMode());
    }

    public static boolean bridged(String m) {
        return !(m == null || m.isEmpty() || m.equals("none") || m.equals("host") || m.equals("private") || m.startsWith("container:"));
    }

    /** The networks of a bridged container, in interface order ("a,b" is on a as eth0 and b as eth1). */
    public static List<String> networkNames(String mode) {
        if (!bridged(mode)) return List.of();
        List<String> names = new ArrayList<>();
        for (String n : mode.split(",")) if (!n.isBlank()) names.add(n.strip().equals("bridge") ? Network.DEFAULT : n.strip());
        return names;
    }

    /** A fixed address or MAC needs exactly one network, and the address must lie in its subnet. */
    void validate(ContainerConfig c) {
        NetworkOptions o = c.netOptions();
        List<String> names = networkNames(c.networkMode());
        if (o.ip().isEmpty() && o.mac().isEmpty() && o.aliases().isEmpty()) return;
        if (names.isEmpty()) {
            throw JpodException.invalid("--ip, --mac-address and --network-alias need a bridge network (--network bridge or a network's name), not "
                    + c.networkMode());
        }
        if (names.size() > 1 && (!o.ip().isEmpty() || !o.mac().isEmpty())) {
            throw JpodException.invalid("--ip and --mac-address can only be set for a single network: connect the others with jpod network connect --ip");
        }
        if (!o.ip().isEmpty()) inSubnet(network(names.getFirst()), o.ip());
    }

    private static void inSubnet(Network net, String ip) {
        if (!net.leasable(ip)) {
            throw JpodException.invalid("requested static ip " + ip + " is not a host address of network " + net.name() + " ("
                    + net.subnet() + ", gateway " + net.gateway() + "): pick another address in the subnet");
        }
    }

    private Network network(String name) {
        try {
            return networks.get(name);
        } catch (IllegalArgumentException e) {
            throw JpodException.notFound(e.getMessage() + " (jpod network ls lists the networks; jpod network create makes one)");
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading network " + name + ": " + e.getMessage(), e);
        }
    }

    public Attached attach(ContainerConfig c) {
        return connect(c, prepare(c));
    }

    /**
     * The first half of attach: the networks checked, what a crash left (a namespace, a lease, port rules)
     * removed, and a new namespace made. runc may join it at once; {@link #connect} fills it, also meanwhile.
     */
    public Path prepare(ContainerConfig c) {
        networkNames(c.networkMode()).forEach(this::network);
        detach(c);
        Path ns = layout.netns(c.id());
        try {
            netns.create(ns);
        } catch (io.jpod.sys.SysException e) {
            // not the rootfs mount's failure, which init would call it otherwise
            throw new JpodException(ErrorCode.INTERNAL, "creating the network namespace of " + c.name() + " at " + ns
                    + ": " + e.getMessage() + "; check that " + ns.getParent() + " is writable and jpod runs as root", e);
        }
        io.jpod.sys.Trace.mark("netns made");
        return ns;
    }

    /** The name server the container's resolv.conf names first: its first network's with DNS, else null. */
    public String nameServer(ContainerConfig c) {
        if (dns == null || !dns.available()) return null;
        for (String n : networkNames(c.networkMode())) {
            Network net = network(n);
            if (net.dnsEnabled()) return net.gateway();
        }
        return null;
    }

    /** The second half: an interface on each network, published ports; undone (namespace and all) on failure. */
    public Attached connect(ContainerConfig c, Path ns) {
        List<String> names = networkNames(c.networkMode());
        try {
            List<Network> nets = names.stream().map(this::network).toList();
            List<Endpoint> eps = new ArrayList<>();
            for (int i = 0; i < nets.size(); i++) {
                NetworkOptions o = c.netOptions();
                eps.add(connectOne(c, nets.get(i), ns, "eth" + i, i == 0 ? o.ip() : "", i == 0 ? o.mac() : ""));
            }
            if (!c.ports().isEmpty() && !eps.isEmpty()) {
                Network first = nets.getFirst();
                firewall.publish(first, c.id(), eps.getFirst().ip(), c.ports());
                // 127.0.0.1:PORT reaches the container only if the bridge may route loopback addresses (as portmap sets)
                writeSysctl("/proc/sys/net/ipv4/conf/" + first.bridge() + "/route_localnet");
            }
            return new Attached(ns, eps, nameServer(c));
        } catch (CniException | NetworkException e) {
            undo(c, ns);
            throw new JpodException(ErrorCode.INTERNAL, "connecting " + c.name() + " to network "
                    + String.join(",", names) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            undo(c, ns);
            throw e;
        }
    }

    private void undo(ContainerConfig c, Path ns) {
        try {
            detach(c);
        } catch (RuntimeException ignored) {
            // detach reports nothing; the namespace goes below in any case
        }
        netns.delete(ns);
    }

    /** ADD on one network, its rules, and its DNS entry. */
    private Endpoint connectOne(ContainerConfig c, Network net, Path ns, String ifName, String ip, String mac) {
        firewall.ensureNetwork(net);
        Map<String, Object> result = cni.add(net.confList(layout.ipamDir().toString(), !mac.isEmpty()),
                attachment(c.id(), ns, ifName, ip, mac));
        Endpoint ep = endpoint(net, ifName, result);
        io.jpod.sys.Trace.mark("CNI ADD on " + net.name());
        if (net.dnsEnabled() && dns != null && dns.available() && ep.ip() != null) {
            List<String> dnsNames = new ArrayList<>(List.of(c.name(), c.id().substring(0, 12)));
            dnsNames.addAll(c.netOptions().aliases());
            try {
                dns.add(net, c.id(), ep.ip(), dnsNames);
            } catch (IOException e) {
                throw new NetworkException("publishing " + c.name() + " in network " + net.name() + "'s DNS: " + e.getMessage());
            }
        }
        return ep;
    }

    /**
     * network connect on a running container: a new interface (the first free ethN) in its namespace; a
     * created or stopped container only gets the network in its config and is attached at start.
     */
    public Endpoint connect(ContainerConfig c, String network, String ip, String mac) {
        Network net = network(network);
        if (!ip.isEmpty()) inSubnet(net, ip);
        Path ns = layout.netns(c.id());
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Endpoint e : endpoints(c.id())) used.add(e.ifName());
        int i = 0;
        while (used.contains("eth" + i)) i++;
        try {
            return connectOne(c, net, ns, "eth" + i, ip, mac);
        } catch (CniException | NetworkException e) {
            throw new JpodException(ErrorCode.INTERNAL, "connecting " + c.name() + " to network " + net.name() + ": " + e.getMessage(), e);
        }
    }

    /** network disconnect on a running container: its interface on that network goes. */
    public void disconnect(ContainerConfig c, String network) {
        Network net = network(network);
        for (Endpoint e : endpoints(c.id())) {
            if (e.network().equals(net.name())) detachOne(c.id(), net, layout.netns(c.id()), e.ifName());
        }
    }

    /** The CNI attachment of a container's interface; a fixed address or MAC through capability args. */
    static CniRunner.Attachment attachment(String containerId, Path ns, String ifName, String ip, String mac) {
        Map<String, Object> caps = new LinkedHashMap<>();
        if (ip != null && !ip.isEmpty()) caps.put("ips", List.of(ip));
        if (mac != null && !mac.isEmpty()) caps.put("mac", mac);
        return new CniRunner.Attachment(containerId, ns, ifName, Map.of("IgnoreUnknown", "1"), caps);
    }

    /**
     * Detaches from every network (those in its config, and whatever ADD's cache still names: a network
     * disconnected while the container was stopped), drops its port rules, and removes the namespace; nothing
     * attached is not an error.
     */
    public void detach(ContainerConfig c) {
        detach(c, false);
    }

    /**
     * As {@link #detach(ContainerConfig)}. Unless other containers share the namespace (--network container:),
     * DEL gets no namespace: the plugins then only give the lease back, and the veth goes with the namespace when
     * it is unmounted, in the kernel's own time, instead of a synchronous link deletion (about 30 ms).
     */
    public void detach(ContainerConfig c, boolean namespaceShared) {
        String containerId = c.id();
        Path ns = layout.netns(containerId);
        try {
            try {
                firewall.unpublish(containerId);
            } catch (NetworkException e) {
                // the namespace and leases still go; the rules are retried at the next detach
            }
            Map<String, String> attached = new LinkedHashMap<>(); // network -> interface
            for (Endpoint e : endpoints(containerId)) attached.put(e.network(), e.ifName());
            List<String> names = networkNames(c.networkMode());
            for (int i = 0; i < names.size(); i++) attached.putIfAbsent(names.get(i), "eth" + i);
            boolean nsExists = Files.exists(ns);
            for (Map.Entry<String, String> a : attached.entrySet()) {
                Network net;
                try {
                    net = networks.get(a.getKey());
                } catch (IOException | IllegalArgumentException gone) {
                    dropCache(a.getKey(), containerId, a.getValue());
                    continue; // the network is gone: its leases and rules went with it
                }
                if (nsExists || Files.exists(cachePath(net.name(), containerId, a.getValue()))) {
                    detachOne(containerId, net, nsExists && namespaceShared ? ns : null, a.getValue());
                }
            }
        } finally {
            netns.delete(ns);
        }
    }

    private void detachOne(String containerId, Network net, Path ns, String ifName) {
        try {
            if (net.dnsEnabled() && dns != null && dns.available()) dns.remove(net, containerId);
        } catch (IOException e) {
            // a stale name is answered until the next change to the network's file; the lease still goes
        }
        try {
            Map<String, Object> conf = net.confList(layout.ipamDir().toString(), false);
            if (ns == null) cni.releaseAddress(conf, attachment(containerId, null, ifName, "", ""));
            else cni.del(conf, attachment(containerId, ns, ifName, "", ""));
            io.jpod.sys.Trace.mark("CNI DEL on " + net.name());
        } catch (CniException e) {
            // DEL tolerates what is gone; what is left is retried at the next detach
        }
    }

    private Path cachePath(String network, String containerId, String ifName) {
        return layout.cniCache().resolve(network + "-" + containerId + "-" + ifName + ".json");
    }

    private void dropCache(String network, String containerId, String ifName) {
        try {
            Files.deleteIfExists(cachePath(network, containerId, ifName));
        } catch (IOException ignored) {
            // only disk space
        }
    }

    /** The container's interfaces, from the results ADD cached (none when it is not attached). */
    public List<Endpoint> endpoints(String containerId) {
        List<Endpoint> eps = new ArrayList<>();
        String marker = "-" + containerId + "-";
        try (var files = Files.list(layout.cniCache())) {
            for (Path p : files.sorted().toList()) {
                String f = p.getFileName().toString();
                int at = f.indexOf(marker);
                if (at <= 0 || !f.endsWith(".json")) continue;
                try {
                    Map<String, Object> cache = io.jpod.json.Json.parseObject(Files.readString(p));
                    String network = String.valueOf(cache.get("networkName"));
                    String ifName = String.valueOf(cache.get("ifName"));
                    @SuppressWarnings("unchecked") Map<String, Object> r = cache.get("result") instanceof Map<?, ?> m
                            ? (Map<String, Object>) m : Map.of();
                    Network net;
                    try {
                        net = networks.get(network);
                    } catch (IllegalArgumentException gone) {
                        net = new Network(network, "", "", "", "", false, Map.of(), null, false);
                    }
                    eps.add(endpoint(net, ifName, r));
                } catch (IOException | RuntimeException unreadable) {
                    // a cache file being replaced: skip it
                }
            }
        } catch (IOException none) {
            return List.of();
        }
        eps.sort(java.util.Comparator.comparingInt(e -> ifIndex(e.ifName())));
        return eps;
    }

    private static int ifIndex(String ifName) {
        try {
            return Integer.parseInt(ifName.substring(3));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The container's main address (its first interface's), or null. */
    public String address(String containerId) {
        List<Endpoint> eps = endpoints(containerId);
        return eps.isEmpty() ? null : eps.getFirst().ip();
    }

    @SuppressWarnings("unchecked")
    static Endpoint endpoint(Network net, String ifName, Map<String, Object> result) {
        String ip = null, gateway = net.gateway();
        int prefix = 0;
        if (result.get("ips") instanceof List<?> ips && !ips.isEmpty() && ips.getFirst() instanceof Map<?, ?> m) {
            String a = String.valueOf(((Map<String, Object>) m).get("address"));
            int slash = a.indexOf('/');
            ip = slash < 0 ? a : a.substring(0, slash);
            prefix = slash < 0 ? 32 : Integer.parseInt(a.substring(slash + 1));
            if (((Map<String, Object>) m).get("gateway") instanceof String g) gateway = g;
        }
        String mac = "";
        if (result.get("interfaces") instanceof List<?> ifs) {
            for (Object o : ifs) {
                if (o instanceof Map<?, ?> i && ifName.equals(i.get("name")) && i.get("sandbox") != null && i.get("mac") instanceof String m) mac = m;
            }
        }
        return new Endpoint(net.name(), ifName, ip, prefix, gateway, mac);
    }

    private static void writeSysctl(String path) {
        try {
            Files.writeString(Path.of(path), "1");
        } catch (IOException e) {
            throw new NetworkException("setting " + path + ": " + e.getMessage());
        }
    }
}
