package io.jpod.network;

import io.jpod.oci.PortMapping;
import io.jpod.sys.ExecResult;
import io.jpod.testing.FakeClock;
import io.jpod.testing.FakeProcessLauncher;
import io.jpod.testing.FakeSyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jpod's firewall against a small model of iptables-save/-restore (tables, chains, rules; -D of a missing rule fails). */
class IptablesFirewallTest {
    @TempDir
    Path tmp;

    /** table -> chain -> rules (as "-A CHAIN spec" lines, in order); built-in chains exist from the start. */
    final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    FakeProcessLauncher launcher;
    IptablesFirewall fw;
    int restores, saves;

    static final Network NET = new Network("front", "ab12", "jpodnab12", "10.150.0.0/24", "10.150.0.1", false, Map.of(), null, true);
    static final Network INTERNAL = new Network("back", "cd34", "jpodncd34", "10.151.0.0/24", "10.151.0.1", true, Map.of(), null, true);
    static final String CID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @BeforeEach
    void setUp() {
        tables.put("filter", new LinkedHashMap<>(Map.of("FORWARD", new ArrayList<>(), "INPUT", new ArrayList<>())));
        tables.put("nat", new LinkedHashMap<>(Map.of("PREROUTING", new ArrayList<>(), "OUTPUT", new ArrayList<>(), "POSTROUTING", new ArrayList<>())));
        launcher = new FakeProcessLauncher(new FakeSyscalls(new FakeClock()));
        launcher.onRun(argv -> {
            String exe = Path.of(argv.getFirst()).getFileName().toString();
            if (exe.equals("iptables-save")) {
                saves++;
                return FakeProcessLauncher.ok(save(argv.get(2)));
            }
            restores++;
            assertEquals(List.of("--noflush", "--wait"), argv.subList(1, argv.size()));
            return restore(new String(launcher.ranStdin.getLast(), StandardCharsets.UTF_8));
        });
        fw = new IptablesFirewall(tmp.resolve("fw"), launcher, Path.of("/usr/sbin"));
    }

    String save(String table) {
        StringBuilder s = new StringBuilder("*" + table + "\n");
        tables.get(table).keySet().forEach(c -> s.append(':').append(c).append(" - [0:0]\n"));
        tables.get(table).values().forEach(rules -> rules.forEach(r -> s.append(r).append('\n')));
        return s.append("COMMIT\n").toString();
    }

    /** Applies a restore batch per table, all or nothing, as iptables-restore commits. */
    ExecResult restore(String in) {
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        tables.forEach((t, chains) -> {
            Map<String, List<String>> c = new LinkedHashMap<>();
            chains.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
            copy.put(t, c);
        });
        Map<String, List<String>> cur = null;
        for (String line : in.split("\n")) {
            if (line.startsWith("*")) cur = copy.get(line.substring(1));
            else if (line.equals("COMMIT")) cur = null;
            else if (line.startsWith(":")) {
                String chain = line.substring(1, line.indexOf(' '));
                cur.put(chain, new ArrayList<>());
            } else {
                String[] w = line.split(" ", 3);
                List<String> rules = cur.get(w[1]);
                if (rules == null) return FakeProcessLauncher.fail(1, "iptables-restore: line: chain " + w[1] + " does not exist");
                String rule = "-A " + w[1] + (w.length > 2 ? " " + w[2] : "");
                switch (w[0]) {
                    case "-A" -> rules.add(rule);
                    case "-I" -> rules.addFirst(rule);
                    case "-D" -> {
                        if (!rules.remove(rule)) return FakeProcessLauncher.fail(1, "iptables-restore: Bad rule (does a matching rule exist in that chain?)");
                    }
                    case "-F" -> rules.clear();
                    case "-X" -> {
                        if (!rules.isEmpty()) return FakeProcessLauncher.fail(1, "iptables-restore: Directory not empty");
                        cur.remove(w[1]);
                    }
                    default -> throw new AssertionError(line);
                }
            }
        }
        tables.clear();
        tables.putAll(copy);
        return FakeProcessLauncher.ok("");
    }

    List<String> rules(String table, String chain) {
        return tables.get(table).getOrDefault(chain, List.of());
    }

