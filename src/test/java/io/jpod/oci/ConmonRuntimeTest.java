package io.jpod.oci;

import io.jpod.sys.ExecResult;
import io.jpod.sys.SpawnSpec;
import io.jpod.sys.SysException;
import io.jpod.sys.Syscalls;
import io.jpod.testing.FakeClock;
import io.jpod.testing.FakeProcessLauncher;
import io.jpod.testing.FakeSyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import static io.jpod.testing.FakeProcessLauncher.fail;
import static io.jpod.testing.FakeProcessLauncher.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConmonRuntimeTest {
    static final String ID = "c0ffee" + "0".repeat(58);
    static final String CONMON = "/usr/bin/conmon";
    static final String RUNC = "/usr/sbin/runc";

    @TempDir
    Path tmp;

    FakeClock clock;
    FakeSyscalls sys;
    FakeProcessLauncher launcher;
    List<String> warnings;
    FakeLabel label;
    Map<String, String> hostEnv;
    String cgroupWarning;

    /** SELinux in memory: every setExec lands in the syscalls' event log, beside spawns. */
    final class FakeLabel implements ProcessLabel {
        boolean enabled;
        String current;
        final List<String> set = new ArrayList<>();

        @Override public boolean enabled() { return enabled; }
        @Override public String current() { return current; }
        @Override public void setExec(String l) {
            set.add(l);
            sys.events.add("setexec " + l);
        }
    }

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        sys = new FakeSyscalls(clock);
        launcher = new FakeProcessLauncher(sys);
        warnings = new ArrayList<>();
        label = new FakeLabel();
        hostEnv = new HashMap<>();
        cgroupWarning = null;
    }

    Path runcRoot() { return tmp.resolve("runc"); }

    RuntimeConfig config(boolean rootless, boolean reservePorts) {
        return new RuntimeConfig("runc", Path.of(RUNC), runcRoot(), Path.of(CONMON), List.of("PATH=/usr/bin:/bin"),
                RuntimeConfig.CgroupManagerKind.CGROUPFS, tmp.resolve("run"), -1, false, reservePorts, "error", rootless);
    }

    ConmonRuntime runtime(RuntimeConfig config) {
        ConmonCgroup cgroup = (pid, parent, id) -> {
            sys.events.add("cgroup.move " + pid + " " + parent + " " + id);
            return cgroupWarning;
        };
        return new ConmonRuntime(config, launcher, sys, clock, cgroup, label, hostEnv, warnings::add);
    }

    ConmonRuntime runtime() {
        return runtime(config(false, true));
    }

    CreateRequest request(List<PortMapping> ports) {
        return new CreateRequest(ID, "web", tmp.resolve("bundle"), tmp.resolve("persist"),
                tmp.resolve("bundle").resolve("ctr.log"), false, false, List.of(), "/jpod_parent", ports, null, -1);
    }

    /** conmon as seen from jpod: sends one sync line (or nothing), writes its pid file, and lets go of the pipe. */
    void conmonSends(String syncLine, boolean hangs) {
        launcher.onSpawn(s -> {
            if (!s.spec().argv().getFirst().equals(CONMON)) return;
            var end = sys.childEnd(s.spec().fds().get(3));
            if (syncLine != null) end.write(syncLine);
            if (!hangs) end.close();
            try {
                Files.createDirectories(tmp.resolve("persist"));
                Files.writeString(tmp.resolve("persist").resolve("conmon.pid"), "777");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    SpawnSpec conmonSpawn() {
        List<SpawnSpec> c = launcher.spawned.stream().map(FakeProcessLauncher.Spawn::spec)
                .filter(s -> s.argv().getFirst().equals(CONMON)).toList();
        assertEquals(1, c.size(), "conmon spawned once");
        return c.getFirst();
    }

    /** The write end of the pipe whose read end is fd. */
    int writeEndOf(int readFd) {
        for (String e : sys.events) {
            String[] f = e.split(" ");
            if (f[0].equals("pipe") && Integer.parseInt(f[1]) == readFd) return Integer.parseInt(f[2]);
        }
        throw new AssertionError("no pipe with read end " + readFd + " in " + sys.events);
    }

    List<String> runc(String... verb) {
        List<String> a = new ArrayList<>(List.of(RUNC, "--root", runcRoot().toString()));
        a.addAll(List.of(verb));
        return a;
    }

    // ---------------------------------------------------------------- create

    @Test
    void createReturnsThePidConmonReportsAndConmonsOwnPid() {
        conmonSends("{\"data\": 4321}\n", false);
        OciRuntime.Created c = runtime().create(request(List.of()));
        assertEquals(4321, c.pid());
        assertEquals(777, c.conmonPid());
    }

    @Test
    void createSpawnsConmonWithSyncPipeOn3AndStartPipeOn4() {
        conmonSends("{\"data\": 4321}\n", false);
        ConmonRuntime rt = runtime();
        rt.create(request(List.of()));
        SpawnSpec spec = conmonSpawn();
        assertEquals(Set.of(3, 4), spec.fds().keySet());
        int syncW = spec.fds().get(3), startR = spec.fds().get(4);
        assertEquals(syncW, writeEndOf(syncW - 1), "fd 3 is the write end of the sync pipe");
        assertTrue(sys.events.contains("pipe " + startR + " " + writeEndOf(startR)), "fd 4 is the read end of the start pipe");
        assertEquals(rt.conmonArgs(request(List.of())).argv(), spec.argv());
        assertEquals(tmp.resolve("bundle").toString(), spec.cwd());
        assertTrue(spec.newProcessGroup(), "conmon must not get the terminal's signals");
        assertEquals(List.of("PATH=/usr/bin:/bin", "_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=4", "XDG_RUNTIME_DIR=/run", "HOME=/root"),
                spec.env());
    }

    @Test
    void conmonArgsComeFromTheRuntimeConfigAndRequest() {
        ConmonArgs a = runtime().conmonArgs(new CreateRequest(ID, "web", tmp.resolve("b"), tmp.resolve("p"),
                tmp.resolve("b/ctr.log"), true, true, List.of("/x", "cleanup"), "/jpod_parent", List.of(), tmp.resolve("ckpt"),
                1048576));
        assertEquals(CONMON, a.conmonPath());
        assertEquals(RUNC, a.runtimePath());
        assertEquals(runcRoot().toString(), a.runtimeRoot());
        assertEquals(tmp.resolve("p/pidfile").toString(), a.pidFile());
        assertEquals(tmp.resolve("p/conmon.pid").toString(), a.conmonPidFile());
        assertEquals(tmp.resolve("run/exits").toString(), a.exitDir());
        assertEquals(tmp.resolve("run/socket").toString(), a.socketDir());
        assertEquals(tmp.resolve("p").toString(), a.persistDir());
        assertEquals(tmp.resolve("ckpt").toString(), a.restorePath());
        assertEquals(List.of("/x", "cleanup"), a.exitCommand());
        assertTrue(a.terminal());
        assertFalse(a.systemdCgroup());
        assertEquals(1048576, a.logSizeMax(), "the container's --log-opt max-size");
        assertEquals(-1, runtime().conmonArgs(request(List.of())).logSizeMax(), "unset: the runtime's default");
    }

    @Test
    void createMovesConmonIntoItsCgroupBeforeWritingTheStartByte() {
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of()));
        int startW = writeEndOf(conmonSpawn().fds().get(4));
        int spawn = sys.events.indexOf("spawn " + CONMON);
        int move = sys.events.indexOf("cgroup.move 2000 /jpod_parent " + ID);
        int startByte = sys.events.indexOf("write " + startW + " 1");
        int wait = sys.events.indexOf("wait 2000");
        assertTrue(spawn >= 0 && move > spawn, sys.events.toString());
        assertTrue(startByte > move, "conmon may only be let go once it is in its cgroup: " + sys.events);
        assertTrue(wait > startByte, sys.events.toString());
    }

    @Test
    void aCgroupMoveWarningIsLoggedNotFatal() {
        cgroupWarning = "failed to add conmon to cgroupfs sandbox cgroup: memory: denied";
        conmonSends("{\"data\": 4321}\n", false);
        assertEquals(4321, runtime().create(request(List.of())).pid());
        assertEquals(List.of(cgroupWarning), warnings);
    }

    @Test
    void createLeavesNoFdOpen() {
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of(new PortMapping("", 8080, 80, "tcp"))));
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void reservedPortsArePassedFromFd5InOrder() {
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of(new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 5353, 53, "udp"))));
        SpawnSpec spec = conmonSpawn();
        assertEquals(Set.of(3, 4, 5, 6), spec.fds().keySet());
        assertTrue(sys.events.contains("bind tcp 8080 -> " + spec.fds().get(5)), sys.events.toString());
        assertTrue(sys.events.contains("bind udp 5353 -> " + spec.fds().get(6)), sys.events.toString());
    }

    @Test
    void portsAreNotBoundWhenReservationIsOff() {
        conmonSends("{\"data\": 4321}\n", false);
        runtime(config(false, false)).create(request(List.of(new PortMapping("", 8080, 80, "tcp"))));
        assertEquals(Set.of(3, 4), conmonSpawn().fds().keySet());
        assertTrue(sys.events.stream().noneMatch(e -> e.startsWith("bind")));
    }

    @Test
    void aBusyHostPortFailsTheCreateNamingThePortAndLeaksNothing() {
        ConmonRuntime rt = new ConmonRuntime(config(false, true), launcher, new PortTakenSyscalls(sys, 8081),
                clock, (p, c, i) -> null, label, hostEnv, warnings::add);
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> rt.create(request(List.of(
                new PortMapping("", 8080, 80, "tcp"), new PortMapping("", 8081, 81, "tcp")))));
        assertTrue(e.getMessage().startsWith("cannot reserve host port 8081/tcp: "), e.getMessage());
        assertTrue(e.getMessage().contains("pick another host port"), e.getMessage());
        assertInstanceOf(SysException.class, e.getCause());
        assertTrue(launcher.spawned.isEmpty(), "nothing spawned");
        assertEquals(Set.of(), sys.openFds(), "pipes and the port bound first are closed");
    }

    /** Delegates to the fake but refuses one port with EADDRINUSE, as a port another process holds. */
    static final class PortTakenSyscalls implements Syscalls {
        private final FakeSyscalls d;
        private final int taken;

        PortTakenSyscalls(FakeSyscalls d, int taken) {
            this.d = d;
            this.taken = taken;
        }

        @Override public int kill(int pid, int signal) { return d.kill(pid, signal); }
        @Override public boolean isatty(int fd) { return d.isatty(fd); }
        @Override public int[] pipe() { return d.pipe(); }
        @Override public void close(int fd) { d.close(fd); }
        @Override public int write(int fd, byte[] data, int off, int len) { return d.write(fd, data, off, len); }
        @Override public int read(int fd, byte[] buf, int off, int len) { return d.read(fd, buf, off, len); }
        @Override public boolean pollIn(int fd, int timeoutMillis) { return d.pollIn(fd, timeoutMillis); }
        @Override public void mount(String s, String t, String f, long fl, String data) { d.mount(s, t, f, fl, data); }
        @Override public void umount2(String target, int flags) { d.umount2(target, flags); }
        @Override public int connectSeqpacket(String path) { return d.connectSeqpacket(path); }
        @Override public void shutdownWrite(int fd) { d.shutdownWrite(fd); }
        @Override public int openFifoWriter(String path) { return d.openFifoWriter(path); }
        @Override public int dupAbove(int fd, int floor) { return d.dupAbove(fd, floor); }

        @Override
        public int bindPort(String protocol, String hostIp, int port) {
            if (port == taken) throw new SysException("bind", hostIp + ":" + port, EADDRINUSE, "Address already in use");
            return d.bindPort(protocol, hostIp, port);
        }
    }

    @Test
    void socketActivationFdsAndNotifySocketArePassedThrough() {
        hostEnv.put("LISTEN_FDS", "2");
        hostEnv.put("NOTIFY_SOCKET", "/run/systemd/notify");
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of(new PortMapping("", 8080, 80, "tcp"))));
        SpawnSpec spec = conmonSpawn();
        assertTrue(spec.env().contains("LISTEN_FDS=2"), spec.env().toString());
        assertTrue(spec.env().contains("LISTEN_PID=1"), "conmon is pid 1 of nothing, but the container's process will be");
        assertTrue(spec.env().contains("NOTIFY_SOCKET=/run/systemd/notify"), spec.env().toString());
        assertEquals(Set.of(3, 4, 5, 6, 7), spec.fds().keySet());
        assertEquals(3, spec.fds().get(6), "systemd's first socket (our fd 3) follows the reserved port");
        assertEquals(4, spec.fds().get(7));
    }

    @Test
    void withoutSocketActivationNoListenVariables() {
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of()));
        assertTrue(conmonSpawn().env().stream().noneMatch(e -> e.startsWith("LISTEN_") || e.startsWith("NOTIFY_SOCKET")));
    }

    @Test
    void conmonReportingFailureThrowsRuncsMessageAndDeletesTheHalfCreatedContainer() {
        conmonSends("{\"data\": -1, \"message\": \"runc create failed: unable to start container process: exec: "
                + "\\\"nope\\\": executable file not found in $PATH\"}\n", false);
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().create(request(List.of())));
        assertEquals("runc: runc create failed: unable to start container process: exec: \"nope\": executable file not "
                + "found in $PATH: OCI runtime attempted to invoke a command that was not found", e.getMessage(), "podman's words");
        assertTrue(launcher.ran.contains(runc("delete", "--force", ID)), launcher.ran.toString());
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void conmonExitingWithoutAPidFailsAndDeletes() {
        conmonSends(null, false);
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().create(request(List.of())));
        assertTrue(e.getMessage().contains("conmon exited without reporting the container's pid"), e.getMessage());
        assertTrue(launcher.ran.contains(runc("delete", "--force", ID)));
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void conmonSayingNothingTimesOutAfterTheCreateTimeout() {
        conmonSends(null, true);
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().create(request(List.of())));
        assertEquals("container creation timeout: conmon sent no pid within 240s", e.getMessage());
        assertTrue(clock.elapsed().compareTo(ConmonRuntime.CREATE_TIMEOUT) >= 0);
        assertTrue(clock.elapsed().compareTo(ConmonRuntime.CREATE_TIMEOUT.plus(Duration.ofSeconds(1))) < 0);
        assertTrue(launcher.ran.contains(runc("delete", "--force", ID)));
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void conmonExitingNonZeroReportsItsStatusAndMessage() {
        conmonSends("{\"data\": -1, \"message\": \"failed to open log file\"}\n", false);
        launcher.exitCode(launcher.nextPid(), 1);
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().create(request(List.of())));
        assertEquals("conmon failed with exit status 1: failed to open log file", e.getMessage());
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void conmonNotInstalledSaysHowToInstallItAndLeaksNoPipe() {
        SysException enoent = new SysException("posix_spawn", CONMON, Syscalls.ENOENT, "No such file or directory");
        launcher.onSpawn(s -> { throw enoent; });
        OciRuntimeException e = assertThrows(OciRuntimeException.class,
                () -> runtime().create(request(List.of(new PortMapping("", 8080, 80, "tcp")))));
        assertTrue(e.getMessage().contains("conmon not found at " + CONMON), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install conmon"), e.getMessage());
        assertSame(enoent, e.getCause());
        assertEquals(Set.of(), sys.openFds(), "every pipe end and the reserved port are closed");
    }

    @Test
    void otherSpawnErrorsPassThroughUnchanged() {
        SysException eperm = new SysException("posix_spawn", CONMON, Syscalls.EPERM, "Operation not permitted");
        launcher.onSpawn(s -> { throw eperm; });
        SysException e = assertThrows(SysException.class, () -> runtime().create(request(List.of())));
        assertSame(eperm, e);
        assertEquals(Set.of(), sys.openFds());
    }

    // ---------------------------------------------------------------- SELinux

    @Test
    void withSelinuxConmonIsSpawnedAtLevelS0AndTheExecLabelIsReset() {
        label.enabled = true;
        label.current = "system_u:system_r:container_runtime_t:s0:c1,c2";
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of()));
        int set = sys.events.indexOf("setexec system_u:system_r:container_runtime_t:s0");
        int spawn = sys.events.indexOf("spawn " + CONMON);
        int reset = sys.events.indexOf("setexec null");
        assertTrue(set >= 0 && spawn > set && reset > spawn, sys.events.toString());
        assertEquals(2, label.set.size());
    }

    @Test
    void theExecLabelIsResetEvenWhenSpawnFails() {
        label.enabled = true;
        label.current = "system_u:system_r:container_runtime_t:s0:c1,c2";
        launcher.onSpawn(s -> { throw new SysException("posix_spawn", CONMON, Syscalls.ENOENT, "No such file or directory"); });
        assertThrows(OciRuntimeException.class, () -> runtime().create(request(List.of())));
        assertEquals(java.util.Arrays.asList("system_u:system_r:container_runtime_t:s0", null), label.set);
    }

    @Test
    void labelAlreadyAtS0OrSelinuxOffLeavesTheExecLabelAlone() {
        label.enabled = true;
        label.current = "system_u:system_r:container_runtime_t:s0";
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of()));
        assertTrue(label.set.isEmpty());

        setUp();
        label.enabled = false;
        label.current = "system_u:system_r:container_runtime_t:s0:c1,c2";
        conmonSends("{\"data\": 4321}\n", false);
        runtime().create(request(List.of()));
        assertTrue(label.set.isEmpty());
    }

    @Test
    void conmonLabelForcesTheLevelToS0() {
        assertEquals("system_u:system_r:container_runtime_t:s0",
                ProcessLabel.conmonLabel("system_u:system_r:container_runtime_t:s0:c1,c2"));
        assertEquals("unconfined_u:unconfined_r:unconfined_t:s0",
                ProcessLabel.conmonLabel("unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023"));
        assertEquals(null, ProcessLabel.conmonLabel("system_u:system_r:container_runtime_t:s0"));
        assertEquals(null, ProcessLabel.conmonLabel("system_u:system_r:spc_t"));
        assertEquals(null, ProcessLabel.conmonLabel(""));
        assertEquals(null, ProcessLabel.conmonLabel(null));
    }

    // ---------------------------------------------------------------- rootless

    @Test
    void rootlessPassesASlirpPipeToConmonAndClosesOurEnds() {
        conmonSends("{\"data\": 4321}\n", false);
        hostEnv.put("XDG_RUNTIME_DIR", "/run/user/1000");
        runtime(config(true, true)).create(request(List.of()));
        SpawnSpec spec = conmonSpawn();
        assertEquals(Set.of(3, 4, 5), spec.fds().keySet());
        int slirpW = spec.fds().get(5);
        assertEquals(slirpW, writeEndOf(slirpW - 1), "fd 5 is the write end of a third pipe");
        assertTrue(spec.env().contains("XDG_RUNTIME_DIR=/run/user/1000"));
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void rootlessKillHasNoAllFlag() {
        ConmonRuntime rt = runtime(config(true, true));
        rt.kill(ID, 9, true);
        assertEquals(runc("kill", ID, "9"), launcher.ran.getLast());
    }

    @Test
    void rootfulKillAllSignalsEveryProcessBySignalNumber() {
        ConmonRuntime rt = runtime();
        rt.kill(ID, 9, true);
        assertEquals(runc("kill", "--all", ID, "9"), launcher.ran.getLast());
        rt.kill(ID, 15, false);
        assertEquals(runc("kill", ID, "15"), launcher.ran.getLast());
    }

    @Test
    void killFailureCarriesRuncsMessage() {
        launcher.onRun(a -> fail(1, "time=\"2026-01-01T00:00:00Z\" level=error msg=\"container not running\""));
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().kill(ID, 15, false));
        assertEquals("sending signal 15 to container " + ID + ": runc: container not running", e.getMessage());
    }

    // ---------------------------------------------------------------- runc verbs

    @Test
    void startPauseResumeRunRuncWithItsRoot() {
        ConmonRuntime rt = runtime();
        rt.start(ID);
        rt.pause(ID);
        rt.resume(ID);
        assertEquals(List.of(runc("start", ID), runc("pause", ID), runc("resume", ID)), launcher.ran);
        assertTrue(launcher.ranEnv.getFirst().contains("XDG_RUNTIME_DIR=/run"));
    }

    @Test
    void runtimeMissingSaysHowToInstallIt() {
        launcher.onRun(a -> { throw new SysException("posix_spawn", RUNC, Syscalls.ENOENT, "No such file or directory"); });
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().start(ID));
        assertTrue(e.getMessage().contains("OCI runtime runc not found at " + RUNC), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install runc"), e.getMessage());
    }

    static String runcState(String status, int pid) {
        return "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"" + ID + "\",\"pid\":" + pid + ",\"status\":\"" + status
                + "\",\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\",\"created\":\"2026-01-01T00:00:00.1Z\",\"owner\":\"\"}";
    }

    @Test
    void stateMapsRuncsStatuses() {
        ConmonRuntime rt = runtime();
        Map<String, RuntimeStatus> expected = Map.of(
                "created", new RuntimeStatus(RuntimeStatus.Kind.CREATED, 4321),
                "running", new RuntimeStatus(RuntimeStatus.Kind.RUNNING, 4321),
                "paused", new RuntimeStatus(RuntimeStatus.Kind.PAUSED, 4321),
                "stopped", new RuntimeStatus(RuntimeStatus.Kind.STOPPED, 0));
        for (var e : expected.entrySet()) {
            launcher.onRun(a -> ok(runcState(e.getKey(), e.getValue().pid())));
            assertEquals(e.getValue(), rt.state(ID), e.getKey());
        }
        assertEquals(runc("state", ID), launcher.ran.getLast());
    }

    @Test
    void stateOfAContainerRuncDoesNotKnowIsNotFound() {
        launcher.onRun(a -> fail(1, "time=\"2026-01-01T00:00:00Z\" level=error msg=\"container does not exist\""));
        assertEquals(RuntimeStatus.Kind.NOT_FOUND, runtime().state(ID).kind());
    }

    @Test
    void stateFailuresAndUnknownStatusesAreErrors() {
        launcher.onRun(a -> fail(1, "time=\"x\" level=error msg=\"open /run/runc: permission denied\""));
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().state(ID));
        assertEquals("getting container " + ID + " state: open /run/runc: permission denied", e.getMessage());
        launcher.onRun(a -> ok(runcState("creating", 1)));
        OciRuntimeException u = assertThrows(OciRuntimeException.class, () -> runtime().state(ID));
        assertTrue(u.getMessage().contains("unrecognized status returned by runtime for container " + ID + ": creating"));
    }

    @Test
    void deleteIsSkippedWhenRuncHasNoStateDir() {
        runtime().delete(ID, true);
        assertTrue(launcher.ran.isEmpty(), "no runc process for a container runc never knew");
    }

    @Test
    void deleteRunsRuncWhenItsStateDirExists() throws IOException {
        Files.createDirectories(runcRoot().resolve(ID));
        ConmonRuntime rt = runtime();
        rt.delete(ID, true);
        rt.delete(ID, false);
        assertEquals(List.of(runc("delete", "--force", ID), runc("delete", ID)), launcher.ran);
    }

    @Test
    void deleteToleratesAContainerAlreadyGoneButNotOtherErrors() throws IOException {
        Files.createDirectories(runcRoot().resolve(ID));
        launcher.onRun(a -> fail(1, "level=error msg=\"container does not exist\""));
        runtime().delete(ID, true);
        launcher.onRun(a -> fail(1, "level=error msg=\"cannot delete container that is not stopped\""));
        OciRuntimeException e = assertThrows(OciRuntimeException.class, () -> runtime().delete(ID, false));
        assertEquals("deleting container " + ID + ": runc: cannot delete container that is not stopped", e.getMessage());
    }

    @Test
    void checkpointArgvWithAndWithoutLeaveRunning() {
        ConmonRuntime rt = runtime();
        rt.checkpoint(ID, Path.of("/ckpt/image"), Path.of("/ckpt/work"), true, false);
        assertEquals(runc("checkpoint", "--image-path", "/ckpt/image", "--work-path", "/ckpt/work", "--leave-running", ID),
                launcher.ran.getLast());
        rt.checkpoint(ID, Path.of("/ckpt/image"), Path.of("/ckpt/work"), false, true);
        assertEquals(runc("checkpoint", "--image-path", "/ckpt/image", "--work-path", "/ckpt/work", "--tcp-established", ID),
                launcher.ran.getLast());
        rt.checkpoint(ID, Path.of("/ckpt/image"), Path.of("/ckpt/work"), false, false);
        assertEquals(runc("checkpoint", "--image-path", "/ckpt/image", "--work-path", "/ckpt/work", ID),
                launcher.ran.getLast());
    }

    @Test
    void checkpointFailureNamesTheContainer() {
        launcher.onRun(a -> fail(1, "level=error msg=\"criu failed: type NOTIFY errno 0\""));
        OciRuntimeException e = assertThrows(OciRuntimeException.class,
                () -> runtime().checkpoint(ID, Path.of("/i"), Path.of("/w"), false, false));
        assertEquals("checkpointing container " + ID + ": runc: criu failed: type NOTIFY errno 0", e.getMessage());
    }

    @Test
    void exitCodeReadsConmonsExitFile() throws IOException {
        ConmonRuntime rt = runtime();
        assertEquals(OptionalInt.empty(), rt.exitCode(ID));
        Files.writeString(rt.exitFile(ID), "");
        assertEquals(OptionalInt.empty(), rt.exitCode(ID), "conmon is mid-write");
        Files.writeString(rt.exitFile(ID), "137");
        assertEquals(OptionalInt.of(137), rt.exitCode(ID));
        assertEquals(tmp.resolve("run/exits").resolve(ID), rt.exitFile(ID));
        Files.writeString(rt.exitFile(ID), "garbage");
        assertThrows(OciRuntimeException.class, () -> rt.exitCode(ID));
        rt.removeExitFile(ID);
        assertFalse(Files.exists(rt.exitFile(ID)));
    }

    // ---------------------------------------------------------------- exec

    Path execDir() { return tmp.resolve("bundle").resolve("exec").resolve("sess1"); }

    ExecRequest execRequest(boolean tty, boolean stdin, boolean attach, List<String> exitCommand) {
        return new ExecRequest(ID, "web", "sess1", execDir(), "{\"args\":[\"ls\"]}", tty, stdin, attach, -1, exitCommand);
    }

    /** conmon in exec mode: the attach-ready message on fd 5 (when attaching), then the given sync lines on fd 3. */
    void conmonExecSends(boolean attach, String... syncLines) {
        launcher.onSpawn(s -> {
            if (!s.spec().argv().getFirst().equals(CONMON)) return;
            if (attach) {
                var ready = sys.childEnd(s.spec().fds().get(5));
                ready.write("{\"data\": 0}\n");
                ready.close();
            }
            var sync = sys.childEnd(s.spec().fds().get(3));
            for (String l : syncLines) sync.write(l);
            sync.close();
        });
    }

    @Test
    void execConmonArgvRunsConmonInExecModeInTheSessionsDir() {
        List<String> a = runtime().execConmonArgv(execRequest(false, false, false, List.of()));
        String d = execDir().toString();
        assertEquals(List.of(CONMON, "--api-version", "1", "-c", ID, "-u", "sess1", "-r", RUNC, "-b", d,
                "-p", d + "/exec_pid", "-n", "web", "--exit-dir", d + "/exit", "--persist-dir", d + "/persist",
                "-P", d + "/conmon.pid", "-l", "k8s-file:" + d + "/exec_log",
                "--socket-dir-path", tmp.resolve("run").resolve("socket").toString(), "--log-level", "error",
                "-e", "--exec-process-spec", d + "/process.json",
                "--runtime-arg", "--root", "--runtime-arg", runcRoot().toString()), a);
        List<String> full = runtime().execConmonArgv(execRequest(true, true, true, List.of("/usr/bin/jpod", "cleanup")));
        assertTrue(full.containsAll(List.of("-t", "-i", "--exec-attach")), full.toString());
        int i = full.indexOf("--exit-command");
        assertEquals(List.of("--exit-command", "/usr/bin/jpod", "--exit-command-arg", "cleanup"), full.subList(i, i + 4));
    }

    @Test
    void detachedExecWritesTheSpecAndReturnsThePidConmonReports() throws IOException {
        conmonExecSends(false, "{\"data\": 4242}\n");
        try (OciRuntime.ExecProcess p = runtime().exec(execRequest(false, false, false, List.of()), s -> {
            throw new AssertionError("no attach without --exec-attach");
        })) {
            assertEquals(4242, p.pid());
        }
        assertEquals("{\"args\":[\"ls\"]}", Files.readString(execDir().resolve("process.json")));
        assertTrue(Files.isDirectory(execDir().resolve("exit")));
        SpawnSpec spec = conmonSpawn();
        assertTrue(spec.env().containsAll(List.of("_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=4")));
        assertFalse(spec.env().stream().anyMatch(e -> e.startsWith("_OCI_ATTACHPIPE")));
        assertEquals(Set.of(), sys.openFds(), "every pipe end closed once the session is let go");
    }

    @Test
    void attachedExecConnectsBeforeTheProcessStartsAndGetsItsExitCode() {
        // one read may bring both lines: the exit code must not be lost with the pid's read
        conmonExecSends(true, "{\"data\": 4242}\n{\"data\": 3}\n");
        List<String> order = new ArrayList<>();
        OciRuntime.ExecProcess p = runtime().exec(execRequest(true, true, true, List.of()), sock -> {
            order.add("attach " + sock);
            order.add("start bytes so far: " + sys.events.stream().filter(e -> e.startsWith("write ")).count());
        });
        SpawnSpec spec = conmonSpawn();
        assertTrue(spec.env().contains("_OCI_ATTACHPIPE=5"));
        assertEquals(List.of("attach " + tmp.resolve("run").resolve("socket").resolve("sess1").resolve("attach"),
                "start bytes so far: 1"), order, "the second start byte (the go) comes only after the attach");
        int startW = writeEndOf(spec.fds().get(4));
        assertEquals(2, sys.events.stream().filter(e -> e.equals("write " + startW + " 1")).count());
        assertEquals(4242, p.pid());
        assertEquals(3, p.waitExit());
        p.close();
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void execOfAMissingCommandIs127InPodmansWords() {
        conmonExecSends(false, "{\"data\": -1, \"message\": \"time=\\\"2026-01-01T00:00:00Z\\\" level=error "
                + "msg=\\\"exec failed: unable to start container process: exec: \\\\\\\"nope\\\\\\\": executable "
                + "file not found in $PATH\\\"\"}\n");
        ConmonRuntime.ExecFailedException e = assertThrows(ConmonRuntime.ExecFailedException.class,
                () -> runtime().exec(execRequest(false, false, false, List.of()), s -> {}));
        assertEquals(127, e.exitCode());
        assertEquals("runc: exec failed: unable to start container process: exec: \"nope\": executable file not found "
                + "in $PATH: OCI runtime attempted to invoke a command that was not found", e.getMessage(), "podman's words");
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void execOfANonExecutableIs126() {
        conmonExecSends(false, "{\"data\": -1, \"message\": \"exec failed: unable to start container process: exec: "
                + "/etc: permission denied\"}\n");
        ConmonRuntime.ExecFailedException e = assertThrows(ConmonRuntime.ExecFailedException.class,
                () -> runtime().exec(execRequest(false, false, false, List.of()), s -> {}));
        assertEquals(126, e.exitCode());
    }

    @Test
    void aFailedAttachKillsConmonSoNothingRunsUnattached() throws IOException {
        conmonExecSends(true, "{\"data\": 4242}\n");
        Files.createDirectories(execDir());
        Files.writeString(execDir().resolve("conmon.pid"), "888");
        sys.spawnProcess(888);
        assertThrows(IllegalStateException.class, () -> runtime().exec(execRequest(false, false, true, List.of()), s -> {
            throw new IllegalStateException("connect refused");
        }));
        assertTrue(sys.kills.stream().anyMatch(k -> k[0] == 888 && k[1] == 9),
                "conmon (and with it the runtime child waiting to start) is killed");
        assertEquals(Set.of(), sys.openFds());
    }

    @Test
    void waitExitFallsBackToTheExitFileWhenConmonSaysNothing() throws IOException {
        conmonExecSends(false, "{\"data\": 4242}\n");
        OciRuntime.ExecProcess p = runtime().exec(execRequest(false, false, false, List.of()), s -> {});
        Files.writeString(ExecRequest.exitFile(execDir(), ID), "137");
        assertEquals(137, p.waitExit());
        assertEquals(OptionalInt.of(137), runtime().execExitCode(execDir(), ID));
        p.close();
    }

    @Test
    void exitCodeForFollowsPodman() {
        assertEquals(127, ConmonRuntime.exitCodeFor("exec: \"nope\": executable file not found in $PATH"));
        assertEquals(127, ConmonRuntime.exitCodeFor("exec: \"/bin/nope\": stat /bin/nope: no such file or directory"));
        assertEquals(126, ConmonRuntime.exitCodeFor("exec: \"/etc/passwd\": permission denied"));
        assertEquals(126, ConmonRuntime.exitCodeFor("exec: \"/etc\": is a directory"));
        assertEquals(126, ConmonRuntime.exitCodeFor("exec: \"/x\": exec format error"));
        assertEquals(125, ConmonRuntime.exitCodeFor("container_linux.go: some other failure"));
        assertEquals(125, ConmonRuntime.exitCodeFor("open /run/runc/x/state.json: no such file or directory"),
                "only the process's own exec failing maps to 126/127");
    }

    // ---------------------------------------------------------------- error text

    @Test
    void runtimeErrorExtractsTheLastLogfmtMessage() {
        ExecResult r = fail(1, "time=\"2026-01-01T00:00:00Z\" level=warning msg=\"first\"\n"
                + "time=\"2026-01-01T00:00:00Z\" level=error msg=\"container \\\"web\\\" does not exist\"\n");
        assertEquals("container \"web\" does not exist", ConmonRuntime.runtimeError(r));
    }

    @Test
    void runtimeErrorFallsBackToPlainTextOrTheExitStatus() {
        assertEquals("boom", ConmonRuntime.runtimeError(fail(2, "boom\n")));
        assertEquals("from stdout", ConmonRuntime.runtimeError(new ExecResult(3, "from stdout\n".getBytes(), new byte[0])));
        assertEquals("exit status 4", ConmonRuntime.runtimeError(fail(4, "")));
    }

    @Test
    void cleanRuntimeMessageWordsCreateFailuresAsPodmanDoes() {
        ConmonRuntime rt = runtime();
        assertEquals("runc: runc create failed: unable to start container process: exec: \"/etc\": permission denied: "
                        + "OCI permission denied",
                rt.cleanRuntimeMessage("  runc create failed: unable to start container process: exec: \"/etc\": permission denied\n"));
        // what conmon 2.1 really sends: runc's logfmt stderr line, quotes escaped
        assertEquals("runc: runc create failed: unable to start container process: exec: \"nosuchcmd\": executable file "
                        + "not found in $PATH: OCI runtime attempted to invoke a command that was not found",
                rt.cleanRuntimeMessage("time=\"2026-11-29T14:18:55Z\" level=error msg=\"runc create failed: unable to start "
                        + "container process: exec: \\\"nosuchcmd\\\": executable file not found in $PATH\"\n"));
        assertEquals("runc: something else", rt.cleanRuntimeMessage("something else"));
        assertEquals("runc: already prefixed", rt.cleanRuntimeMessage("runc: already prefixed"));
    }

    @Test
    void attachSocketIsUnderTheSocketDir() {
        assertEquals(tmp.resolve("run/socket").resolve(ID).resolve("attach"), runtime().attachSocket(ID));
    }
}
