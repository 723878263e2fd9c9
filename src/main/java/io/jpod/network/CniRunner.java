package io.jpod.network;

import io.jpod.json.Json;
import io.jpod.sys.ExecResult;
import io.jpod.sys.ProcessLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Runs a CNI network configuration list through the CNI protocol (spec 1.0, as libcni does): each plugin is an
 * executable found in the plugin dirs, called with CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS
 * and CNI_PATH in its environment and its config (the list's name and cniVersion, and the previous plugin's
 * result as prevResult) on stdin. ADD runs the plugins in order and caches the final result; DEL runs them in
 * reverse with the cached result, tolerating what is already gone, then drops the cache; a failed ADD is undone.
 */
public final class CniRunner {
    private final List<Path> pluginDirs;
    private final Path cacheDir;
    private final ProcessLauncher launcher;

    public CniRunner(List<Path> pluginDirs, Path cacheDir, ProcessLauncher launcher) {
        this.pluginDirs = List.copyOf(pluginDirs);
        this.cacheDir = cacheDir;
        this.launcher = launcher;
    }

    /** One attachment: a container's interface on a network. */
    public record Attachment(String containerId, Path netns, String ifName, Map<String, String> args,
                             Map<String, Object> capabilityArgs) {
        public Attachment {
            args = Map.copyOf(args);
            capabilityArgs = Map.copyOf(capabilityArgs);
        }

        public Attachment(String containerId, Path netns, String ifName, Map<String, String> args) {
            this(containerId, netns, ifName, args, Map.of());
        }
    }

