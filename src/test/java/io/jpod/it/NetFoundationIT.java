package io.jpod.it;

import io.jpod.json.Json;
import io.jpod.network.CniRunner;
import io.jpod.sys.linux.LinuxNetNamespaces;
import io.jpod.sys.linux.PosixSpawnLauncher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's foundation with real parts: a network namespace made by jpod, Debian's CNI bridge and host-local
 * plugins attaching it (veth, bridge, lease) and detaching it without leaks, checked with ip(8) and ping.
 */
class NetFoundationIT {
    static final Path PLUGINS = Path.of("/usr/lib/cni");

    static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return p.exitValue() + ":" + out;
    }

    @Test
    void aNamespaceAttachedByTheBridgePluginAndDetachedWithoutLeaks() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces, veths)");
        Assumptions.assumeTrue(Files.isExecutable(PLUGINS.resolve("bridge")),
                "the CNI plugins are not installed: apt-get install containernetworking-plugins (bin/test does)");
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        Path scratch = Files.createTempDirectory(Path.of("/run"), "jpod-netit-");
        Path ns = scratch.resolve("netns/ctr");
        String bridge = "jpit" + n, name = "jpodit" + n, subnet = "10.213." + n + ".0/24";
        Map<String, Object> net = Json.parseObject("""
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "dataDir": "%s",
                            "routes": [{"dst": "0.0.0.0/0"}]}}]}""".formatted(name, bridge, subnet, scratch.resolve("ipam")));
        CniRunner cni = new CniRunner(List.of(PLUGINS), scratch.resolve("cni-cache"), PosixSpawnLauncher.INSTANCE);
        CniRunner.Attachment a = new CniRunner.Attachment("c0ffee" + n, ns, "eth0", Map.of());
        try {
            LinuxNetNamespaces.INSTANCE.create(ns);
            String links = sh("nsenter", "--net=" + ns, "ip", "-o", "link");
            assertTrue(links.startsWith("0:") && links.contains("lo:") && !links.contains("eth0"), "a new namespace has only lo: " + links);

            Map<String, Object> result = cni.add(net, a);
            @SuppressWarnings("unchecked") List<Map<String, Object>> ips = (List<Map<String, Object>>) result.get("ips");
            String ip = String.valueOf(ips.getFirst().get("address")).split("/")[0];
            assertTrue(ip.startsWith("10.213." + n + "."), "host-local gave an address in the subnet: " + result);
            assertTrue(sh("nsenter", "--net=" + ns, "ip", "-4", "-o", "addr", "show", "eth0").contains(ip), "eth0 has it inside");
            assertTrue(sh("ip", "link", "show", bridge).startsWith("0:"), "the bridge exists on the host");
            assertTrue(sh("/bin/busybox", "ping", "-c", "1", "-W", "2", ip).startsWith("0:"), "the host reaches the namespace through the bridge");
            assertTrue(Files.exists(scratch.resolve("ipam").resolve(name).resolve(ip)), "the lease is recorded");

            cni.del(net, a);
            assertFalse(sh("nsenter", "--net=" + ns, "ip", "link", "show", "eth0").startsWith("0:"), "the veth is gone");
            assertFalse(Files.exists(scratch.resolve("ipam").resolve(name).resolve(ip)), "the lease is released");
            assertFalse(Files.exists(scratch.resolve("cni-cache").resolve(name + "-" + a.containerId() + "-eth0.json")));

            LinuxNetNamespaces.INSTANCE.delete(ns);
            assertFalse(Files.exists(ns), "the namespace file is gone");
            assertFalse(sh("grep", "-q", ns.toString(), "/proc/self/mountinfo").startsWith("0:"), "and its mount");
            LinuxNetNamespaces.INSTANCE.delete(ns); // twice: nothing to do
        } finally {
            try {
                LinuxNetNamespaces.INSTANCE.delete(ns);
            } catch (RuntimeException ignored) {
                // cleaned up already
            }
            sh("ip", "link", "del", bridge);
            sh("rm", "-rf", scratch.toString());
        }
    }
}
