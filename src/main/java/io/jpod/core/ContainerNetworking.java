package io.jpod.core;

import io.jpod.network.CniException;
import io.jpod.network.CniRunner;
import io.jpod.network.Network;
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
 * its network through CNI (veth on the bridge, an address from host-local, published ports through portmap), and
 * detached again when the container stops or goes, also after a crash: detach is idempotent and needs nothing but
 * the container's ID.
 */
public final class ContainerNetworking {
    private final Layout layout;
    private final NetworkStore networks;
    private final CniRunner cni;
    private final NetNamespaces netns;

    private final io.jpod.network.AardvarkDns dns;
    private final io.jpod.sys.ProcessLauncher launcher;

    public ContainerNetworking(Layout layout, NetworkStore networks, CniRunner cni, NetNamespaces netns,
                               io.jpod.network.AardvarkDns dns, io.jpod.sys.ProcessLauncher launcher) {
        this.layout = layout;
        this.networks = networks;
        this.cni = cni;
        this.netns = netns;
        this.dns = dns;
        this.launcher = launcher;
    }

    /**
     * After network rm: its bridge goes too (the CNI bridge plugin leaves bridges behind), or its address and
     * route would stay and block the subnet for the next network.
     */
    public void dropBridge(Network net) {
        try {
            String ip = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip"; // spawn does no PATH search
            launcher.run(List.of(ip, "link", "del", net.bridge()), List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        } catch (RuntimeException e) {
            // no bridge (never used) or no ip(8): nothing to drop
        }
    }

    public NetworkStore networks() { return networks; }

    /**
     * What attach made: the namespace to give runc, the container's address on the network, and the name server
     * (the gateway, where aardvark-dns answers) when the network resolves names, else null.
     */
    public record Attached(Path netns, String ip, String gateway, String network, String nameServer) {}

    /** Whether the container has a network of its own here: --network bridge or a network's name. */
    public static boolean bridged(ContainerConfig c) {
        String m = c.networkMode();
        return !(m == null || m.isEmpty() || m.equals("none") || m.equals("host") || m.equals("private") || m.startsWith("container:"));
    }

    public Attached attach(ContainerConfig c) {
        Network net;
        try {
            net = networks.get(c.networkMode());
        } catch (IllegalArgumentException e) {
            throw JpodException.notFound(e.getMessage());
        } catch (IOException e) {
            throw new JpodException(ErrorCode.INTERNAL, "reading network " + c.networkMode() + ": " + e.getMessage(), e);
        }
        detach(c); // what a crash left (a namespace, a lease, port rules) goes first
        Path ns = layout.netns(c.id());
        try {
            netns.create(ns);
        } catch (io.jpod.sys.SysException e) {
            // not the rootfs mount's failure, which init would call it otherwise
            throw new JpodException(ErrorCode.INTERNAL, "creating the network namespace of " + c.name() + " at " + ns
                    + ": " + e.getMessage() + "; check that " + ns.getParent() + " is writable and jpod runs as root", e);
        }
        try {
            Map<String, Object> result = cni.add(net.confList(layout.ipamDir().toString()), attachment(c, ns));
            String ip = address(result);
            String nameServer = null;
            if (net.dnsEnabled() && dns != null && dns.available() && ip != null) {
                try {
                    dns.add(net, c.id(), ip, List.of(c.name(), c.id().substring(0, 12)));
                    nameServer = net.gateway();
                } catch (IOException e) {
                    throw new JpodException(ErrorCode.INTERNAL, "publishing " + c.name() + " in network " + net.name()
                            + "'s DNS: " + e.getMessage(), e);
                }
            }
            return new Attached(ns, ip, net.gateway(), net.name(), nameServer);
        } catch (CniException e) {
            netns.delete(ns);
            throw new JpodException(ErrorCode.INTERNAL, "connecting " + c.name() + " to network " + net.name() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            netns.delete(ns);
            throw e;
        }
    }

    /** The CNI attachment of a container: its namespace, eth0, and its published ports for portmap. */
    static CniRunner.Attachment attachment(ContainerConfig c, Path ns) {
        List<Map<String, Object>> ports = new ArrayList<>();
        for (io.jpod.oci.PortMapping p : c.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            m.put("hostIP", p.hostIp());
            ports.add(m);
        }
        return new CniRunner.Attachment(c.id(), ns, "eth0", Map.of("IgnoreUnknown", "1"),
                ports.isEmpty() ? Map.of() : Map.of("portMappings", ports));
    }

    /**
     * Detaches and removes the namespace; nothing attached is not an error. DEL gets the same port mappings as
     * ADD: portmap finds its rules by them.
     */
    public void detach(ContainerConfig c) {
        String containerId = c.id();
        Path ns = layout.netns(containerId);
        try {
            Network net = networks.get(c.networkMode());
            if (net.dnsEnabled() && dns != null && dns.available()) dns.remove(net, containerId);
            Path cached = layout.cniCache().resolve(net.name() + "-" + containerId + "-eth0.json");
            if (Files.exists(ns) || Files.exists(cached)) {
                cni.del(net.confList(layout.ipamDir().toString()), attachment(c, Files.exists(ns) ? ns : null));
            }
        } catch (IOException | IllegalArgumentException e) {
            // the network is gone: only the namespace is left to remove
        } finally {
            netns.delete(ns);
        }
    }

    /** The container's address on its network, from the result ADD cached; null when it has none. */
    public String address(String containerId, String networkMode) {
        try {
            Network net = networks.get(networkMode);
            Path cached = layout.cniCache().resolve(net.name() + "-" + containerId + "-eth0.json");
            if (!Files.exists(cached)) return null;
            Object r = io.jpod.json.Json.parseObject(Files.readString(cached)).get("result");
            @SuppressWarnings("unchecked") Map<String, Object> m = r instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
            return address(m);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static String address(Map<String, Object> result) {
        if (result.get("ips") instanceof List<?> ips && !ips.isEmpty() && ips.getFirst() instanceof Map<?, ?> ip) {
            String a = String.valueOf(((Map<String, Object>) ip).get("address"));
            int slash = a.indexOf('/');
            return slash < 0 ? a : a.substring(0, slash);
        }
        return null;
    }
}