    /** ADD: attaches the container; returns the last plugin's result (interfaces, ips, routes, dns). */
    public Map<String, Object> add(Map<String, Object> confList, Attachment a) {
        Map<String, Object> prev = null;
        List<Map<String, Object>> plugins = plugins(confList);
        try {
            for (Map<String, Object> plugin : plugins) {
                prev = invoke("ADD", confList, plugin, prev, a);
            }
        } catch (RuntimeException e) {
            // nothing half-attached: what the first plugins made (veth, lease, rules) goes again
            try {
                del(confList, a, prev);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Map<String, Object> result = prev == null ? Map.of() : prev;
        writeCache(confList, a, result);
        return result;
    }

    /** DEL: detaches the container, with the result ADD cached (if any); missing pieces are not errors. */
    public void del(Map<String, Object> confList, Attachment a) {
        del(confList, a, readCache(confList, a));
    }

    private void del(Map<String, Object> confList, Attachment a, Map<String, Object> prev) {
        List<Map<String, Object>> plugins = new ArrayList<>(plugins(confList));
        java.util.Collections.reverse(plugins);
        RuntimeException first = null;
        for (Map<String, Object> plugin : plugins) {
            try {
                invoke("DEL", confList, plugin, prev, a);
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        try {
            Files.deleteIfExists(cachePath(confList, a));
        } catch (IOException e) {
            // a stale cache entry only costs disk space; the next ADD replaces it
        }
        if (first != null) throw first;
    }

    /**
     * DEL without a namespace, when the namespace goes anyway (and its interfaces with it): what the plugins do
     * then is give the address back, which is the first plugin's IPAM plugin's DEL with that plugin's config, as
     * the bridge plugin itself calls it. One process instead of two; the cache goes too.
     */
    public void releaseAddress(Map<String, Object> confList, Attachment a) {
        Map<String, Object> main = plugins(confList).getFirst();
        if (!(main.get("ipam") instanceof Map<?, ?> ipam) || !(ipam.get("type") instanceof String type)) {
            del(confList, a);
            return;
        }
        Attachment noNs = new Attachment(a.containerId(), null, a.ifName(), a.args(), a.capabilityArgs());
        Map<String, Object> prev = readCache(confList, a);
        Map<String, Object> ipamPlugin = new LinkedHashMap<>(main);
        ipamPlugin.put("type", type); // the main plugin's config, run by its IPAM plugin
        try {
            invoke("DEL", confList, ipamPlugin, prev, noNs);
        } finally {
            try {
                Files.deleteIfExists(cachePath(confList, a));
            } catch (IOException e) {
                // a stale cache entry only costs disk space; the next ADD replaces it
            }
        }
    }

    /** CHECK: asks each plugin whether the attachment is as ADD left it. */
    public void check(Map<String, Object> confList, Attachment a) {
        Map<String, Object> prev = readCache(confList, a);
        for (Map<String, Object> plugin : plugins(confList)) invoke("CHECK", confList, plugin, prev, a);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> plugins(Map<String, Object> confList) {
        if (!(confList.get("plugins") instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException("CNI network " + confList.get("name") + " has no plugins");
        }
        return l.stream().map(p -> (Map<String, Object>) p).toList();
    }

    /**
     * The config one plugin gets on stdin: its own, with the list's name and version, the previous result, and
     * as runtimeConfig the capability arguments it declares it takes (portMappings for portmap), as libcni does.
     */
    static Map<String, Object> pluginConfig(Map<String, Object> confList, Map<String, Object> plugin, Map<String, Object> prev,
                                            Map<String, Object> capabilityArgs) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", confList.getOrDefault("cniVersion", "1.0.0"));
        c.put("name", confList.get("name"));
        c.putAll(plugin);
        if (plugin.get("capabilities") instanceof Map<?, ?> caps) {
            Map<String, Object> rc = new LinkedHashMap<>();
            capabilityArgs.forEach((k, v) -> {
                if (Boolean.TRUE.equals(caps.get(k))) rc.put(k, v);
            });
            if (!rc.isEmpty()) c.put("runtimeConfig", rc);
        }
        if (prev != null) c.put("prevResult", prev);
        return c;
    }

    List<String> env(String command, Attachment a) {
        List<String> env = new ArrayList<>();
        env.add("CNI_COMMAND=" + command);
        env.add("CNI_CONTAINERID=" + a.containerId());
        env.add("CNI_NETNS=" + (a.netns() == null ? "" : a.netns()));
        env.add("CNI_IFNAME=" + a.ifName());
        StringJoiner args = new StringJoiner(";");
        a.args().forEach((k, v) -> args.add(k + "=" + v));
        env.add("CNI_ARGS=" + args);
        StringJoiner path = new StringJoiner(":");
        pluginDirs.forEach(d -> path.add(d.toString()));
        env.add("CNI_PATH=" + path);
        // plugins call iptables, ip and friends
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return env;
    }

    private Map<String, Object> invoke(String command, Map<String, Object> confList, Map<String, Object> plugin,
                                       Map<String, Object> prev, Attachment a) {
        String type = String.valueOf(plugin.get("type"));
        Path exe = find(type);
        byte[] stdin = Json.write(pluginConfig(confList, plugin, prev, a.capabilityArgs())).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ExecResult r = launcher.run(List.of(exe.toString()), env(command, a), stdin);
        String out = r.out().strip();
        if (!r.ok()) {
            int code = 0;
            String msg = r.err().isBlank() ? "exit status " + r.exitCode() : r.err().strip();
            try {
                Map<String, Object> e = Json.parseObject(out);
                code = e.get("code") instanceof Number n ? n.intValue() : 0;
                msg = String.valueOf(e.getOrDefault("msg", msg));
                if (e.get("details") instanceof String d && !d.isBlank()) msg += ": " + d;
            } catch (RuntimeException notJson) {
                if (!out.isEmpty()) msg = out;
            }
            throw new CniException("CNI plugin " + type + " failed (" + command + " on network " + confList.get("name")
                    + "): " + msg, code);
        }
        if (!command.equals("ADD")) return prev;
        try {
            return Json.parseObject(out);
        } catch (RuntimeException e) {
            throw new CniException("CNI plugin " + type + " returned no result JSON for ADD on network "
                    + confList.get("name") + ": " + out, 0);
        }
    }

    private Path find(String type) {
        if (type.isEmpty() || type.contains("/") || type.equals(".") || type.equals("..")) {
            throw new CniException("invalid CNI plugin type \"" + type + "\": it must be a plain program name", 0);
        }
        for (Path d : pluginDirs) {
            Path p = d.resolve(type);
            if (Files.isExecutable(p)) return p;
        }
        throw new CniException("CNI plugin \"" + type + "\" not found in " + pluginDirs
                + ": install containernetworking-plugins (apt-get install containernetworking-plugins)", 0);
    }

    private Path cachePath(Map<String, Object> confList, Attachment a) {
        return cacheDir.resolve(confList.get("name") + "-" + a.containerId() + "-" + a.ifName() + ".json");
    }

    private void writeCache(Map<String, Object> confList, Attachment a, Map<String, Object> result) {
        Path p = cachePath(confList, a);
        try {
            Files.createDirectories(cacheDir);
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("kind", "cniCacheV1");
            c.put("containerId", a.containerId());
            c.put("ifName", a.ifName());
            c.put("networkName", confList.get("name"));
            c.put("result", result);
            Files.writeString(tmp, Json.write(c));
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CniException("cannot cache the CNI result in " + p + ": " + e.getMessage(), 0);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readCache(Map<String, Object> confList, Attachment a) {
        try {
            Object r = Json.parseObject(Files.readString(cachePath(confList, a))).get("result");
            return r instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IOException | RuntimeException e) {
            return null; // no cache (a crash between ADD and its cache): the plugins clean up by container ID
        }
    }
}
