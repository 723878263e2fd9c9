package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.jpod.it.NetworkIT.freePort;
import static io.jpod.it.NetworkIT.http;
import static io.jpod.it.NetworkIT.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network flags and verbs with real traffic: --ip, --mac-address, --network-alias, --dns and its kin, --add-host, --no-hosts,
 * connect/disconnect on running containers, isolation between networks, --network container:, UDP through a
 * published port, bad input that leaves nothing, and the clean-up after CLIs killed mid-way.
 */
class NetworkOptionsIT extends CliIT {
    static final String HTTPD = "mkdir -p /www && echo %s > /www/index.html && exec httpd -f -p 80 -h /www";

    /** A subnet no host route holds (other tests' and tools' bridges may hold some); b.c.0/24. */
    static String freeSubnet() throws Exception {
        String routes = sh("ip", "-4", "route");
        for (int b = 180; b < 250; b++) {
            int c = ThreadLocalRandom.current().nextInt(1, 250);
            if (!routes.contains("10." + b + ".")) return "10." + b + "." + c;
        }
        throw new AssertionError("no free 10.x subnet on this host");
    }

    String network(String base) throws Exception {
        String net = cli.name(base);
        cli.ok("network", "create", "--subnet", freeSubnet() + ".0/24", net);
        return net;
    }

    String prefix(String net) {
        String subnet = cli.ok("network", "inspect", "--format", "{{(index .subnets 0).subnet}}", net).out();
        return subnet.substring(0, subnet.lastIndexOf('.'));
    }

    @Test
    void fixedAddressMacAliasesAndResolverFlags() throws Exception {
        String net = network("optnet");
        String p = prefix(net);
        String n = cli.name("fixed");
        cli.ok("run", "-d", "--name", n, "--network", net, "--ip", p + ".50", "--mac-address", "92:d0:c6:0a:29:33",
                "--network-alias", "webby", "--add-host", "db.example:192.0.2.7", "--dns", "192.0.2.53",
                "--dns-search", "corp.example", "--dns-option", "ndots:2", JpodCli.IMAGE, "sh", "-c", HTTPD.formatted("fixed"));
        Result in = cli.ok("exec", n, "sh", "-c", "ip -o -4 addr show eth0; cat /sys/class/net/eth0/address; cat /etc/resolv.conf /etc/hosts");
        assertTrue(in.stdout().contains("inet " + p + ".50/24"), in.stdout());
        assertTrue(in.stdout().contains("92:d0:c6:0a:29:33"), in.stdout());
        assertTrue(in.stdout().contains("search corp.example\nnameserver 192.0.2.53\noptions ndots:2\n"), "--dns trumps the network's: " + in.stdout());
        assertTrue(in.stdout().contains("192.0.2.7\tdb.example"), in.stdout());
        assertEquals(p + ".50 92:d0:c6:0a:29:33 webby", cli.ok("inspect", "--format",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.MacAddress}} {{index .Aliases 1}}{{end}}", n).out());
        assertEquals("[192.0.2.53] [db.example:192.0.2.7]", cli.ok("inspect", "--format", "{{.HostConfig.Dns}} {{.HostConfig.ExtraHosts}}", n).out());
        // the alias resolves for the network's other containers (aardvark-dns)
        if (Files.isExecutable(Path.of("/usr/lib/podman/aardvark-dns"))) {
            Result byAlias = cli.ok("run", "--rm", "--network", net, JpodCli.IMAGE, "sh", "-c",
                    "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://webby/ && break; sleep 0.2; done");
            assertEquals("fixed", byAlias.out());
        }
        Result taken = cli.run("run", "--rm", "--network", net, "--ip", p + ".50", JpodCli.IMAGE, "true");
        assertEquals(125, taken.exit(), taken::toString);
        Result noHosts = cli.ok("run", "--rm", "--network", net, "--no-hosts", JpodCli.IMAGE, "sh", "-c", "cat /etc/hosts 2>&1; true");
        assertFalse(noHosts.stdout().contains(p + "."), "--no-hosts: the image's /etc/hosts, not jpod's: " + noHosts.stdout());
        cli.ok("rm", "-f", "-t", "0", n);
        cli.ok("network", "rm", net);
    }

