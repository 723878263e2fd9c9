package io.jpod.core;

import io.jpod.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a container's OCI bundle once its rootfs is mounted: config.json (user resolved in the container's own
 * passwd, seccomp from containers-common), and the files bind-mounted over /etc/hostname, /etc/hosts,
 * /etc/resolv.conf and /run/.containerenv. Every file is replaced atomically.
 */
final class BundleWriter {
    private final String cgroupParent;
    private final boolean systemdCgroups;

    BundleWriter(String cgroupParent, boolean systemdCgroups) {
        this.cgroupParent = cgroupParent;
        this.systemdCgroups = systemdCgroups;
    }

    void write(ContainerConfig cfg, Path merged, Path bundle) throws IOException {
        write(cfg, merged, bundle, null);
    }

    /** net: the container's own network namespace and address (bridge networking), or null. */
    @SuppressWarnings("unchecked")
    void write(ContainerConfig cfg, Path merged, Path bundle, ContainerNetworking.Attached net) throws IOException {
        UserResolver.User user = UserResolver.resolve(merged, cfg.user());
        Map<String, String> etc = writeEtcFiles(cfg, bundle, net == null ? null : net.ip(), net == null ? null : net.nameServer());
        List<String> env = new ArrayList<>(cfg.env());
        env.add("HOSTNAME=" + cfg.hostname());
        // no HOME here: runc sets it from the container's passwd entry (or "/"), as podman relies on
        String cgroupsPath = systemdCgroups ? "machine.slice:jpod:" + cfg.id() : cgroupParent + "/jpod-" + cfg.id();
        io.jpod.sys.Trace.mark("user and etc files");
        Map<String, Object> spec = SpecGenerator.generate(new SpecGenerator.Inputs(cfg, merged.toString(),
                user.uid(), user.gid(), user.additionalGids(), env, HostLimits.hardLimits(), HostLimits.oomScoreAdj(),
                etc, cgroupsPath, cfg.privileged() ? null : SeccompProfile.load(SeccompProfile.DEFAULT,
                SpecGenerator.capabilities(cfg), kernelRelease()), cfg.init() ? initBinary() : null));
        if (net != null) {
            // runc joins the namespace CNI attached instead of making an empty one
            List<Object> ns = (List<Object>) ((Map<String, Object>) spec.get("linux")).get("namespaces");
            for (int i = 0; i < ns.size(); i++) {
                if ("network".equals(((Map<String, Object>) ns.get(i)).get("type"))) {
                    ns.set(i, Map.of("type", "network", "path", net.netns().toString()));
                }
            }
        }
        writeAtomically(bundle.resolve("config.json"), Json.writePretty(spec));
    }

    /** catatonit on this host, for --init; a clear error when it is missing. */
    static String initBinary() {
        for (String p : SpecGenerator.INIT_CANDIDATES) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        throw JpodException.invalid("--init needs catatonit, which is not installed: apt-get install catatonit");
    }

    static Map<String, String> writeEtcFiles(ContainerConfig cfg, Path bundle) throws IOException {
        return writeEtcFiles(cfg, bundle, null, null);
    }

