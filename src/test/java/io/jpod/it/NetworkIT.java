package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --network bridge with real traffic: busybox httpd reached from the host by address and through a published
 * port, and from another container; clean-up (namespace, lease, port rules) checked after stop and rm -f.
 */
class NetworkIT extends CliIT {
    static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    static String http(String url) throws Exception {
        for (int i = 0; ; i++) {
            try (var in = URI.create(url).toURL().openStream()) {
                return new String(in.readAllBytes()).strip();
            } catch (IOException e) {
                if (i >= 50) throw e;
                Thread.sleep(100); // httpd is still starting
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String web(String name, int hostPort) {
        return cli.ok("run", "-d", "--name", name, "--network", "bridge", "-p", hostPort + ":80", JpodCli.IMAGE, "sh", "-c",
                "mkdir -p /www && echo hello-" + name + " > /www/index.html && exec httpd -f -p 80 -h /www").out();
    }

    @Test
    void bridgeNetworkingCarriesTrafficAndLeavesNothingBehind() throws Exception {
        String n = cli.name("web");
        int port = freePort();
        String id = web(n, port);
        String ip = cli.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", n).out();
        assertTrue(ip.matches("10\\.\\d+\\.\\d+\\.\\d+"), "an address on the default network: " + ip);
        assertEquals("hello-" + n, http("http://" + ip + "/"), "by address from the host");
        assertEquals("hello-" + n, http("http://127.0.0.1:" + port + "/"), "through the published port");
        Result other = cli.ok("run", "--rm", "--network", "bridge", JpodCli.IMAGE, "sh", "-c",
                "wget -q -O - http://" + ip + "/; grep -c \"$(hostname)\" /etc/hosts");
        assertEquals("hello-" + n + "\n1\n", other.stdout(), "from another container; its /etc/hosts names it by its address");
        assertTrue(Files.exists(cli.runRoot().resolve("netns").resolve(id)));
        assertTrue(sh("iptables-save").contains(id), "portmap's rules name the container");

        cli.ok("stop", "-t", "0", n);
        assertFalse(Files.exists(cli.runRoot().resolve("netns").resolve(id)), "stop detaches: no namespace");
        assertFalse(sh("iptables-save").contains(id), "no port rule");
        String bridge = "jpod" + ip.split("\\.")[1];
        assertFalse(Files.exists(java.nio.file.Path.of("/run/jpod-ipam", bridge, "jpod", ip)), "no lease");
        cli.ok("start", n);
        String again = cli.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", n).out();
        assertEquals("hello-" + n, http("http://" + again + "/"), "start attaches again");
        cli.ok("rm", "-f", "-t", "0", n);
        assertFalse(Files.exists(cli.runRoot().resolve("netns").resolve(id)));
        assertFalse(sh("iptables-save").contains(id));
    }

    @Test
    void networkVerbsAndAContainerOnANamedNetwork() throws Exception {
        String net = cli.name("net");
        // a subnet nothing on this host routes yet (other tests' and tools' bridges may hold some)
        int b = 0;
        String routes = sh("ip", "-4", "route");
        for (int cand = 160; cand < 250 && b == 0; cand++) if (!routes.contains("10." + cand + ".")) b = cand;
        assertEquals(net, cli.ok("network", "create", "--subnet", "10." + b + ".7.0/24", "--label", "team=a", net).out());
        assertTrue(cli.ok("network", "ls", "--format", "{{.Name}} {{.Driver}}").lines().contains(net + " bridge"));
        assertEquals("10." + b + ".7.0/24", cli.ok("network", "inspect", "--format", "{{(index .subnets 0).subnet}}", net).out());
        Result clash = cli.run("network", "create", "--subnet", "10." + b + ".7.128/25", net + "x");
        assertEquals(125, clash.exit());
        assertTrue(clash.stderr().contains("is already used"), clash.stderr());
        String c = cli.name("onnet");
        cli.ok("run", "-d", "--name", c, "--network", net, JpodCli.IMAGE, "sleep", "100");
        assertTrue(cli.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", c).out().startsWith("10." + b + ".7."));
        Result busy = cli.run("network", "rm", net);
        assertEquals(125, busy.exit());
        assertTrue(busy.stderr().contains("is being used by 1 container"), busy.stderr());
        String bridge = cli.ok("network", "inspect", "--format", "{{.network_interface}}", net).out();
        assertEquals(net, cli.ok("network", "rm", "-f", net).out(), "-f removes its containers too");
        assertFalse(sh("ip", "-o", "link").contains(bridge + ":"), "and its bridge goes with it");
        assertEquals(1, cli.run("container", "exists", c).exit());
        assertEquals(1, cli.run("network", "exists", net).exit());
        Result unknown = cli.run("network", "inspect", "nosuch");
        assertEquals(125, unknown.exit());
        assertTrue(unknown.stderr().contains("network not found"), unknown.stderr());
    }

    @Test
    void containersOnANetworkReachEachOtherByName() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java.nio.file.Path.of("/usr/lib/podman/aardvark-dns")),
                "aardvark-dns is not installed (apt-get install aardvark-dns)");
        String net = cli.name("dnsnet");
        cli.ok("network", "create", net);
        String server = cli.name("srv");
        String id = cli.ok("run", "-d", "--name", server, "--network", net, JpodCli.IMAGE, "sh", "-c",
                "mkdir -p /www && echo by-name > /www/index.html && exec httpd -f -p 80 -h /www").out();
        Result r = cli.ok("run", "--rm", "--network", net, JpodCli.IMAGE, "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://" + server + "/ && break; sleep 0.2; done; "
                        + "wget -q -O - http://" + id.substring(0, 12) + "/; grep -c 'search dns.podman' /etc/resolv.conf");
        assertEquals("by-name\nby-name\n1\n", r.stdout(), "by name and by short ID, through aardvark-dns on the gateway");
        cli.ok("rm", "-f", "-t", "0", server);
        assertFalse(Files.exists(cli.runRoot().resolve("aardvark-dns").resolve(net)), "the network's names go with its last container");
        cli.ok("network", "rm", net);
    }

    @Test
    void publishAllPutsTheImagesExposedPortsOnFreeHostPorts() throws Exception {
        cli.importBusybox("localhost/bbexpose", "CMD=[\"sh\"]", "EXPOSE 80", JpodCli.PATH_ENV);
        String n = cli.name("pall");
        cli.ok("run", "-d", "--name", n, "--network", "bridge", "-P", "localhost/bbexpose", "sh", "-c",
                "mkdir -p /www && echo all-published > /www/index.html && exec httpd -f -p 80 -h /www");
        String mapped = cli.ok("port", n, "80/tcp").out();
        assertTrue(mapped.matches("0\\.0\\.0\\.0:\\d+"), mapped);
        assertEquals("all-published", http("http://127.0.0.1:" + mapped.substring(mapped.indexOf(':') + 1) + "/"));
        cli.ok("rm", "-f", "-t", "0", n);
        cli.ok("rmi", "localhost/bbexpose");
    }

    @Test
    void aTakenPortFailsBeforeAnythingIsLeftAndNoneHasOnlyLo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String n = cli.name("taken");
            Result r = cli.run("run", "-d", "--name", n, "--network", "bridge", "-p", taken.getLocalPort() + ":80",
                    JpodCli.IMAGE, "sleep", "100");
            assertEquals(125, r.exit(), r::toString);
            assertTrue(r.stderr().contains("cannot reserve host port " + taken.getLocalPort()), r.stderr());
            try (var ns = Files.list(cli.runRoot().resolve("netns"))) {
                assertEquals(0, ns.count(), "no namespace left by the failed start");
            } catch (java.nio.file.NoSuchFileException none) {
                // never made one
            }
        }
        Result lo = cli.ok("run", "--rm", "--network", "none", JpodCli.IMAGE, "sh", "-c", "ls /sys/class/net");
        assertEquals("lo", lo.out());
        Result unknown = cli.run("run", "--rm", "--network", "nosuchnet", JpodCli.IMAGE, "true");
        assertEquals(125, unknown.exit());
        assertEquals(1, unknown.errLines().size(), unknown::toString);
    }
}
