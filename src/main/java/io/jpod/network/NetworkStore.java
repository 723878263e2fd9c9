package io.jpod.network;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        if (!n.equals(Network.DEFAULT)) throw new IllegalArgumentException("unable to find network with name or ID " + name + ": network not found");
        return createDefault();
    }

    private Network createDefault() throws IOException {
        Files.createDirectories(dir);
        String subnet = freeSubnet();
        String gateway = subnet.substring(0, subnet.lastIndexOf('.')) + ".1";
        // the bridge is named after its subnet: stores (--root) on one host share bridges only when they share subnets
        String bridge = "jpod" + subnet.split("\\.")[1];
        Network net = new Network(Network.DEFAULT, sha256Hex("jpod-network-" + subnet), bridge, subnet, gateway, false);
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

    /** The first 10.N.0.0/16 (N from 88) clear of host routes and of the subnets in the host's CNI configs. */
    String freeSubnet() throws IOException {
        List<long[]> used = new ArrayList<>(hostRoutes());
        used.addAll(cniSubnets());
        for (int n = 88; n < 256; n++) {
            long net = (10L << 24) | ((long) n << 16);
            long mask = 0xffff0000L;
            boolean clash = false;
            for (long[] u : used) {
                long common = mask & u[1];
                if ((net & common) == (u[0] & common)) {
                    clash = true;
                    break;
                }
            }
            if (!clash) return "10." + n + ".0.0/16";
        }
        throw new IOException("no free 10.x.0.0/16 subnet for the default network: every one overlaps a host route");
    }

    /** {network, mask} of each host route but the default one, from /proc/net/route (little-endian hex). */
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
