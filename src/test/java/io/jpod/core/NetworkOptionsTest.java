package io.jpod.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ip, --mac-address, --dns*, --add-host, --no-hosts: what is refused, and the resolv.conf they make. */
class NetworkOptionsTest {
    static final String HOST = "# written by resolvconf\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n";

    static ContainerConfig with(String mode, NetworkOptions o) {
        return new ContainerConfig("0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab0123", "c", "img", "id",
                List.of(), List.of("true"), List.of(), "/", "", "h", Map.of(), 15, 10, Instant.EPOCH, List.of(), List.of(),
                0, 0, 0, 0, List.of(), List.of(), false, false, -1, List.of(), false, false, false, mode, false, "/p", null, null, o);
    }

    static NetworkOptions opts(List<String> dns, List<String> search, List<String> options) {
        return NetworkOptions.of("", "", List.of(), dns, search, options, List.of(), false);
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        assertThrows(JpodException.class, () -> NetworkOptions.of("10.0.0.300", "", List.of(), List.of(), List.of(), List.of(), List.of(), false));
        assertThrows(JpodException.class, () -> NetworkOptions.of("", "92:d0:c6:0a:29", List.of(), List.of(), List.of(), List.of(), List.of(), false));
        assertThrows(JpodException.class, () -> NetworkOptions.of("", "", List.of("bad alias"), List.of(), List.of(), List.of(), List.of(), false));
        assertThrows(JpodException.class, () -> NetworkOptions.of("", "", List.of(), List.of("dns.example"), List.of(), List.of(), List.of(), false));
        JpodException e = assertThrows(JpodException.class, () -> NetworkOptions.of("", "", List.of(), List.of(), List.of(), List.of(), List.of("nocolon"), false));
        assertTrue(e.getMessage().contains("HOST:IP"), e.getMessage());
        assertThrows(JpodException.class, () -> NetworkOptions.of("", "", List.of(), List.of(), List.of(), List.of(), List.of("a:1.2.3.4"), true));
        assertEquals("92:d0:c6:0a:29:33", NetworkOptions.of("", "92:D0:C6:0A:29:33", List.of(), List.of(), List.of(), List.of(), List.of(), false).mac());
    }

    @Test
    void resolvConfKeepsTheHostsReachableServersAndPutsTheNetworksFirst() {
        assertEquals("search corp.example\nnameserver 10.0.0.2\noptions edns0\n",
                BundleWriter.resolvConf(with("none", NetworkOptions.NONE), HOST, null), "loopback resolvers are unreachable in a netns");
        assertEquals("search corp.example\nnameserver 127.0.0.53\nnameserver 10.0.0.2\noptions edns0\n",
                BundleWriter.resolvConf(with("host", NetworkOptions.NONE), HOST, null), "the host's own namespace reaches them");
        assertEquals("search dns.podman corp.example\nnameserver 10.89.0.1\nnameserver 10.0.0.2\noptions edns0\n",
                BundleWriter.resolvConf(with("net", NetworkOptions.NONE), HOST, "10.89.0.1"), "aardvark-dns first");
    }

    @Test
    void dnsFlagsTrumpTheHostAndTheNetwork() {
        assertEquals("search a.example b.example\nnameserver 1.1.1.1\noptions ndots:2\n",
                BundleWriter.resolvConf(with("net", opts(List.of("1.1.1.1"), List.of("a.example", "b.example"), List.of("ndots:2"))), HOST, "10.89.0.1"));
        assertEquals("nameserver 10.0.0.2\noptions edns0\n",
                BundleWriter.resolvConf(with("none", opts(List.of(), List.of("."), List.of())), HOST, null), "--dns-search . : no search domains");
    }
}