    /** nameServer: the network's DNS (aardvark-dns on the gateway), first in resolv.conf with its search domain. */
    static Map<String, String> writeEtcFiles(ContainerConfig cfg, Path bundle, String ip, String nameServer) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        writeAtomically(bundle.resolve("hostname"), cfg.hostname() + "\n");
        m.put("/etc/hostname", bundle.resolve("hostname").toString());
        NetworkOptions o = cfg.netOptions();
        if (!"host".equals(cfg.networkMode()) && !o.noHosts()) {
            writeAtomically(bundle.resolve("hosts"), hosts(cfg, ip));
            m.put("/etc/hosts", bundle.resolve("hosts").toString());
        }
        writeAtomically(bundle.resolve("resolv.conf"), resolvConf(cfg, readHostResolvConf(), nameServer));
        m.put("/etc/resolv.conf", bundle.resolve("resolv.conf").toString());
        writeAtomically(bundle.resolve(".containerenv"), "engine=\"jpod\"\nname=\"" + cfg.name() + "\"\nid=\"" + cfg.id()
                + "\"\nimage=\"" + cfg.image() + "\"\nimageid=\"" + cfg.imageId() + "\"\n");
        m.put("/run/.containerenv", bundle.resolve(".containerenv").toString());
        return m;
    }

    static String hosts(ContainerConfig cfg, String ip) {
        StringBuilder hosts = new StringBuilder("127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                + "::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n");
        for (String h : cfg.netOptions().addHosts()) {
            int c = h.indexOf(':');
            hosts.append(h.substring(c + 1)).append('\t').append(h, 0, c).append('\n');
        }
        hosts.append(ip == null ? "127.0.1.1" : ip).append("   ").append(cfg.hostname()).append(' ').append(cfg.name()).append('\n');
        return hosts.toString();
    }

    /**
     * The container's address into /etc/hosts once its network is attached, after runc bound the file: in place
     * (same inode), since a rename would leave the bind mount on the old file. The process has not started yet.
     */
    static void rewriteHosts(ContainerConfig cfg, Path bundle, String ip) throws IOException {
        Files.writeString(bundle.resolve("hosts"), hosts(cfg, ip), StandardCharsets.UTF_8);
    }

    private static String readHostResolvConf() {
        try {
            return Files.readString(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The container's resolv.conf, as podman writes it: --dns servers trump all; else the network's name server
     * (aardvark-dns on the gateway, with its search domain) before the host's, whose loopback resolvers are
     * unreachable from a namespace of the container's own. --dns-search replaces the host's domains ("." none),
     * --dns-option its options.
     */
    static String resolvConf(ContainerConfig cfg, String host, String nameServer) {
        NetworkOptions o = cfg.netOptions();
        boolean ownNetns = !"host".equals(cfg.networkMode());
        List<String> servers = new ArrayList<>(), search = new ArrayList<>(), options = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String l : host.lines().toList()) {
            String t = l.strip();
            if (t.startsWith("nameserver")) {
                String s = t.substring(10).strip();
                if (!(ownNetns && (s.startsWith("127.") || s.equals("::1")))) servers.add(s);
            } else if (t.startsWith("search ") || t.startsWith("domain ")) {
                for (String d : t.substring(7).strip().split("\\s+")) if (!d.isEmpty() && !search.contains(d)) search.add(d);
            } else if (t.startsWith("options ")) {
                options.addAll(List.of(t.substring(8).strip().split("\\s+")));
            } else if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith(";")) {
                other.add(t);
            }
        }
        if (!o.dns().isEmpty()) {
            servers = new ArrayList<>(o.dns());
        } else if (nameServer != null) {
            servers.addFirst(nameServer);
            search.addFirst(io.jpod.network.AardvarkDns.SEARCH_DOMAIN);
        }
        if (!o.dnsSearch().isEmpty()) search = o.dnsSearch().equals(List.of(".")) ? List.of() : new ArrayList<>(o.dnsSearch());
        if (!o.dnsOptions().isEmpty()) options = new ArrayList<>(o.dnsOptions());
        StringBuilder r = new StringBuilder();
        if (!search.isEmpty()) r.append("search ").append(String.join(" ", search)).append('\n');
        for (String s : servers) r.append("nameserver ").append(s).append('\n');
        if (!options.isEmpty()) r.append("options ").append(String.join(" ", options)).append('\n');
        for (String l : other) r.append(l).append('\n');
        return r.toString();
    }

    static void writeAtomically(Path p, String content) throws IOException {
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "0.0";
        }
    }

    /**
     * Makes each directory, parents first. Files.createDirectories costs exceptions (with stack traces) when a
     * directory exists or a parent is missing; on a first start neither is the case, and this path throws none.
     */
    static void mkdirs(Path... dirs) throws IOException {
        for (Path d : dirs) {
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) throw e;
            } catch (NoSuchFileException e) {
                Files.createDirectories(d);
            }
        }
    }

}
