package io.jpod.core;

import io.jpod.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Golden comparison with the config.json podman 4.3.1 wrote on this host (docs/podman-reference). */
@SuppressWarnings("unchecked")
class SpecGeneratorTest {
    static final String ID = "022c75a0dd7610867b585b38a656c1693702efcd4c07d3c80a28c02c00f62136";
    static final List<String> KERNEL_FS = List.of("/proc", "/dev", "/sys", "/dev/pts", "/dev/mqueue", "/sys/fs/cgroup");
    /** The binds podman points at files in its own userdata dirs; jpod has its own files for them. */
    static final Set<String> PODMAN_USERDATA_BINDS = Set.of("/etc/hosts", "/dev/shm", "/run/.containerenv",
            "/etc/hostname", "/etc/passwd", "/etc/group");

    static Map<String, Object> podman(String file) throws IOException {
        Path p = Path.of("docs/podman-reference").resolve(file);
        assumeTrue(Files.exists(p), "podman reference capture not present");
        return Json.parseObject(Files.readString(p));
    }

    static ContainerConfig config(List<String> cmd, List<String> env, String workDir, String user, String hostname,
                                  int stopSignal, List<MountSpec> mounts, long memory, double cpus, long pids,
                                  List<String> capAdd, List<String> capDrop, boolean privileged, boolean readOnly) {
        long period = cpus > 0 ? 100_000 : 0;
        return new ContainerConfig(ID, "ref-cfg", "localhost/busybox:latest", "76d6", List.of(), cmd, env, workDir,
                user, hostname, Map.of("a", "b"), stopSignal, 10, Instant.parse("2026-11-29T13:57:57.458203035Z"),
                List.of("/l"), mounts, memory, Math.round(cpus * period), period, pids, capAdd, capDrop, privileged,
                readOnly, -1, List.of(), false, false, false, "none", false, "/jpod_parent", null, null, null);
    }

    static ContainerConfig plain(boolean privileged) {
        return config(List.of("sleep", "100"), List.of(), "/", "", ID.substring(0, 12), 15, List.of(), 0, 0, 0,
                List.of(), List.of(), privileged, false);
    }

    /** As ContainerRuntime.init builds it: the merged env plus HOSTNAME. */
    static List<String> env(List<String> user, String hostname) {
        List<String> env = new ArrayList<>(ContainerRuntime.mergeEnv(List.of("PATH=" + SpecGenerator.DEFAULT_PATH), user));
        env.add("HOSTNAME=" + hostname);
        return env;
    }

    static final Map<String, long[]> HOST_LIMITS = Map.of("RLIMIT_NOFILE", new long[] {1024, 1024},
            "RLIMIT_NPROC", new long[] {4096, 4096});

    /** The spec as runc reads it: through config.json, so numbers compare as podman's parsed ones do. */
    static Map<String, Object> generate(ContainerConfig c, int uid, int gid, List<String> env) {
        return Json.parseObject(Json.write(SpecGenerator.generate(new SpecGenerator.Inputs(c, "/var/lib/jpod/containers/" + ID + "/merged", uid, gid,
                List.of(), env, HOST_LIMITS, 0, Map.of("/etc/hostname", "/b/hostname", "/etc/hosts", "/b/hosts"),
                "/jpod_parent/jpod-" + ID, null, null))));
    }

