package io.jpod.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Networks on disk, subnets clear of host routes and of other CNI configs (files as the kernel and podman write them). */
class NetworkStoreTest {
    @TempDir
    Path tmp;

    NetworkStore store() throws IOException {
        // a host with a route to 10.88.0.0/16 (podman's bridge) and the default route, and a CNI config using 10.89.0.0/16
        Files.writeString(tmp.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                cni-podman0\t0000580A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        Files.createDirectories(tmp.resolve("cni"));
        Files.writeString(tmp.resolve("cni/87-podman.conflist"), "{\"plugins\":[{\"ipam\":{\"ranges\":[[{\"subnet\": \"10.89.0.0/16\"}]]}}]}");
        return new NetworkStore(tmp.resolve("networks"), tmp.resolve("route"), tmp.resolve("cni"));
    }

    @Test
    void theDefaultNetworkAvoidsHostRoutesAndOtherConfigsAndIsMadeOnce() throws IOException {
        NetworkStore s = store();
        Network d = s.get("bridge");
        assertEquals("jpod", d.name());
        assertEquals("10.90.0.0/16", d.subnet(), "10.88 is routed on the host, 10.89 is in a CNI config");
        assertEquals("10.90.0.1", d.gateway());
        assertEquals("jpod90", d.bridge());
        assertEquals(d, s.get("jpod"), "made once, then read");
    }

    @Test
    void createValidatesAndRefusesOverlaps() throws IOException {
        NetworkStore s = store();
        Network n = s.create("front", "10.150.0.7/24", null, false, Map.of("a", "b"));
        assertEquals("10.150.0.0/24", n.subnet(), "the network address of the subnet given");
        assertEquals("10.150.0.1", n.gateway());
        assertTrue(n.bridge().matches("jpodn[0-9a-f]{8}"), n.bridge());
        assertEquals(n, s.get("front"));
        assertEquals(n, s.get(n.id().substring(0, 12)), "by ID prefix too");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.create("back", "10.150.0.128/25", null, false, Map.of()))
                .getMessage().contains("is already used"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.create("back", "10.88.5.0/24", null, false, Map.of()))
                .getMessage().contains("is already used"), "a host route");
        assertThrows(IllegalArgumentException.class, () -> s.create("front", "10.151.0.0/24", null, false, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> s.create("-bad", null, null, false, Map.of()));
        assertEquals("invalid CIDR address: 10.1.2/24", assertThrows(IllegalArgumentException.class,
                () -> s.create("x", "10.1.2/24", null, false, Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.create("x", "10.152.0.0/24", "10.153.0.1", false, Map.of()))
                .getMessage().contains("is not a host address in subnet"));
        Network auto = s.create(null, null, null, true, Map.of());
        assertEquals("jpod1", auto.name());
        assertEquals("10.90.0.0/24", auto.subnet(), "the first free /24 from 10.90");
        assertEquals(List.of("front", "jpod1"), s.list().stream().map(Network::name).toList());
        s.remove("front");
        assertThrows(IllegalArgumentException.class, () -> s.remove("front"));
        assertThrows(IllegalArgumentException.class, () -> s.remove("jpod"), "the default stays");
    }

    @Test
    void theConfListIsWhatTheBridgePluginsNeed() {
        Network n = new Network("front", "ab", "jpodnab", "10.150.0.0/24", "10.150.0.1", true, Map.of(), null, true);
        Map<String, Object> c = n.confList("/run/jpod-ipam", false);
        @SuppressWarnings("unchecked") List<Map<String, Object>> plugins = (List<Map<String, Object>>) c.get("plugins");
        assertEquals(List.of("bridge"), plugins.stream().map(p -> p.get("type")).toList(), "rules are jpod's firewall's, not plugins'");
        assertEquals(false, plugins.getFirst().get("ipMasq"), "no plugin iptables calls");
        assertEquals(Map.of("ips", true), plugins.getFirst().get("capabilities"), "--ip through host-local's ips");
        @SuppressWarnings("unchecked") List<Map<String, Object>> withMac = (List<Map<String, Object>>) n.confList("/x", true).get("plugins");
        assertEquals(List.of("bridge", "tuning"), withMac.stream().map(p -> p.get("type")).toList(), "--mac-address through tuning");
        @SuppressWarnings("unchecked") Map<String, Object> ipam = (Map<String, Object>) plugins.getFirst().get("ipam");
        assertEquals("/run/jpod-ipam/jpodnab", ipam.get("dataDir"));
        assertTrue(!ipam.containsKey("routes"), "internal: no default route");
    }

    @Test
    void anIpRangeLimitsTheLeasesAndSurvivesTheRoundTrip() throws IOException {
        NetworkStore s = store();
        Network n = s.create("ranged", "10.151.0.0/24", null, "10.151.0.128/25", false, Map.of(), true);
        @SuppressWarnings("unchecked") List<Map<String, Object>> plugins = (List<Map<String, Object>>) n.confList("/x", false).get("plugins");
        @SuppressWarnings("unchecked") Map<String, Object> ipam = (Map<String, Object>) plugins.getFirst().get("ipam");
        @SuppressWarnings("unchecked") Map<String, Object> range = ((List<List<Map<String, Object>>>) ipam.get("ranges")).getFirst().getFirst();
        assertEquals("10.151.0.129", range.get("rangeStart"));
        assertEquals("10.151.0.254", range.get("rangeEnd"));
        assertEquals("10.151.0.128/25", s.get("ranged").ipRange(), "stored as podman's lease_range, read back");
        assertThrows(IllegalArgumentException.class, () -> s.create("outside", "10.152.0.0/24", null, "10.153.0.0/25", false, Map.of(), true));
        assertThrows(IllegalArgumentException.class, () -> s.create("wider", "10.154.0.0/24", null, "10.154.0.0/23", false, Map.of(), true));
    }

    @Test
    void anotherStoresDefaultBridgeIsSharedNotAvoided() throws IOException {
        NetworkStore s = store();
        // another store's default network on 10.91 (bridge jpod91), and a foreign bridge on 10.90
        Files.writeString(tmp.resolve("route"), Files.readString(tmp.resolve("route"))
                + "br-other\t00005A0A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
                + "jpod91\t00005B0A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n");
        Network d = s.get("bridge");
        assertEquals("10.91.0.0/16", d.subnet(), "the same subnet, so the same bridge, leases and rules");
        assertEquals("jpod91", d.bridge());
    }
}