    @Test
    void aNetworksRulesAreAddedOnceInOneBatchAndCostNothingAfterwards() {
        fw.ensureNetwork(NET);
        assertEquals(1, restores, "one iptables-restore for every rule");
        assertEquals(List.of("-A FORWARD -j JPOD-FORWARD"), rules("filter", "FORWARD"));
        assertEquals(List.of("-A JPOD-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A JPOD-FORWARD -j JPOD-F-jpodnab12"), rules("filter", "JPOD-FORWARD"));
        assertTrue(rules("filter", "JPOD-F-jpodnab12").contains("-A JPOD-F-jpodnab12 -i jpodnab12 -o jpod+ -j DROP"),
                "nothing new from this network into another jpod network");
        assertEquals(List.of("-A JPOD-N-jpodnab12 -d 10.150.0.0/24 -j RETURN", "-A JPOD-N-jpodnab12 ! -d 224.0.0.0/4 -j MASQUERADE"),
                rules("nat", "JPOD-N-jpodnab12"));
        fw.ensureNetwork(NET);
        assertEquals(1, restores);
        assertEquals(2, saves, "filter and nat read once");

        fw.ensureNetwork(INTERNAL);
        assertEquals(List.of("-A FORWARD -j JPOD-FORWARD"), rules("filter", "FORWARD"), "shared jumps are not added twice");
        assertTrue(rules("filter", "JPOD-F-jpodncd34").contains("-A JPOD-F-jpodncd34 -i jpodncd34 -j DROP"), "internal: nothing out");
        assertFalse(tables.get("nat").containsKey("JPOD-N-jpodncd34"), "internal: no masquerade");
    }

    @Test
    void publishedPortsComeAndGoWithTheirContainer() {
        fw.ensureNetwork(NET);
        fw.publish(NET, CID, "10.150.0.5", List.of(new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 5353, 53, "udp")));
        String chain = "JPOD-DN-0123456789abcdef";
        assertEquals(List.of(
                "-A JPOD-HOSTPORT-DNAT -p tcp --dport 8080 -m comment --comment \"jpod " + CID + "\" -j " + chain,
                "-A JPOD-HOSTPORT-DNAT -d 127.0.0.1/32 -p udp --dport 5353 -m comment --comment \"jpod " + CID + "\" -j " + chain),
                rules("nat", "JPOD-HOSTPORT-DNAT"));
        assertTrue(rules("nat", chain).contains("-A " + chain + " -p tcp --dport 8080 -j DNAT --to-destination 10.150.0.5:80"));
        assertTrue(rules("nat", chain).contains("-A " + chain + " -s 127.0.0.1/32 -p tcp --dport 8080 -j JPOD-HOSTPORT-SETMARK"),
                "from the host itself: masqueraded, or replies would not find their way");
        int before = restores;
        fw.unpublish(CID);
        assertEquals(before + 1, restores, "one batch to remove them");
        assertEquals(List.of(), rules("nat", "JPOD-HOSTPORT-DNAT"));
        assertFalse(tables.get("nat").containsKey(chain));
        fw.unpublish(CID);
        assertEquals(before + 1, restores, "nothing published: no process");
    }

    @Test
    void unpublishAfterSomeoneFlushedTheRulesDeletesWhatIsLeft() {
        fw.ensureNetwork(NET);
        fw.publish(NET, CID, "10.150.0.5", List.of(new PortMapping("", 8080, 80, "tcp"), new PortMapping("", 8081, 81, "tcp")));
        rules("nat", "JPOD-HOSTPORT-DNAT").removeFirst(); // half gone: the batch's -D of it fails
        fw.unpublish(CID);
        assertEquals(List.of(), rules("nat", "JPOD-HOSTPORT-DNAT"));
        assertFalse(tables.get("nat").containsKey("JPOD-DN-0123456789abcdef"));
        assertFalse(Files.exists(tmp.resolve("fw").resolve("ctr-" + CID)));
    }

    @Test
    void droppingANetworkRemovesItsChainsAndJumpsAndReloadPutsThemBack() {
        fw.ensureNetwork(NET);
        fw.ensureNetwork(INTERNAL);
        fw.dropNetwork(NET);
        assertFalse(tables.get("filter").containsKey("JPOD-F-jpodnab12"));
        assertFalse(tables.get("nat").containsKey("JPOD-N-jpodnab12"));
        assertEquals(List.of("-A JPOD-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-A JPOD-FORWARD -j JPOD-F-jpodncd34"),
                rules("filter", "JPOD-FORWARD"), "the other network keeps its rules");
        // someone flushes everything (a firewall reload): the markers still say "in place" until network reload
        setUp();
        fw.reload(List.of(INTERNAL));
        assertTrue(tables.get("filter").containsKey("JPOD-F-jpodncd34"));
        assertEquals(List.of("-A FORWARD -j JPOD-FORWARD"), rules("filter", "FORWARD"));
    }

    @Test
    void aFailingRestoreSaysWhatFailedAndMarksNothing() {
        launcher.onRun(argv -> argv.getFirst().endsWith("iptables-save") ? FakeProcessLauncher.ok("*filter\nCOMMIT\n")
                : FakeProcessLauncher.fail(2, "iptables-restore v1.8.9 (nf_tables): Couldn't load match `conntrack'"));
        NetworkException e = assertThrows(NetworkException.class, () -> fw.ensureNetwork(NET));
        assertTrue(e.getMessage().contains("iptables-restore") && e.getMessage().contains("conntrack"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("fw").resolve("net-jpodnab12")), "tried again next time");
    }
}
