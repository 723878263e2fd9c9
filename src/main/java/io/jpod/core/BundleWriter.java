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
        if (!"host".equals(cfg.networkMode())) {
            String hosts = "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                    + "::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n"
                    + (ip == null ? "127.0.1.1" : ip) + "   " + cfg.hostname() + " " + cfg.name() + "\n";
            writeAtomically(bundle.resolve("hosts"), hosts);
            m.put("/etc/hosts", bundle.resolve("hosts").toString());
        }
        String resolv;
        try {
            resolv = Files.readString(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            resolv = "";
        }
        // A resolver on the host's loopback is unreachable from the container's own network namespace.
        if (!"host".equals(cfg.networkMode())) {
            resolv = resolv.lines().filter(l -> !l.matches("\\s*nameserver\\s+(127\\..*|::1)\\s*"))
                    .reduce("", (a, b) -> a + b + "\n");
        }
        if (nameServer != null) {
            // the network's names first (aardvark-dns forwards the rest to the host's resolvers), as podman writes it
            String rest = resolv.lines().filter(l -> !l.startsWith("search ")).reduce("", (a, b) -> a + b + "\n");
            String search = resolv.lines().filter(l -> l.startsWith("search ")).map(l -> l.substring(7).strip()).findFirst().orElse("");
            resolv = "search " + io.jpod.network.AardvarkDns.SEARCH_DOMAIN + (search.isEmpty() ? "" : " " + search) + "\n"
                    + "nameserver " + nameServer + "\n" + rest;
        }
        writeAtomically(bundle.resolve("resolv.conf"), resolv);
        m.put("/etc/resolv.conf", bundle.resolve("resolv.conf").toString());
        writeAtomically(bundle.resolve(".containerenv"), "engine=\"jpod\"\nname=\"" + cfg.name() + "\"\nid=\"" + cfg.id()
                + "\"\nimage=\"" + cfg.image() + "\"\nimageid=\"" + cfg.imageId() + "\"\n");
        m.put("/run/.containerenv", bundle.resolve(".containerenv").toString());
        return m;
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
