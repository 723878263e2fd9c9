package io.jpod.network;

import io.jpod.oci.PortMapping;
import io.jpod.sys.ExecResult;
import io.jpod.sys.ProcessLauncher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@link Firewall} through iptables-restore: each change is one batch, committed per table atomically, instead of
 * a process per rule (the CNI portmap and firewall plugins call iptables some twenty times per container; podman's
 * netavark about 36). Shared chains (JPOD-FORWARD in filter; JPOD-POSTROUTING, JPOD-HOSTPORT-DNAT and
 * JPOD-HOSTPORT-SETMARK in nat) hold a jump per network into the network's own chains and a jump per published
 * port into the container's own chain, so a network or a container is removed by deleting its jumps and chains.
 *
 * <p>What is known to be in place is remembered in files under a host-wide run dir (gone at reboot, as the rules
 * are): a network's rules cost nothing for its second container. The files also say exactly what to delete.
 * Changes run under a lock file there, since several jpods (with different stores) share the host's tables.
 */
public final class IptablesFirewall implements Firewall {
    static final String FORWARD = "JPOD-FORWARD";
    static final String POSTROUTING = "JPOD-POSTROUTING";
    static final String DNAT = "JPOD-HOSTPORT-DNAT";
    static final String SETMARK = "JPOD-HOSTPORT-SETMARK";
    static final String MARK = "0x2000/0x2000";
    private static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");

    private final Path stateDir;
    private final ProcessLauncher launcher;
    private final String restore;
    private final String save;

    public IptablesFirewall(Path stateDir, ProcessLauncher launcher, Path sbin) {
        this.stateDir = stateDir;
        this.launcher = launcher;
        this.restore = sbin.resolve("iptables-restore").toString();
        this.save = sbin.resolve("iptables-save").toString();
    }

    /** Debian's iptables (/usr/sbin), or /sbin on older layouts. */
    public static IptablesFirewall host(Path stateDir, ProcessLauncher launcher) {
        Path sbin = Files.isExecutable(Path.of("/usr/sbin/iptables-restore")) ? Path.of("/usr/sbin") : Path.of("/sbin");
        return new IptablesFirewall(stateDir, launcher, sbin);
    }

    @Override
    public void ensureNetwork(Network net) {
        Path marker = stateDir.resolve("net-" + net.bridge());
        if (Files.exists(marker)) return; // the common case: no process at all
        locked(() -> {
            if (Files.exists(marker)) return;
            String saved = saved();
            StringBuilder nat = new StringBuilder(), filter = new StringBuilder();
            base(saved, nat, filter);
            // the network's own chains: declaring them creates or empties them, so this also repairs them
            String f = netChain("F", net), n = netChain("N", net), br = net.bridge();
            filter.append(':').append(f).append(" - [0:0]\n");
            filter.append("-A ").append(f).append(" -o ").append(br).append(" -m conntrack --ctstate DNAT -j ACCEPT\n");
            filter.append("-A ").append(f).append(" -i ").append(br).append(" -o ").append(br).append(" -j ACCEPT\n");
            // isolation: nothing new from this network into another jpod network (published ports excepted, above)
            filter.append("-A ").append(f).append(" -i ").append(br).append(" -o jpod+ -j DROP\n");
            if (net.internal()) {
                filter.append("-A ").append(f).append(" -i ").append(br).append(" -j DROP\n");
                filter.append("-A ").append(f).append(" -o ").append(br).append(" -j DROP\n");
            } else {
                filter.append("-A ").append(f).append(" -i ").append(br).append(" -j ACCEPT\n");
            }
            if (!saved.contains("-A " + FORWARD + " -j " + f + "\n")) filter.append("-A ").append(FORWARD).append(" -j ").append(f).append('\n');
            if (!net.internal()) {
                nat.append(':').append(n).append(" - [0:0]\n");
                nat.append("-A ").append(n).append(" -d ").append(net.subnet()).append(" -j RETURN\n");
                nat.append("-A ").append(n).append(" ! -d 224.0.0.0/4 -j MASQUERADE\n");
                String jump = "-A " + POSTROUTING + " -s " + net.subnet() + " -j " + n + "\n";
                if (!saved.contains(jump)) nat.append(jump);
            }
            apply(nat, filter);
            write(marker, "");
        });
    }