    @Test
    void badNetworkFlagsAreOneLineAndLeaveNothing() throws Exception {
        String net = network("badnet");
        String p = prefix(net);
        for (String[] args : List.of(
                new String[]{"--network", net, "--ip", "10.255.255.250"},
                new String[]{"--network", net, "--ip", p + ".300"},
                new String[]{"--network", "none", "--ip", p + ".9"},
                new String[]{"--network", net, "--mac-address", "zz:00"},
                new String[]{"--network", net, "--add-host", "nocolon"},
                new String[]{"--network", "container:nosuchcontainer"})) {
            List<String> argv = new ArrayList<>(List.of("run", "-d", "--name", cli.name("bad")));
            argv.addAll(List.of(args));
            argv.addAll(List.of(JpodCli.IMAGE, "true"));
            Result r = cli.run(argv.toArray(String[]::new));
            assertEquals(125, r.exit(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
        }
        assertEquals("", cli.ok("ps", "-a", "-q").out(), "no container made");
        try (var ns = Files.list(cli.runRoot().resolve("netns"))) {
            assertEquals(0, ns.count());
        } catch (java.nio.file.NoSuchFileException none) {
            // never made one
        }
        cli.ok("network", "rm", net);
    }

    @Test
    void networksAreIsolatedUntilConnectAndDisconnectTakesTheInterfaceAway() throws Exception {
        String a = network("neta"), b = network("netb");
        String web = cli.name("weba"), client = cli.name("clientb");
        cli.ok("run", "-d", "--name", web, "--network", a, JpodCli.IMAGE, "sh", "-c", HTTPD.formatted("on-a"));
        cli.ok("run", "-d", "--name", client, "--network", b, JpodCli.IMAGE, "sleep", "300");
        String webIp = cli.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", web).out();
        http("http://" + webIp + "/"); // up, and reachable from the host
        Result blocked = cli.run("exec", client, "sh", "-c", "timeout 3 wget -q -O - http://" + webIp + "/");
        assertTrue(blocked.exit() != 0 && !blocked.stdout().contains("on-a"), "another network cannot reach it: " + blocked);

        int port = NetworkIT.freePort();
        String pub = cli.name("pub");
        cli.ok("run", "-d", "--name", pub, "--network", a, "-p", port + ":80", JpodCli.IMAGE, "sh", "-c", HTTPD.formatted("published"));
        String gatewayB = cli.ok("network", "inspect", "--format", "{{(index .subnets 0).gateway}}", b).out();
        assertEquals("published", cli.ok("exec", client, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://"
                + gatewayB + ":" + port + "/ && break; sleep 0.2; done").out(), "a published port is reachable from other networks' containers");
        cli.ok("rm", "-f", "-t", "0", pub);
        cli.ok("network", "connect", b, web);
        assertEquals(a + "," + b, cli.ok("inspect", "--format", "{{.HostConfig.NetworkMode}}", web).out());
        String onB = cli.ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + b + "\").IPAddress}}", web).out();
        assertTrue(onB.startsWith(prefix(b) + "."), onB);
        assertEquals("on-a", cli.ok("exec", client, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://" + onB
                + "/ && break; sleep 0.2; done").out(), "connected: reachable on the shared network");
        Result again = cli.run("network", "connect", b, web);
        assertEquals(125, again.exit(), again::toString);

        cli.ok("network", "disconnect", b, web);
        assertEquals("eth0", cli.ok("exec", web, "sh", "-c", "ls /sys/class/net | grep eth").out(), "eth1 is gone");
        assertEquals(a, cli.ok("inspect", "--format", "{{.HostConfig.NetworkMode}}", web).out());
        String bridgeA = cli.ok("network", "inspect", "--format", "{{.network_interface}}", a).out();
        cli.ok("rm", "-f", "-t", "0", web, client);
        String veths = "";
        for (int i = 0; i < 40; i++) { // the veths go with their namespaces, in the kernel's own time
            veths = sh("ip", "-o", "link", "show", "master", bridgeA);
            if (veths.isBlank()) break;
            Thread.sleep(50);
        }
        assertEquals("", veths.strip(), "no veth left on the bridge");
        cli.ok("network", "rm", a, b);
    }

    @Test
    void containerModeSharesTheNetworkNamespace() throws Exception {
        String web = cli.name("owner");
        cli.ok("run", "-d", "--name", web, "--network", "bridge", JpodCli.IMAGE, "sh", "-c", HTTPD.formatted("shared"));
        String ip = cli.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", web).out();
        Result joined = cli.ok("run", "--rm", "--network", "container:" + web, JpodCli.IMAGE, "sh", "-c",
                "ip -o -4 addr show eth0 | grep -c ' " + ip + "/'; for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1/ && break; sleep 0.2; done");
        assertEquals("1\nshared", joined.out(), "the same eth0, and its lo (up) reaches the owner's httpd");
        cli.ok("stop", "-t", "0", web);
        Result stopped = cli.run("run", "--rm", "--network", "container:" + web, JpodCli.IMAGE, "true");
        assertEquals(125, stopped.exit(), stopped::toString);
        assertTrue(stopped.stderr().contains("start it first"), stopped.stderr());
        cli.ok("rm", "-f", web);
    }

    @Test
    void udpThroughAPublishedPort() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 for a UDP echo server (busybox has none): apt-get install python3-minimal");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        String n = cli.name("udp");
        // the host's python, run by the host's loader from a read-only view of /
        cli.ok("run", "-d", "--name", n, "--network", "bridge", "-p", port + ":9999/udp", "-v", "/:/host:ro", "-e", "PYTHONHOME=/host/usr",
                JpodCli.IMAGE, "/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "--library-path", "/host/usr/lib/x86_64-linux-gnu",
                "/host/usr/bin/python3", "-c", "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',9999))\n"
                        + "while True:\n    d,a=s.recvfrom(100)\n    s.sendto(b'echo:'+d,a)\n");
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(500);
            byte[] buf = new byte[100];
            for (int i = 0; ; i++) {
                s.send(new DatagramPacket("hi".getBytes(StandardCharsets.UTF_8), 2, InetAddress.getLoopbackAddress(), port));
                DatagramPacket got = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(got);
                    assertEquals("echo:hi", new String(buf, 0, got.getLength(), StandardCharsets.UTF_8));
                    break;
                } catch (java.net.SocketTimeoutException e) {
                    if (i >= 20) throw e; // the server is still starting
                }
            }
        }
        String id = cli.ok("inspect", "--format", "{{.Id}}", n).out();
        cli.ok("rm", "-f", "-t", "0", n);
        assertFalse(sh("iptables-save", "-t", "nat").contains(id), "its port rules went with it");
    }

    @Test
    void killedClisLeaveNothingThatRmDoesNotTakeAway() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String n = cli.name("killed");
            names.add(n);
            JpodCli.Running r = cli.start(null, "run", "-d", "--name", n, "--network", "bridge", "-p", freePort() + ":80",
                    JpodCli.IMAGE, "sleep", "300");
            Thread.sleep(150 + i * 120L); // somewhere in create, attach or conmon's start
            r.sigkill();
            r.await(java.time.Duration.ofSeconds(10));
        }
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            Result id = cli.run("inspect", "--format", "{{.Id}}", n);
            if (id.exit() == 0) ids.add(id.out());
            cli.run("rm", "-f", "-t", "0", n);
        }
        try (var ns = Files.list(cli.runRoot().resolve("netns"))) {
            assertEquals(List.of(), ns.toList(), "no namespace left");
        } catch (java.nio.file.NoSuchFileException none) {
            // never made one
        }
        String rules = sh("iptables-save");
        String leases = sh("sh", "-c", "cat /run/jpod-ipam/*/*/* 2>/dev/null; true");
        try (var cache = Files.list(cli.runRoot().resolve("cni"))) {
            List<String> left = cache.map(p -> p.getFileName().toString()).filter(f -> ids.stream().anyMatch(f::contains)).toList();
            assertEquals(List.of(), left, "no CNI result cached");
        } catch (java.nio.file.NoSuchFileException none) {
            // never attached
        }
        for (String id : ids) {
            assertFalse(rules.contains(id), "no port rule for " + id);
            assertFalse(leases.contains(id), "no lease for " + id);
        }
    }
}
