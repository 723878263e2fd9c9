package io.jpod.oci;

import io.jpod.testing.FakeProcessLauncher;
import io.jpod.testing.FakeSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.jpod.testing.FakeProcessLauncher.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConmonCgroupTest {
    static final String ID = "ab" + "0".repeat(62);

    @TempDir
    Path root;

    /** A cgroup v1 mount tree: one dir per controller, each with its root cgroup.procs. */
    void v1(String... controllers) throws IOException {
        for (String c : controllers) {
            Files.createDirectories(root.resolve(c));
            Files.writeString(root.resolve(c).resolve("cgroup.procs"), "1\n");
        }
    }

    Path procs(String controller) {
        return root.resolve(controller).resolve("jpod_parent").resolve("conmon").resolve("cgroup.procs");
    }

    @Test
    void cgroupfsWritesThePidIntoParentConmonOfEveryHierarchy() throws IOException {
        v1("memory", "pids", "cpu,cpuacct", "freezer");
        assertNull(new ConmonCgroup.Cgroupfs(root).move(4321, "/jpod_parent", ID));
        for (String c : List.of("memory", "pids", "cpu,cpuacct", "freezer")) {
            assertEquals("4321", Files.readString(procs(c)), c);
        }
    }

    @Test
    void cpusetIsSkipped() throws IOException {
        v1("memory", "cpuset");
        assertNull(new ConmonCgroup.Cgroupfs(root).move(4321, "/jpod_parent", ID));
        assertFalse(Files.exists(root.resolve("cpuset").resolve("jpod_parent")), "cpuset needs cpus/mems first");
        assertEquals("4321", Files.readString(procs("memory")));
    }

    @Test
    void symlinkedHierarchiesAndPlainDirsAreNotWrittenTwice() throws IOException {
        v1("cpu,cpuacct");
        Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
        Files.createDirectories(root.resolve("not-a-hierarchy")); // no cgroup.procs: not a mounted controller
        assertEquals(List.of(root.resolve("cpu,cpuacct")), ConmonCgroup.Cgroupfs.hierarchies(root));
        assertNull(new ConmonCgroup.Cgroupfs(root).move(4321, "/jpod_parent", ID));
        assertFalse(Files.exists(root.resolve("not-a-hierarchy").resolve("jpod_parent")));
    }

    @Test
    void cgroupV2UsesTheUnifiedRootOnly() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(root.resolve("cgroup.procs"), "1\n");
        Files.createDirectories(root.resolve("system.slice"));
        Files.writeString(root.resolve("system.slice").resolve("cgroup.procs"), "");
        assertNull(new ConmonCgroup.Cgroupfs(root).move(99, "jpod_parent", ID));
        assertEquals("99", Files.readString(root.resolve("jpod_parent/conmon/cgroup.procs")));
        assertFalse(Files.exists(root.resolve("system.slice/jpod_parent")));
    }

    @Test
    void aFailingHierarchyGivesAWarningAndTheOthersStillGetThePid() throws IOException {
        v1("memory", "pids");
        Files.writeString(root.resolve("pids").resolve("jpod_parent"), "a file where the cgroup dir should be");
        String warning = new ConmonCgroup.Cgroupfs(root).move(4321, "/jpod_parent", ID);
        assertTrue(warning != null && warning.startsWith("failed to add conmon to cgroupfs sandbox cgroup: pids: "), warning);
        assertFalse(warning.contains("memory"), warning);
        assertEquals("4321", Files.readString(procs("memory")));
    }

    @Test
    void aMissingCgroupRootIsNoError() {
        assertNull(new ConmonCgroup.Cgroupfs(root.resolve("nothing-mounted")).move(1, "/jpod_parent", ID));
    }

    @Test
    void systemdScopeAsksSystemdForATransientScopeHoldingConmon() {
        FakeSyscalls sys = new FakeSyscalls();
        FakeProcessLauncher launcher = new FakeProcessLauncher(sys);
        assertNull(new ConmonCgroup.SystemdScope(launcher).move(4321, "machine.slice", ID));
        assertEquals(List.of("busctl", "call", "--system", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "StartTransientUnit", "ssa(sv)a(sa(sv))",
                "jpod-conmon-" + ID + ".scope", "fail", "2", "PIDs", "au", "1", "4321", "Slice", "s", "machine.slice", "0"),
                launcher.ran.getFirst());
    }

    @Test
    void systemdScopeDefaultsToMachineSlice() {
        assertEquals("machine.slice", ConmonCgroup.SystemdScope.argv(1, null, ID).get(17));
        assertEquals("machine.slice", ConmonCgroup.SystemdScope.argv(1, "", ID).get(17));
        assertEquals("user.slice", ConmonCgroup.SystemdScope.argv(1, "user.slice", ID).get(17));
    }

    @Test
    void systemdScopeFailureIsAWarningWithBusctlsWords() {
        FakeSyscalls sys = new FakeSyscalls();
        FakeProcessLauncher launcher = new FakeProcessLauncher(sys).onRun(a -> fail(1, "Unit jpod-conmon-x.scope already exists.\n"));
        assertEquals("failed to create systemd scope for conmon: Unit jpod-conmon-x.scope already exists.",
                new ConmonCgroup.SystemdScope(launcher).move(4321, "machine.slice", ID));
    }

    @Test
    void forKindPicksTheImplementation() {
        FakeProcessLauncher launcher = new FakeProcessLauncher(new FakeSyscalls());
        assertInstanceOf(ConmonCgroup.SystemdScope.class,
                ConmonCgroup.forKind(RuntimeConfig.CgroupManagerKind.SYSTEMD, launcher, root));
        assertInstanceOf(ConmonCgroup.Cgroupfs.class,
                ConmonCgroup.forKind(RuntimeConfig.CgroupManagerKind.CGROUPFS, launcher, root));
    }
}