    /** The shared chains and their jumps from the built-in chains, for what {@code saved} lacks. */
    private static void base(String saved, StringBuilder nat, StringBuilder filter) {
        if (!saved.contains(":" + FORWARD + " ")) {
            filter.append(':').append(FORWARD).append(" - [0:0]\n");
            // replies anywhere; then each network's chain decides what is new
            filter.append("-A ").append(FORWARD).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        }
        // first in FORWARD, so a DROP policy or another tool's rules do not cut the containers off
        if (!saved.contains("-A FORWARD -j " + FORWARD + "\n")) filter.append("-I FORWARD -j ").append(FORWARD).append('\n');
        if (!saved.contains(":" + POSTROUTING + " ")) {
            nat.append(':').append(POSTROUTING).append(" - [0:0]\n");
            // published ports reached from the host itself or from the same network: answer through the host
            nat.append("-A ").append(POSTROUTING).append(" -m mark --mark ").append(MARK).append(" -j MASQUERADE\n");
        }
        if (!saved.contains("-A POSTROUTING -j " + POSTROUTING + "\n")) nat.append("-A POSTROUTING -j ").append(POSTROUTING).append('\n');
        if (!saved.contains(":" + SETMARK + " ")) {
            nat.append(':').append(SETMARK).append(" - [0:0]\n");
            nat.append("-A ").append(SETMARK).append(" -j MARK --set-xmark ").append(MARK).append('\n');
        }
        if (!saved.contains(":" + DNAT + " ")) nat.append(':').append(DNAT).append(" - [0:0]\n");
        for (String chain : List.of("PREROUTING", "OUTPUT")) {
            String jump = "-A " + chain + " -m addrtype --dst-type LOCAL -j " + DNAT + "\n";
            if (!saved.contains(jump)) nat.append(jump);
        }
    }

    @Override
    public void dropNetwork(Network net) {
        locked(() -> {
            Files.deleteIfExists(stateDir.resolve("net-" + net.bridge()));
            String saved = saved();
            StringBuilder nat = new StringBuilder(), filter = new StringBuilder();
            String f = netChain("F", net), n = netChain("N", net);
            if (saved.contains("-A " + FORWARD + " -j " + f + "\n")) filter.append("-D ").append(FORWARD).append(" -j ").append(f).append('\n');
            if (saved.contains(":" + f + " ")) filter.append("-F ").append(f).append("\n-X ").append(f).append('\n');
            for (String line : saved.split("\n")) {
                if (line.startsWith("-A " + POSTROUTING + " ") && line.endsWith(" -j " + n)) nat.append("-D").append(line.substring(2)).append('\n');
            }
            if (saved.contains(":" + n + " ")) nat.append("-F ").append(n).append("\n-X ").append(n).append('\n');
            apply(nat, filter);
        });
    }

    @Override
    public void publish(Network net, String containerId, String ip, List<PortMapping> ports) {
        if (ports.isEmpty()) return;
        String chain = containerChain(containerId);
        StringBuilder add = new StringBuilder(":" + chain + " - [0:0]\n");
        StringBuilder undo = new StringBuilder();
        for (PortMapping p : ports) {
            String proto = " -p " + p.protocol() + " --dport " + p.hostPort();
            String dst = p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0") ? "" : " -d " + p.hostIp() + "/32";
            add.append("-A ").append(chain).append(" -s ").append(net.subnet()).append(dst).append(proto).append(" -j ").append(SETMARK).append('\n');
            add.append("-A ").append(chain).append(" -s 127.0.0.1/32").append(dst).append(proto).append(" -j ").append(SETMARK).append('\n');
            add.append("-A ").append(chain).append(dst).append(proto).append(" -j DNAT --to-destination ")
                    .append(ip).append(':').append(p.containerPort()).append('\n');
            String jump = DNAT + dst + proto + " -m comment --comment \"jpod " + containerId + "\" -j " + chain + "\n";
            add.append("-A ").append(jump);
            undo.append("-D ").append(jump);
        }
        undo.append("-F ").append(chain).append("\n-X ").append(chain).append('\n');
        locked(() -> {
            // the way back is on disk before the rules exist, so a crash in between still finds them
            write(stateDir.resolve("ctr-" + containerId), undo.toString());
            apply(add, new StringBuilder());
        });
    }