    static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String k : path) cur = (Map<String, Object>) cur.get(k);
        return cur;
    }

    static Map<String, Map<String, Object>> mountsByDestination(Map<String, Object> spec) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) spec.get("mounts")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Object dup = out.put((String) m.get("destination"), m);
            assertEquals(null, dup, "two mounts on " + m.get("destination"));
        }
        return out;
    }

    static void assertSameMount(Map<String, Object> podman, Map<String, Object> ours, String dest) {
        assertTrue(ours != null, "no mount on " + dest);
        assertEquals(podman.get("type"), ours.get("type"), dest + " type");
        assertEquals(podman.get("source"), ours.get("source"), dest + " source");
        assertEquals(podman.get("options"), ours.get("options"), dest + " options");
    }

    // ---------------------------------------------------------------- podman create --network none busybox sleep 100

    @Test
    void processMatchesPodmansDefaultContainer() throws IOException {
        Map<String, Object> ref = podman("config-none.json");
        Map<String, Object> ours = generate(plain(false), 0, 0, env(List.of(), ID.substring(0, 12)));
        Map<String, Object> rp = map(ref, "process"), op = map(ours, "process");
        assertEquals(rp.get("args"), op.get("args"));
        assertEquals(rp.get("env"), op.get("env"), "same variables in the same order");
        assertEquals(rp.get("cwd"), op.get("cwd"));
        assertEquals(rp.get("user"), op.get("user"), "uid, gid and umask 18, no additionalGids");
        Map<String, Object> rc = map(rp, "capabilities"), oc = map(op, "capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) assertEquals(rc.get(set), oc.get(set), set);
        assertFalse(oc.containsKey("inheritable"));
        assertFalse(oc.containsKey("ambient"));
        assertEquals(false, op.get("terminal"));
        assertEquals(ref.get("hostname"), ours.get("hostname"));
        assertEquals(ref.get("ociVersion"), ours.get("ociVersion"));
    }

    @Test
    void kernelFilesystemsMatchPodmans() throws IOException {
        Map<String, Map<String, Object>> ref = mountsByDestination(podman("config-none.json"));
        Map<String, Map<String, Object>> ours = mountsByDestination(generate(plain(false), 0, 0, env(List.of(), "h")));
        for (String d : KERNEL_FS) assertSameMount(ref.get(d), ours.get(d), d);
    }

    @Test
    void linuxSectionMatchesPodmans() throws IOException {
        Map<String, Object> ref = podman("config-none.json");
        Map<String, Object> ours = generate(plain(false), 0, 0, env(List.of(), "h"));
        Map<String, Object> rl = map(ref, "linux"), ol = map(ours, "linux");
        for (String k : List.of("maskedPaths", "readonlyPaths", "namespaces", "resources", "sysctl")) {
            assertEquals(rl.get(k), ol.get(k), k);
        }
        assertEquals("/jpod_parent/jpod-" + ID, ol.get("cgroupsPath"));
        assertEquals(false, map(ours, "root").get("readonly"));
    }

    @Test
    void annotationsMatchPodmansApartFromTheCreationTime() throws IOException {
        Map<String, Object> ra = new LinkedHashMap<>(map(podman("config-none.json"), "annotations"));
        Map<String, Object> oa = new LinkedHashMap<>(map(generate(plain(false), 0, 0, env(List.of(), "h")), "annotations"));
        assertEquals("2026-11-29T13:57:57.458203035Z", oa.remove("io.kubernetes.cri-o.Created"));
        ra.remove("io.kubernetes.cri-o.Created");
        assertEquals(ra, oa);
    }

    // ---------------------------------------------------------------- podman create with many flags

    /**
     * --memory 64m --cpus 0.5 --pids-limit 100 --cap-add SYS_ADMIN --cap-drop CHOWN --read-only --hostname hh -e A=1
     * -w /tmp -u 1000:1000 --stop-signal SIGINT --tmpfs /scratch -v /tmp:/hosttmp:ro
     */
    static ContainerConfig flags() {
        return config(List.of("sleep", "100"), List.of(), "/tmp", "1000:1000", "hh", 2,
                List.of(new MountSpec("tmpfs", "tmpfs", "/scratch", List.of()),
                        new MountSpec("bind", "/tmp", "/hosttmp", List.of("ro"))),
                64L << 20, 0.5, 100, List.of("SYS_ADMIN"), List.of("CHOWN"), false, true);
    }

    @Test
    void flagsProcessMatchesPodmans() throws IOException {
        Map<String, Object> ref = podman("config-flags.json");
        Map<String, Object> ours = generate(flags(), 1000, 1000, env(List.of("A=1"), "hh"));
        Map<String, Object> rp = map(ref, "process"), op = map(ours, "process");
        assertEquals(rp.get("args"), op.get("args"));
        assertEquals(rp.get("cwd"), op.get("cwd"));
        Map<String, Object> ru = map(rp, "user"), ou = map(op, "user");
        for (String k : List.of("uid", "gid", "umask")) assertEquals(ru.get(k), ou.get(k), k);
        // podman orders container=podman, PATH and TERM by Go map iteration (unstable); the rest is ordered
        List<String> re = (List<String>) rp.get("env"), oe = (List<String>) op.get("env");
        assertEquals(new HashSet<>(re.subList(0, 3)), new HashSet<>(oe.subList(0, 3)));
        assertEquals(re.subList(3, re.size()), oe.subList(3, oe.size()));
        assertEquals(map(ref, "annotations").get("org.opencontainers.image.stopSignal"),
                map(ours, "annotations").get("org.opencontainers.image.stopSignal"));
        assertEquals(true, map(ours, "root").get("readonly"));
        assertEquals("hh", ours.get("hostname"));
    }

    @Test
    void nonRootUserGetsTheAddedCapabilitiesAsPodmanGivesThem() throws IOException {
        Map<String, Object> rc = map(podman("config-flags.json"), "process", "capabilities");
        Map<String, Object> oc = map(generate(flags(), 1000, 1000, env(List.of("A=1"), "hh")), "process", "capabilities");
        assertEquals(rc.get("bounding"), oc.get("bounding"), "defaults minus CHOWN plus SYS_ADMIN, sorted");
        // without these the non-root process loses --cap-add's capabilities at execve
        for (String set : List.of("effective", "inheritable", "permitted", "ambient")) {
            assertEquals(rc.get(set), oc.get(set), set);
        }
    }

    @Test
    void resourcesForMemoryCpusAndPidsMatchPodmans() throws IOException {
        Map<String, Object> ref = map(podman("config-flags.json"), "linux", "resources");
        Map<String, Object> ours = map(generate(flags(), 1000, 1000, env(List.of(), "hh")), "linux", "resources");
        assertEquals(ref, ours);
        assertEquals(List.of("devices", "memory", "cpu", "pids"), List.copyOf(ours.keySet()), "podman's key order");
    }

    @Test
    void flagsMountsMatchPodmansExceptItsOwnUserdataBinds() throws IOException {
        Map<String, Map<String, Object>> ref = mountsByDestination(podman("config-flags.json"));
        Map<String, Map<String, Object>> ours = mountsByDestination(generate(flags(), 1000, 1000, env(List.of(), "hh")));
        for (var e : ref.entrySet()) {
            if (PODMAN_USERDATA_BINDS.contains(e.getKey())) continue;
            assertSameMount(e.getValue(), ours.get(e.getKey()), e.getKey());
        }
        assertEquals(List.of("ro", "rprivate", "rbind"), ours.get("/hosttmp").get("options"));
        assertEquals(List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup"), ours.get("/scratch").get("options"));
    }

    @Test
    void tmpfsOptionsGivenByTheUserFollowPodmansDefaults() {
        ContainerConfig c = config(List.of("true"), List.of(), "/", "", "h", 15,
                List.of(new MountSpec("tmpfs", "tmpfs", "/scratch", List.of("size=64m", "mode=1777"))),
                0, 0, 0, List.of(), List.of(), false, false);
        Map<String, Object> m = mountsByDestination(generate(c, 0, 0, List.of())).get("/scratch");
        assertEquals(List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup", "size=64m", "mode=1777"), m.get("options"));
        assertEquals("tmpfs", m.get("type"));
    }

    @Test
    void aUserMountReplacesTheGeneratedEtcFileAndTheReadOnlyTmpfs() {
        ContainerConfig c = config(List.of("true"), List.of(), "/", "", "h", 15,
                List.of(new MountSpec("bind", "/srv/hosts", "/etc/hosts", List.of()),
                        new MountSpec("bind", "/srv/tmp", "/tmp", List.of())),
                0, 0, 0, List.of(), List.of(), false, true);
        Map<String, Map<String, Object>> ours = mountsByDestination(generate(c, 0, 0, List.of()));
        assertEquals("/srv/hosts", ours.get("/etc/hosts").get("source"));
        assertEquals("/srv/tmp", ours.get("/tmp").get("source"));
        assertEquals("tmpfs", ours.get("/run").get("type"), "the other read-only scratch dirs stay");
    }

    @Test
    void pidsLimitZeroMeansPodmansDefaultAndMinusOneLiftsIt() {
        assertEquals(Map.of("limit", 2048L), map(generate(plain(false), 0, 0, List.of()), "linux", "resources").get("pids"));
        ContainerConfig unlimited = config(List.of("true"), List.of(), "/", "", "h", 15, List.of(), 0, 0, -1,
                List.of(), List.of(), false, false);
        assertFalse(map(generate(unlimited, 0, 0, List.of()), "linux", "resources").containsKey("pids"));
    }

    // ---------------------------------------------------------------- privileged

    @Test
    void privilegedGetsEveryCapabilityTheHostHasAndNoMaskedPaths() throws IOException {
        Map<String, Object> ref = podman("config-privileged.json");
        List<String> podmanAll = (List<String>) map(ref, "process", "capabilities").get("bounding");
        // podman's host lacked CAP_SYS_RESOURCE: "all" is all that the host's bounding set holds
        assertEquals(podmanAll, SpecGenerator.capabilities(plain(true), Set.copyOf(podmanAll)));
        assertEquals(SpecGenerator.ALL_CAPS, SpecGenerator.capabilities(plain(true), Set.copyOf(SpecGenerator.ALL_CAPS)));
        Map<String, Object> linux = map(generate(plain(true), 0, 0, List.of()), "linux");
        assertFalse(linux.containsKey("maskedPaths"));
        assertFalse(linux.containsKey("readonlyPaths"));
        assertFalse(linux.containsKey("seccomp"));
    }

    @Test
    void initRunsCatatonitAsPidOneLikePodman() {
        // podman --init: args ["/run/podman-init", "--", cmd...] and catatonit bind-mounted read-only there
        Map<String, Object> spec = Json.parseObject(Json.write(SpecGenerator.generate(new SpecGenerator.Inputs(
                plain(false), "/m", 0, 0, List.of(), List.of(), HOST_LIMITS, 0, Map.of(), "/p", null,
                "/usr/libexec/podman/catatonit"))));
        assertEquals(List.of("/run/podman-init", "--", "sleep", "100"), map(spec, "process").get("args"));
        Map<String, Object> m = mountsByDestination(spec).get("/run/podman-init");
        assertEquals("/usr/libexec/podman/catatonit", m.get("source"));
        assertEquals(List.of("bind", "ro", "rprivate"), m.get("options"));
        assertFalse(mountsByDestination(generate(plain(false), 0, 0, List.of())).containsKey("/run/podman-init"),
                "no init unless asked");
    }

    @Test
    void privilegedSysfsAndCgroupfsAreWritableAsPodmansAre() throws IOException {
        Map<String, Map<String, Object>> ref = mountsByDestination(podman("config-privileged.json"));
        Map<String, Map<String, Object>> ours = mountsByDestination(generate(plain(true), 0, 0, List.of()));
        for (String d : KERNEL_FS) assertSameMount(ref.get(d), ours.get(d), d);
    }

    // ---------------------------------------------------------------- capabilities and rlimits

    @Test
    void capNameNormalisesAndRejectsUnknownNames() {
        assertEquals("CAP_NET_ADMIN", SpecGenerator.capName("net_admin"));
        assertEquals("CAP_NET_ADMIN", SpecGenerator.capName(" CAP_NET_ADMIN "));
        assertEquals("ALL", SpecGenerator.capName("all"));
        JpodException e = assertThrows(JpodException.class, () -> SpecGenerator.capName("NOT_A_CAP"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("unknown capability \"NOT_A_CAP\": use a name like NET_ADMIN or ALL", e.getMessage());
    }

    static ContainerConfig caps(List<String> add, List<String> drop) {
        return config(List.of("true"), List.of(), "/", "", "h", 15, List.of(), 0, 0, 0, add, drop, false, false);
    }

    @Test
    void capAddAllGivesWhatTheHostHasMinusDrops() {
        Set<String> host = Set.of("CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN", "CAP_NET_ADMIN");
        List<String> all = SpecGenerator.capabilities(caps(List.of("ALL"), List.of()), host);
        assertTrue(all.containsAll(host), all.toString());
        assertFalse(all.contains("CAP_SYS_MODULE"), "not in the host's bounding set");
        List<String> dropped = SpecGenerator.capabilities(caps(List.of("ALL"), List.of("SYS_ADMIN")), host);
        assertFalse(dropped.contains("CAP_SYS_ADMIN"));
        assertTrue(dropped.contains("CAP_NET_ADMIN"));
    }

    @Test
    void capDropAllKeepsOnlyTheAddedCapabilitiesAsPodmanDoes() {
        assertEquals(List.of("CAP_NET_BIND_SERVICE"),
                SpecGenerator.capabilities(caps(List.of("NET_BIND_SERVICE"), List.of("ALL")), Set.copyOf(SpecGenerator.ALL_CAPS)));
        assertEquals(List.of(), SpecGenerator.capabilities(caps(List.of(), List.of("all")), Set.copyOf(SpecGenerator.ALL_CAPS)));
    }

    @Test
    void rlimitsAreNeverAboveTheHostsHardLimits() {
        List<Map<String, Object>> low = SpecGenerator.rlimits(HOST_LIMITS);
        assertEquals(List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L),
                Map.of("type", "RLIMIT_NPROC", "hard", 4096L, "soft", 4096L)), low);
        List<Map<String, Object>> high = SpecGenerator.rlimits(Map.of("RLIMIT_NOFILE", new long[] {1024, Long.MAX_VALUE},
                "RLIMIT_NPROC", new long[] {10, 9_000_000}));
        assertEquals(1048576L, high.get(0).get("hard"), "podman's default when the host allows it");
        assertEquals(4194304L, high.get(1).get("soft"));
        assertEquals(List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1048576L, "soft", 1048576L),
                Map.of("type", "RLIMIT_NPROC", "hard", 4194304L, "soft", 4194304L)), SpecGenerator.rlimits(Map.of()));
    }

    @Test
    void hostNetworkDropsTheNetworkNamespaceAndSysctl() {
        ContainerConfig c = new ContainerConfig(ID, "n", "i", "i", List.of(), List.of("true"), List.of(), "/", "", "h",
                Map.of(), 15, 10, Instant.EPOCH, List.of(), List.of(), 0, 0, 0, 0, List.of(), List.of(), false, false, -1,
                List.of(), false, false, false, "host", false, "/jpod_parent", null, null, null);
        Map<String, Object> linux = map(generate(c, 0, 0, List.of()), "linux");
        assertFalse(linux.containsKey("sysctl"));
        assertFalse(((List<Object>) linux.get("namespaces")).contains(Map.of("type", "network")));
    }
}
