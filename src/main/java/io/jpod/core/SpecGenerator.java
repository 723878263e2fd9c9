package io.jpod.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a container's config into an OCI runtime config.json, with podman 4.3's defaults: namespaces, the
 * default mount set, masked and read-only paths, capabilities, rlimits clamped to the host's hard limits
 * (jpod lacks CAP_SYS_RESOURCE here, as podman users often do: asking more fails the create). Pure.
 */
public final class SpecGenerator {
    private SpecGenerator() {}

    /** containers.conf's default capability set in podman 4.3. */
    public static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
            "CAP_SETUID", "CAP_SYS_CHROOT");

    public static final List<String> ALL_CAPS = List.of("CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE",
            "CAP_BLOCK_SUSPEND", "CAP_BPF", "CAP_CHECKPOINT_RESTORE", "CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_KILL",
            "CAP_LEASE", "CAP_LINUX_IMMUTABLE", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD", "CAP_NET_ADMIN",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_PERFMON", "CAP_SETFCAP", "CAP_SETGID",
            "CAP_SETPCAP", "CAP_SETUID", "CAP_SYSLOG", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT",
            "CAP_SYS_MODULE", "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO",
            "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_WAKE_ALARM");

    static final List<String> MASKED = List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/fs/selinux", "/sys/dev/block");

    static final List<String> READONLY = List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq",
            "/proc/sys", "/proc/sysrq-trigger");

    static final long DEFAULT_PIDS_LIMIT = 2048;

    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** What the generator needs beyond the container's config. */
    public record Inputs(ContainerConfig config, String rootfs, int uid, int gid, List<Integer> additionalGids,
                         List<String> env, Map<String, long[]> hostHardLimits, int oomScoreAdj,
                         Map<String, String> etcFiles, String cgroupsPath, Map<String, Object> seccomp,
                         String initPath) {}

    /** Where --init's binary (catatonit) is bind-mounted in the container, as podman does. */
    public static final String INIT_PATH = "/run/podman-init";

    /** Host paths where Debian and podman put catatonit, the init --init runs as PID 1. */
    public static final List<String> INIT_CANDIDATES = List.of("/usr/libexec/podman/catatonit", "/usr/bin/catatonit",
            "/usr/libexec/catatonit/catatonit");

    /** Normalises a capability name: "net_admin" and "NET_ADMIN" become "CAP_NET_ADMIN"; ALL is kept. */
    public static String capName(String c) {
        String u = c.strip().toUpperCase(Locale.ROOT);
        if (u.equals("ALL")) return u;
        String n = u.startsWith("CAP_") ? u : "CAP_" + u;
        if (!ALL_CAPS.contains(n)) throw JpodException.invalid("unknown capability \"" + c + "\": use a name like NET_ADMIN or ALL");
        return n;
    }

    public static List<String> capabilities(ContainerConfig c) {
        return capabilities(c, HostLimits.boundingCaps());
    }

    /** Capabilities for an exec'd process: the container's, or with privileged all the host allows. */
    static List<String> capabilities(ContainerConfig c, boolean privilegedExec) {
        if (!privilegedExec) return capabilities(c);
        return ALL_CAPS.stream().filter(HostLimits.boundingCaps()::contains).toList();
    }

    /** The container's capabilities; "all" (privileged, --cap-add ALL) means all that the host lets us give. */
    static List<String> capabilities(ContainerConfig c, Set<String> hostBounding) {
        List<String> all = ALL_CAPS.stream().filter(hostBounding::contains).toList();
        if (c.privileged()) return all;
        // --cap-drop ALL starts from nothing, so --cap-add gives back exactly what it names (podman's rule)
        boolean dropAll = c.capDrop().stream().anyMatch(d -> capName(d).equals("ALL"));
        Set<String> caps = new LinkedHashSet<>(dropAll ? List.of() : DEFAULT_CAPS);
        for (String a : c.capAdd()) {
            if (capName(a).equals("ALL")) caps.addAll(all); else caps.add(capName(a));
        }
        for (String d : c.capDrop()) {
            if (!capName(d).equals("ALL")) caps.remove(capName(d));
        }
        return caps.stream().sorted().toList();
    }

    /** The caps --cap-add named (ALL: every one), among those the container has. */
    private static List<String> addedCaps(ContainerConfig c, List<String> caps) {
        Set<String> named = new java.util.HashSet<>();
        for (String a : c.capAdd()) {
            if (capName(a).equals("ALL")) named.addAll(caps); else named.add(capName(a));
        }
        return caps.stream().filter(named::contains).toList();
    }

    public static Map<String, Object> generate(Inputs in) {
        ContainerConfig c = in.config();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.0.2-dev");

        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", c.tty());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("uid", in.uid());
        user.put("gid", in.gid());
        user.put("umask", 18); // 0022, as podman sets
        if (!in.additionalGids().isEmpty()) user.put("additionalGids", in.additionalGids());
        process.put("user", user);
        List<String> args = new ArrayList<>();
        if (in.initPath() != null) {
            args.add(INIT_PATH);
            args.add("--");
        }
        args.addAll(c.command());
        process.put("args", args);
        process.put("env", in.env());
        process.put("cwd", c.workDir() == null || c.workDir().isEmpty() ? "/" : c.workDir());
        List<String> caps = capabilities(c);
        Map<String, Object> capMap = new LinkedHashMap<>();
        capMap.put("bounding", caps);
        // A non-root process gets the caps --cap-add named, in every set (ambient keeps them across execve), as podman
        List<String> added = in.uid() == 0 ? caps : addedCaps(c, caps);
        capMap.put("effective", added);
        if (in.uid() != 0 && !added.isEmpty()) capMap.put("inheritable", added);
        capMap.put("permitted", added);
        if (in.uid() != 0 && !added.isEmpty()) capMap.put("ambient", added);
        process.put("capabilities", capMap);
        process.put("rlimits", rlimits(in.hostHardLimits()));
        process.put("oomScoreAdj", in.oomScoreAdj());
        spec.put("process", process);

        spec.put("root", Map.of("path", in.rootfs(), "readonly", c.readOnly()));
        spec.put("hostname", c.hostname());
        List<Map<String, Object>> mounts = mounts(c, in.etcFiles());
        if (in.initPath() != null) mounts.add(mount(INIT_PATH, "bind", in.initPath(), List.of("bind", "ro", "rprivate")));
        spec.put("mounts", mounts);

        Map<String, Object> linux = new LinkedHashMap<>();
        if (!"host".equals(c.networkMode())) linux.put("sysctl", Map.of("net.ipv4.ping_group_range", "0 0"));
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("devices", List.of(Map.of("allow", false, "access", "rwm")));
        if (c.memoryBytes() > 0) resources.put("memory", Map.of("limit", c.memoryBytes(), "swap", c.memoryBytes() * 2));
        if (c.cpuQuota() > 0) resources.put("cpu", Map.of("quota", c.cpuQuota(), "period", c.cpuPeriod()));
        // podman's default pids_limit is 2048; -1 lifts it, 0 keeps the default
        long pids = c.pidsLimit() == 0 ? DEFAULT_PIDS_LIMIT : c.pidsLimit();
        if (pids > 0 && !c.privileged()) resources.put("pids", Map.of("limit", pids));
        linux.put("resources", resources);
        linux.put("cgroupsPath", in.cgroupsPath());
        List<Map<String, Object>> ns = new ArrayList<>();
        ns.add(Map.of("type", "pid"));
        if (!"host".equals(c.networkMode())) ns.add(Map.of("type", "network"));
        ns.add(Map.of("type", "ipc"));
        ns.add(Map.of("type", "uts"));
        ns.add(Map.of("type", "mount"));
        linux.put("namespaces", ns);
        if (!c.privileged()) {
            if (in.seccomp() != null) linux.put("seccomp", in.seccomp());
            linux.put("maskedPaths", MASKED);
            linux.put("readonlyPaths", READONLY);
        }
        spec.put("linux", linux);
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("io.container.manager", "libpod");
        ann.put("io.kubernetes.cri-o.Created", c.created().toString());
        ann.put("io.kubernetes.cri-o.TTY", Boolean.toString(c.tty()));
        ann.put("io.podman.annotations.autoremove", c.autoRemove() ? "TRUE" : "FALSE");
        ann.put("io.podman.annotations.init", c.init() ? "TRUE" : "FALSE");
        ann.put("io.podman.annotations.privileged", c.privileged() ? "TRUE" : "FALSE");
        ann.put("io.podman.annotations.publish-all", "FALSE");
        ann.put("org.opencontainers.image.stopSignal", Integer.toString(c.stopSignal()));
        spec.put("annotations", ann);
        return spec;
    }

    /** podman's default ulimits (nofile 1048576, nproc 4194304), never above what the host lets us set. */
    static List<Map<String, Object>> rlimits(Map<String, long[]> hard) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(rlimit("RLIMIT_NOFILE", 1048576, hard.get("RLIMIT_NOFILE")));
        out.add(rlimit("RLIMIT_NPROC", 4194304, hard.get("RLIMIT_NPROC")));
        return out;
    }

    private static Map<String, Object> rlimit(String type, long want, long[] host) {
        long v = host == null ? want : Math.min(want, host[1]);
        return Map.of("type", type, "hard", v, "soft", v);
    }

    static List<Map<String, Object>> mounts(ContainerConfig c, Map<String, String> etcFiles) {
        List<Map<String, Object>> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "noexec", "strictatime", "mode=755", "size=65536k")));
        m.add(mount("/sys", "sysfs", "sysfs", c.privileged() ? List.of("rprivate", "nosuid", "noexec", "nodev", "rw")
                : List.of("nosuid", "noexec", "nodev", "ro")));
        m.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536000")));
        m.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("rprivate", "nosuid", "noexec", "nodev", "relatime",
                c.privileged() ? "rw" : "ro")));
        if (c.readOnly()) {
            // podman's --read-only-tmpfs (default true): a read-only rootfs still gets writable scratch space
            for (String d : List.of("/run", "/tmp", "/var/tmp")) {
                if (c.mounts().stream().noneMatch(x -> x.destination().equals(d))) {
                    m.add(mount(d, "tmpfs", "tmpfs", List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup")));
                }
            }
        }
        etcFiles.forEach((dest, src) -> {
            if (c.mounts().stream().noneMatch(x -> x.destination().equals(dest))) {
                m.add(mount(dest, "bind", src, List.of("bind", "rprivate")));
            }
        });
        for (MountSpec s : c.mounts()) {
            if (s.type().equals("tmpfs")) {
                List<String> o = new ArrayList<>(List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup"));
                o.addAll(s.options());
                m.add(mount(s.destination(), "tmpfs", "tmpfs", o));
            } else {
                List<String> o = new ArrayList<>(s.options());
                o.remove("U"); // jpod's (chown at init), not the runtime's
                o.add("rprivate");
                o.add("rbind");
                m.add(mount(s.destination(), "bind", s.source(), o));
            }
        }
        return m;
    }

    private static Map<String, Object> mount(String dest, String type, String src, List<String> opts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", src);
        m.put("options", opts);
        return m;
    }
}