    @Override
    public void unpublish(String containerId) {
        Path undo = stateDir.resolve("ctr-" + containerId);
        if (!Files.exists(undo)) return;
        locked(() -> {
            if (!Files.exists(undo)) return;
            try {
                apply(new StringBuilder(Files.readString(undo)), new StringBuilder());
            } catch (NetworkException e) {
                // some of it is gone already (a flush, a crash before the add): delete what is there
                String saved = saved();
                StringBuilder nat = new StringBuilder();
                for (String line : saved.split("\n")) {
                    if (line.startsWith("-A " + DNAT + " ") && line.contains("\"jpod " + containerId + "\"")) {
                        nat.append("-D").append(line.substring(2)).append('\n');
                    }
                }
                String chain = containerChain(containerId);
                if (saved.contains(":" + chain + " ")) nat.append("-F ").append(chain).append("\n-X ").append(chain).append('\n');
                apply(nat, new StringBuilder());
            }
            Files.delete(undo);
        });
    }

    @Override
    public void reload(List<Network> networks) {
        locked(() -> {
            try (var files = Files.list(stateDir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith("net-")).toList()) Files.delete(p);
            } catch (java.nio.file.NoSuchFileException none) {
                // nothing known yet
            }
        });
        for (Network n : networks) ensureNetwork(n);
    }

    /** Chain names hold at most 28 characters: bridge names have at most 15. */
    static String netChain(String kind, Network net) {
        return "JPOD-" + kind + "-" + net.bridge();
    }

    static String containerChain(String containerId) {
        return "JPOD-DN-" + containerId.substring(0, Math.min(16, containerId.length()));
    }

    private String saved() {
        ExecResult r = launcher.run(List.of(save, "-t", "filter"), ENV);
        ExecResult n = launcher.run(List.of(save, "-t", "nat"), ENV);
        if (!r.ok() || !n.ok()) {
            throw new NetworkException("reading the host's firewall rules (iptables-save) failed: "
                    + (r.ok() ? n.err() : r.err()) + "; check that iptables is installed (apt-get install iptables)");
        }
        return r.out() + n.out();
    }

    private void apply(StringBuilder nat, StringBuilder filter) {
        StringBuilder in = new StringBuilder();
        if (!filter.isEmpty()) in.append("*filter\n").append(filter).append("COMMIT\n");
        if (!nat.isEmpty()) in.append("*nat\n").append(nat).append("COMMIT\n");
        if (in.isEmpty()) return;
        ExecResult r = launcher.run(List.of(restore, "--noflush", "--wait"), ENV, in.toString().getBytes(StandardCharsets.UTF_8));
        if (!r.ok()) {
            throw new NetworkException("changing the host's firewall rules (iptables-restore) failed: " + r.err().strip()
                    + "; check that iptables is installed and that the kernel has nf_tables or ip_tables");
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void locked(Step step) {
        try {
            Files.createDirectories(stateDir);
            try (FileChannel ch = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var lock = ch.lock()) {
                step.run();
            }
        } catch (IOException e) {
            throw new NetworkException("keeping track of firewall rules in " + stateDir + ": " + e.getMessage());
        }
    }

    private static void write(Path p, String content) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, content);
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
