package io.jpod.network;

import io.jpod.json.Json;
import io.jpod.sys.ExecResult;
import io.jpod.testing.FakeClock;
import io.jpod.testing.FakeProcessLauncher;
import io.jpod.testing.FakeSyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CNI protocol as libcni speaks it, against a launcher that plays the plugins. */
class CniRunnerTest {
    @TempDir
    Path tmp;

    FakeProcessLauncher launcher;
    CniRunner cni;
    final List<String> commands = new ArrayList<>();

    static final Map<String, Object> NET = Json.parseObject("""
            {"cniVersion": "1.0.0", "name": "jpod", "plugins": [
              {"type": "bridge", "bridge": "jpod0", "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.89.0.0/24"}]]}},
              {"type": "portmap", "capabilities": {"portMappings": true}}]}""");

    static final String BRIDGE_RESULT = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[{\"address\":\"10.89.0.2/24\"}]}";

    @BeforeEach
    void setUp() throws IOException {
        launcher = new FakeProcessLauncher(new FakeSyscalls(new FakeClock()));
        Path plugins = Files.createDirectories(tmp.resolve("cni"));
        for (String p : List.of("bridge", "portmap", "host-local")) {
            Files.writeString(plugins.resolve(p), "#!/bin/sh\n");
            Files.setPosixFilePermissions(plugins.resolve(p), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        cni = new CniRunner(List.of(tmp.resolve("nowhere"), plugins), tmp.resolve("cache"), launcher);
    }

    /** The plugins: bridge answers ADD with an IP, portmap passes its prevResult on; what each got is recorded. */
    void plugins(String failing) {
        launcher.onRun(argv -> {
            String type = Path.of(argv.getFirst()).getFileName().toString();
            List<String> env = launcher.ranEnv.getLast();
            String cmd = env.stream().filter(e -> e.startsWith("CNI_COMMAND=")).findFirst().orElseThrow().substring(12);
            commands.add(cmd + " " + type);
            if (type.equals(failing) && cmd.equals("ADD")) {
                return new ExecResult(1, "{\"code\": 7, \"msg\": \"port 8080 is taken\", \"details\": \"bind: address in use\"}"
                        .getBytes(StandardCharsets.UTF_8), new byte[0]);
            }
            if (!cmd.equals("ADD")) return FakeProcessLauncher.ok("");
            if (type.equals("bridge")) return FakeProcessLauncher.ok(BRIDGE_RESULT);
            @SuppressWarnings("unchecked") Map<String, Object> prev = (Map<String, Object>) stdin(launcher.ranStdin.size() - 1).get("prevResult");
            return FakeProcessLauncher.ok(Json.write(prev));
        });
    }

    Map<String, Object> stdin(int i) {
        return Json.parseObject(new String(launcher.ranStdin.get(i), StandardCharsets.UTF_8));
    }

    static final CniRunner.Attachment A = new CniRunner.Attachment("c0ffee", Path.of("/run/jpod/netns/x"), "eth0",
            Map.of("IgnoreUnknown", "1"));

    @Test
    void addRunsThePluginsInOrderChainingTheResultAndCachesIt() {
        plugins(null);
        Map<String, Object> r = cni.add(NET, A);
        assertEquals(List.of("ADD bridge", "ADD portmap"), commands);
        assertEquals(Json.parseObject(BRIDGE_RESULT), r);
        Map<String, Object> first = stdin(0), second = stdin(1);
        assertEquals("jpod", first.get("name"));
        assertEquals("1.0.0", first.get("cniVersion"));
        assertEquals("jpod0", first.get("bridge"));
        assertFalse(first.containsKey("prevResult"), "the first plugin has no previous result");
        assertEquals(Json.parseObject(BRIDGE_RESULT), second.get("prevResult"));
        List<String> env = launcher.ranEnv.getFirst();
        assertTrue(env.containsAll(List.of("CNI_COMMAND=ADD", "CNI_CONTAINERID=c0ffee", "CNI_NETNS=/run/jpod/netns/x",
                "CNI_IFNAME=eth0", "CNI_ARGS=IgnoreUnknown=1", "CNI_PATH=" + tmp.resolve("nowhere") + ":" + tmp.resolve("cni"))), env.toString());
        assertTrue(Files.exists(tmp.resolve("cache/jpod-c0ffee-eth0.json")));
    }

    @Test
    void delRunsThemInReverseWithTheCachedResultAndDropsTheCache() {
        plugins(null);
        cni.add(NET, A);
        commands.clear();
        int before = launcher.ranStdin.size();
        cni.del(NET, A);
        assertEquals(List.of("DEL portmap", "DEL bridge"), commands);
        assertEquals(Json.parseObject(BRIDGE_RESULT), stdin(before).get("prevResult"));
        assertFalse(Files.exists(tmp.resolve("cache/jpod-c0ffee-eth0.json")));
        commands.clear();
        cni.del(NET, A); // again, without a cache: the plugins still get a DEL, without prevResult
        assertEquals(List.of("DEL portmap", "DEL bridge"), commands);
        assertNull(stdin(launcher.ranStdin.size() - 1).get("prevResult"));
    }

    @Test
    void releasingTheAddressRunsOnlyTheIpamPluginWithTheMainPluginsConfigAndNoNamespace() {
        plugins(null);
        cni.add(NET, A);
        commands.clear();
        cni.releaseAddress(NET, A);
        assertEquals(List.of("DEL host-local"), commands, "the namespace goes with its veth: only the lease is given back");
        Map<String, Object> in = stdin(launcher.ranStdin.size() - 1);
        assertEquals("jpod0", in.get("bridge"), "the bridge plugin's own config, as it hands it to its IPAM plugin");
        assertEquals(Json.parseObject(BRIDGE_RESULT), in.get("prevResult"));
        assertTrue(launcher.ranEnv.getLast().contains("CNI_NETNS="), launcher.ranEnv.getLast().toString());
        assertFalse(Files.exists(tmp.resolve("cache/jpod-c0ffee-eth0.json")));
    }

    @Test
    void aFailedAddIsUndoneAndSaysWhatThePluginSaid() {
        plugins("portmap");
        CniException e = assertThrows(CniException.class, () -> cni.add(NET, A));
        assertEquals(7, e.code());
        assertEquals("CNI plugin portmap failed (ADD on network jpod): port 8080 is taken: bind: address in use", e.getMessage());
        assertEquals(List.of("ADD bridge", "ADD portmap", "DEL portmap", "DEL bridge"), commands, "nothing half-attached");
        assertFalse(Files.exists(tmp.resolve("cache/jpod-c0ffee-eth0.json")));
    }

    @Test
    void missingOrPathLikePluginsAreRefusedByName() {
        Map<String, Object> net = Json.parseObject("{\"name\": \"n\", \"plugins\": [{\"type\": \"macvlan\"}]}");
        CniException e = assertThrows(CniException.class, () -> cni.add(net, A));
        assertTrue(e.getMessage().contains("CNI plugin \"macvlan\" not found"), e.getMessage());
        Map<String, Object> evil = Json.parseObject("{\"name\": \"n\", \"plugins\": [{\"type\": \"../../bin/sh\"}]}");
        assertTrue(assertThrows(CniException.class, () -> cni.add(evil, A)).getMessage().contains("plain program name"));
        assertThrows(IllegalArgumentException.class, () -> cni.add(Json.parseObject("{\"name\": \"n\"}"), A));
    }
}
