package io.jpod.network;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Networks as JSON files under ROOT/networks (one per network, created with an exclusive rename so two jpods
 * making the default network at once agree on one). The default network takes the first 10.x.0.0/16 from
 * 10.88 on that overlaps no host route and no other CNI network on this host (podman's included).
 */
public final class NetworkStore {
    private final Path dir;
    private final Path procNetRoute;
    private final Path cniConfDir;

    public NetworkStore(Path dir, Path procNetRoute, Path cniConfDir) {
        this.dir = dir;
        this.procNetRoute = procNetRoute;
        this.cniConfDir = cniConfDir;
    }

    public static NetworkStore host(Path dir) {
        return new NetworkStore(dir, Path.of("/proc/net/route"), Path.of("/etc/cni/net.d"));
    }

    /** The network of that name; "bridge" is the default network, made on first use. */
    public Network get(String name) throws IOException {
        String n = name.equals("bridge") ? Network.DEFAULT : name;
        Path f = dir.resolve(n + ".json");
        if (Files.exists(f)) return Network.fromJson(Json.parseObject(Files.readString(f)));
        if (!n.equals(Network.DEFAULT)) {
            for (Network x : list()) if (name.length() >= 3 && x.id().startsWith(name)) return x;
            throw new IllegalArgumentException("unable to find network with name or ID " + name + ": network not found");
        }
        return createDefault();
    }

    private Network createDefault() throws IOException {
        Files.createDirectories(dir);
        String subnet = freeSubnet();
        String gateway = subnet.substring(0, subnet.lastIndexOf('.')) + ".1";
        // the bridge is named after its subnet: stores (--root) on one host share bridges only when they share subnets
        String bridge = "jpod" + subnet.split("\\.")[1];
        Network net = new Network(Network.DEFAULT, sha256Hex("jpod-network-" + subnet), bridge, subnet, gateway, false,
                Map.of(), java.time.Instant.now(), false); // podman's default network has no DNS either
        Path tmp = dir.resolve(".default-" + ProcessHandle.current().pid() + ".json");
        Files.writeString(tmp, Json.write(net.toJson()));
        Path target = dir.resolve(Network.DEFAULT + ".json");
        try {
            Files.createLink(target, tmp); // link(2) fails if another jpod made it first: theirs wins
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
            return Network.fromJson(Json.parseObject(Files.readString(target)));
        }
        Files.deleteIfExists(tmp);
        return net;
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The first 10.N.0.0/16 (N from 88) clear of host routes and of the subnets in the host's CNI configs, or one
     * another store's default network holds already (its route is on bridge jpodN): default networks of several
     * stores share that bridge, its leases (per bridge, host-wide) and its firewall rules, instead of each taking
     * a /16 of its own and leaving its bridge behind (test runs ran out of them).
     */
    String freeSubnet() throws IOException {
        List<long[]> used = used();
        java.util.Set<Integer> shared = defaultBridges();
        for (int n = 88; n < 256; n++) {
            long net = (10L << 24) | ((long) n << 16);
            if (shared.contains(n) && !cniSubnets().stream().anyMatch(u -> overlaps(net, 0xffff0000L, List.of(u)))) {
                return "10." + n + ".0.0/16";
            }
            if (!overlaps(net, 0xffff0000L, used)) return "10." + n + ".0.0/16";
        }
        throw new IOException("no free 10.x.0.0/16 subnet for the default network: every one overlaps a host route");
    }

    /** A free /24 for a new network without --subnet: 10.A.B.0/24 from 10.90.0.0 on. */
    String freeSubnet24() throws IOException {
        List<long[]> used = used();
        for (long net = (10L << 24) | (90L << 16); net < (11L << 24); net += 256) {
            if (!overlaps(net, 0xffffff00L, used)) return ipString(net) + "/24";
        }
        throw new IOException("no free 10.x.y.0/24 subnet: give one with --subnet");
    }

    private List<long[]> used() throws IOException {
        List<long[]> used = new ArrayList<>(hostRoutes());
        used.addAll(cniSubnets());
        for (Network n : list()) used.add(cidr(n.subnet()));
        return used;
    }

    static boolean overlaps(long net, long mask, List<long[]> used) {
        for (long[] u : used) {
            long common = mask & u[1];
            if ((net & common) == (u[0] & common)) return true;
        }
        return false;
    }

    /** "a.b.c.d/n" as {network, mask}; IllegalArgumentException in podman's words for anything else. */
    static long[] cidr(String s) {
        Matcher m = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})").matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("invalid CIDR address: " + s);
        long a = 0;
        for (int i = 1; i <= 4; i++) {
            int o = Integer.parseInt(m.group(i));
            if (o > 255) throw new IllegalArgumentException("invalid CIDR address: " + s);
            a = (a << 8) | o;
        }
        int bits = Integer.parseInt(m.group(5));
        if (bits > 30 || bits < 8) throw new IllegalArgumentException("invalid subnet " + s + ": use a prefix from /8 to /30");
        long mask = (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return new long[] {a & mask, mask, a};
    }

    static String ipString(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    /** A dotted IPv4 address; IllegalArgumentException naming it otherwise. */
    static long parseIp(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("invalid IP address: " + s);
        long a = 0;
        for (String o : p) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) throw new IllegalArgumentException("invalid IP address: " + s);
            a = (a << 8) | Integer.parseInt(o);
        }
        return a;
    }

    /** Every network in the store, the default first when it exists, then by name. */
    public List<Network> list() throws IOException {
        List<Network> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".json") || f.startsWith(".")) continue;
                out.add(Network.fromJson(Json.parseObject(Files.readString(p))));
            }
        }
        out.sort(java.util.Comparator.comparing((Network n) -> !n.name().equals(Network.DEFAULT)).thenComparing(Network::name));
        return out;
    }

    public boolean exists(String name) {
        return name.equals("bridge") || Files.exists(dir.resolve(name + ".json"));
    }

    /**
     * network create: a bridge network of its own subnet (given, or the first free /24 from 10.90.0.0), which
     * must not overlap another network, a host route or a host CNI config. Name null: jpod1, jpod2, ...
     */
    public Network create(String name, String subnet, String gateway, boolean internal, Map<String, String> labels)
            throws IOException {
        return create(name, subnet, gateway, internal, labels, true);
    }

    /** As above; dns: containers resolve each other by name (aardvark-dns), podman's default for new networks. */
    public Network create(String name, String subnet, String gateway, boolean internal, Map<String, String> labels,
                          boolean dns) throws IOException {
        return create(name, subnet, gateway, null, internal, labels, dns);
    }

    /** As above; ipRange: a CIDR inside the subnet that addresses are leased from (--ip-range), or null. */
    public Network create(String name, String subnet, String gateway, String ipRange, boolean internal, Map<String, String> labels,
                          boolean dns) throws IOException {
        Files.createDirectories(dir);
        if (name == null) {
            for (int i = 1; ; i++) {
                if (!Files.exists(dir.resolve("jpod" + i + ".json"))) {
                    name = "jpod" + i;
                    break;
                }
            }
        }
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*") || name.length() > 200) {
            throw new IllegalArgumentException("invalid network name \"" + name + "\": use [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        if (name.equals("bridge") || exists(name)) throw new IllegalArgumentException("network name " + name + " already used: network already exists");
        String sn = subnet != null ? subnet : freeSubnet24();
        long[] c = cidr(sn);
        String canonical = ipString(c[0]) + "/" + Long.bitCount(c[1]);
        if (subnet != null && overlaps(c[0], c[1], used())) {
            throw new IllegalArgumentException("subnet " + canonical + " is already used on the host or by another config");
        }
        String gw = gateway != null ? gateway : ipString(c[0] + 1);
        long g = parseIp(gw);
        if ((g & c[1]) != c[0] || g == c[0] || g == (c[0] | (~c[1] & 0xffffffffL))) {
            throw new IllegalArgumentException("gateway " + gw + " is not a host address in subnet " + canonical);
        }
        String range = null;
        if (ipRange != null) {
            long[] r;
            try {
                r = cidr(ipRange);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid --ip-range \"" + ipRange + "\": use a CIDR inside the subnet, like 10.90.0.128/25");
            }
            if ((r[0] & c[1]) != c[0] || Long.bitCount(r[1]) < Long.bitCount(c[1]) || Long.bitCount(r[1]) > 30) {
                throw new IllegalArgumentException("--ip-range " + ipRange + " is not a range of at least 2 addresses inside subnet " + canonical);
            }
            range = ipString(r[0]) + "/" + Long.bitCount(r[1]);
        }
        String id = sha256Hex("jpod-network-" + name + "-" + System.nanoTime());
        Network net = new Network(name, id, "jpodn" + id.substring(0, 8), canonical, ipString(g), internal, labels,
                java.time.Instant.now(), dns, range);
        Path tmp = dir.resolve("." + name + "-" + ProcessHandle.current().pid() + ".json");
        Files.writeString(tmp, Json.write(net.toJson()));
        try {
            Files.createLink(dir.resolve(name + ".json"), tmp);
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalArgumentException("network name " + name + " already used: network already exists");
        } finally {
            Files.deleteIfExists(tmp);
        }
        return net;
    }

    /** Removes a network's config; the default network stays (it is remade on use anyway). */
    public void remove(String name) throws IOException {
        if (name.equals(Network.DEFAULT) || name.equals("bridge")) {
            throw new IllegalArgumentException("default network " + Network.DEFAULT + " cannot be removed");
        }
        if (!Files.deleteIfExists(dir.resolve(name + ".json"))) {
            throw new IllegalArgumentException("unable to find network with name or ID " + name + ": network not found");
        }
    }

    /** {network, mask} of each host route but the default one, from /proc/net/route (little-endian hex). */
    /** N for each route 10.N.0.0/16 on a bridge named jpodN: a jpod store's default network. */
    java.util.Set<Integer> defaultBridges() throws IOException {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        if (!Files.exists(procNetRoute)) return out;
        for (String l : Files.readAllLines(procNetRoute)) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 8 || !f[0].matches("jpod\\d{1,3}")) continue;
            long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xffffffffL;
            long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xffffffffL;
            int n = Integer.parseInt(f[0].substring(4));
            if (mask == 0xffff0000L && dest == ((10L << 24) | ((long) n << 16))) out.add(n);
        }
        return out;
    }

    List<long[]> hostRoutes() throws IOException {
        List<long[]> out = new ArrayList<>();
        if (!Files.exists(procNetRoute)) return out;
        for (String l : Files.readAllLines(procNetRoute)) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) continue;
            long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xffffffffL;
            long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xffffffffL;
            if (mask == 0) continue; // the default route overlaps everything and means nothing here
            out.add(new long[] {dest, mask});
        }
        return out;
    }

    private static final Pattern SUBNET = Pattern.compile("\"subnet\"\\s*:\\s*\"(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/(\\d+)\"");

    List<long[]> cniSubnets() throws IOException {
        List<long[]> out = new ArrayList<>();
        if (!Files.isDirectory(cniConfDir)) return out;
        try (var files = Files.list(cniConfDir)) {
            for (Path p : files.toList()) {
                if (!Files.isRegularFile(p)) continue;
                Matcher m = SUBNET.matcher(Files.readString(p));
                while (m.find()) {
                    long a = (Long.parseLong(m.group(1)) << 24) | (Long.parseLong(m.group(2)) << 16)
                            | (Long.parseLong(m.group(3)) << 8) | Long.parseLong(m.group(4));
                    int bits = Integer.parseInt(m.group(5));
                    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
                    out.add(new long[] {a & mask, mask});
                }
            }
        }
        return out;
    }
}
