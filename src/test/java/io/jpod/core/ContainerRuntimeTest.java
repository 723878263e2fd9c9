package io.jpod.core;

import io.jpod.image.ImageStore;
import io.jpod.json.Json;
import io.jpod.oci.CreateRequest;
import io.jpod.oci.OciRuntimeException;
import io.jpod.oci.RuntimeStatus;
import io.jpod.state.ContainerRecord;
import io.jpod.state.ImageRecord;
import io.jpod.state.InMemoryStateStore;
import io.jpod.state.LockManager;
import io.jpod.testing.FakeClock;
import io.jpod.testing.FakeOciRuntime;
import io.jpod.testing.FakeSyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerRuntimeTest {
    static final String IMAGE_ID = "76d687514184218c3d6c13d55b6aa1795553e1023bf0f3719af1204b03f3e9f4";
    static final String DIFF_HEX = "d1".repeat(32);

    @TempDir
    Path tmp;

    FakeClock clock;
    FakeSyscalls sys;
    FakeOciRuntime oci;
    InMemoryStateStore state;
    Layout layout;
    List<String> warnings;
    ContainerRuntime rt;

    @BeforeEach
    void setUp() throws IOException {
        clock = new FakeClock();
        sys = new FakeSyscalls(clock);
        state = new InMemoryStateStore();
        layout = new Layout(tmp.resolve("root"), tmp.resolve("run"));
        warnings = new ArrayList<>();
        Files.createDirectories(layout.layers().resolve(DIFF_HEX).resolve("diff"));
        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("Env", List.of("PATH=" + SpecGenerator.DEFAULT_PATH));
        runConfig.put("Cmd", List.of("sh"));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("created", "2026-01-01T00:00:00Z");
        cfg.put("architecture", "amd64");
        cfg.put("os", "linux");
        cfg.put("config", runConfig);
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + DIFF_HEX)));
        state.addImage(new ImageRecord(IMAGE_ID, List.of("localhost/busybox:latest"), 1000,
                Json.write(Map.of("config", cfg, "size", 1234))));
        oci = new FakeOciRuntime(sys, layout.runRoot().resolve("exits"));
        rt = new ContainerRuntime(layout, state, new LockManager(layout.locks()), oci,
                new ImageStore(layout.layers(), state, null), new io.jpod.volume.VolumeStore(layout.volumes(), state, null, null),
                sys, clock, warnings::add,
                List.of("/usr/bin/jpod", "--root", layout.root().toString()), "/jpod_parent", false);
        rt.refreshAfterReboot(); // as the engine does when it opens: writes the alive marker
    }

    static ContainerRuntime.CreateSpec spec(String name, Integer stopSignal, Integer stopTimeout, boolean autoRemove) {
        return new ContainerRuntime.CreateSpec(name, "localhost/busybox", List.of(), List.of("sleep", "100"), List.of(),
                null, null, null, Map.of(), stopSignal, stopTimeout, List.of(), 0, 0, 0, List.of(), List.of(), false,
                false, -1, List.of(), autoRemove, false, false, "none", false, false, null, null, false);
    }

    static ContainerRuntime.CreateSpec spec(String name) {
        return spec(name, null, null, false);
    }

    Container running(ContainerRuntime.CreateSpec s) {
        Container c = rt.create(s);
        return rt.start(c.id());
    }

    /** The container as stored, without the sync every runtime read does. */
    Container stored(String id) {
        return ContainerRuntime.toContainer(state.container(id).orElseThrow());
    }

    List<String> callsAfterStart(String id) {
        List<String> calls = oci.calls;
        int i = calls.indexOf("start " + id);
        return calls.subList(i + 1, calls.size());
    }

    // ---------------------------------------------------------------- create

    @Test
    void createStoresAConfiguredContainerWithTheImagesDefaults() {
        Container c = rt.create(new ContainerRuntime.CreateSpec("web", "busybox", List.of(), List.of(), List.of("A=1"),
                null, null, null, Map.of(), null, null, List.of(), 0, 0.5, 0, List.of(), List.of(), false, false, -1,
                List.of(), false, false, false, "none", false, false, null, null, false));
        assertEquals(ContainerStatus.CONFIGURED, c.status());
        assertEquals(List.of("sh"), c.config().command(), "CMD from the image");
        assertEquals(List.of("container=podman", "PATH=" + SpecGenerator.DEFAULT_PATH, "TERM=xterm", "A=1"), c.config().env());
        assertEquals("localhost/busybox:latest", c.config().image(), "the short name resolved to the stored one");
        assertEquals(IMAGE_ID, c.config().imageId());
        assertEquals(c.id().substring(0, 12), c.config().hostname());
        assertEquals(List.of(layout.layers().resolve(DIFF_HEX).resolve("diff").toString()), c.config().lowerDirs());
        assertEquals(50_000, c.config().cpuQuota());
        assertEquals(100_000, c.config().cpuPeriod());
        assertEquals(15, c.config().stopSignal());
        assertEquals(10, c.config().stopTimeout());
        assertEquals(c.id(), rt.lookup("web").id());
        assertEquals(List.of(c.id()), state.containersUsingImage(IMAGE_ID));
        assertTrue(oci.calls.isEmpty(), "create touches no runtime");
    }

    @Test
    void nameInUseIsAlreadyExistsNamingTheName() {
        rt.create(spec("web"));
        JpodException e = assertThrows(JpodException.class, () -> rt.create(spec("web")));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertTrue(e.getMessage().contains("the container name \"web\" is already in use"), e.getMessage());
        assertEquals(1, state.containers().size());
    }

    @Test
    void generatedNamesThatCollideAreDrawnAgain() {
        // 1500 draws from ~25,000 pairs collide dozens of times (birthday bound): every create must still succeed
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 1500; i++) names.add(rt.create(spec(null)).name());
        assertEquals(1500, names.size());
        assertEquals(1500, state.containers().size());
    }

    @Test
    void unknownImageIsNotFound() {
        JpodException e = assertThrows(JpodException.class, () -> rt.create(new ContainerRuntime.CreateSpec("web",
                "localhost/nosuch", List.of(), List.of("true"), List.of(), null, null, null, Map.of(), null, null,
                List.of(), 0, 0, 0, List.of(), List.of(), false, false, -1, List.of(), false, false, false, "none",
                false, false, null, null, false)));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("localhost/nosuch: image not known"), e.getMessage());
        assertTrue(state.containers().isEmpty());
    }

    @Test
    void invalidNameOrCapabilityIsRejectedBeforeAnythingIsStored() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(JpodException.class, () -> rt.create(spec("-bad"))).code());
        ContainerRuntime.CreateSpec badCap = new ContainerRuntime.CreateSpec("web", "busybox", List.of(), List.of("true"),
                List.of(), null, null, null, Map.of(), null, null, List.of(), 0, 0, 0, List.of("NOT_A_CAP"), List.of(),
                false, false, -1, List.of(), false, false, false, "none", false, false, null, null, false);
        JpodException e = assertThrows(JpodException.class, () -> rt.create(badCap));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(state.containers().isEmpty());
    }

    // ---------------------------------------------------------------- start

    @Test
    void startMountsTheRootfsCreatesThroughTheRuntimeAndStarts() throws IOException {
        Container c = running(spec("web"));
        assertEquals(ContainerStatus.RUNNING, c.status());
        List<String> calls = oci.calls;
        assertEquals(List.of("create " + c.id(), "start " + c.id()), calls.subList(calls.size() - 2, calls.size()));
        assertTrue(oci.calls("kill").isEmpty());
        assertTrue(sys.isMounted(layout.merged(c.id()).toString()));
        assertEquals(oci.pid(c.id()), c.state().pid());
        assertEquals(oci.conmonPid(c.id()), c.state().conmonPid());
        assertEquals(clock.now(), c.state().startedAt());
        assertEquals(ContainerStatus.RUNNING, stored(c.id()).status(), "saved");

        CreateRequest r = oci.creates.getFirst();
        assertEquals(layout.bundle(c.id()), r.bundle());
        assertEquals(layout.persistDir(c.id()), r.persistDir());
        assertEquals(layout.logPath(c.id()), r.logPath());
        assertEquals("/jpod_parent", r.cgroupParent());
        assertEquals(List.of(), r.exitCommand(), "a container without --rm needs no exit command");

        Map<String, Object> spec = Json.parseObject(Files.readString(layout.bundle(c.id()).resolve("config.json")));
        @SuppressWarnings("unchecked") Map<String, Object> process = (Map<String, Object>) spec.get("process");
        // podman 4.3.1's config-none.json env, in its order (jpod adds HOME after these)
        assertEquals(List.of("container=podman", "PATH=" + SpecGenerator.DEFAULT_PATH, "TERM=xterm",
                "HOSTNAME=" + c.id().substring(0, 12)), ((List<?>) process.get("env")).subList(0, 4));
        assertEquals(List.of("sleep", "100"), process.get("args"));
        @SuppressWarnings("unchecked") Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        assertEquals("/jpod_parent/jpod-" + c.id(), linux.get("cgroupsPath"));
    }

    @Test
    void autoRemoveContainersGetConmonsCleanupExitCommand() {
        Container c = running(spec("web", null, null, true));
        List<String> exit = oci.creates.getFirst().exitCommand();
        assertEquals(List.of("/usr/bin/jpod", "--root", layout.root().toString(), "container", "cleanup", "--rm", c.id()),
                exit.subList(exit.size() - 7, exit.size()), "the JVM's command, run when no service takes the note");
        assertEquals(List.of("/bin/sh", "-c", ContainerRuntime.EXIT_WRAPPER, "jpod-exit", layout.serviceLock().toString(),
                layout.exitNotes().resolve(c.id()).toString(), "rm"), exit.subList(0, 7));
    }

    @Test
    void startOfARunningContainerIsANoOp() {
        Container c = running(spec("web"));
        List<String> before = List.copyOf(oci.calls);
        Container again = rt.start("web");
        assertEquals(ContainerStatus.RUNNING, again.status());
        assertEquals(c.state().pid(), again.state().pid());
        assertEquals(before, oci.calls, "no runtime call at all");
    }

    @Test
    void aRuntimeRefusingToStartLeavesNothingRunningAndReportsPodmansCode() {
        Container c = rt.create(spec("web"));
        oci.failStart(new OciRuntimeException("runc: exec failed: unable to start container process: exec: \"sleep\": "
                + "executable file not found in $PATH"));
        ContainerRuntime.StartFailedException e = assertThrows(ContainerRuntime.StartFailedException.class,
                () -> rt.start("web"));
        assertEquals(127, e.exitCode());
        assertTrue(oci.calls.contains("delete --force " + c.id()), oci.calls.toString());
        assertFalse(sys.isMounted(layout.merged(c.id()).toString()));
        assertEquals(ContainerStatus.CONFIGURED, stored(c.id()).status(), "it can be started again");
    }

    @Test
    void aFailedCreateUnmountsTheRootfs() {
        Container c = rt.create(spec("web"));
        oci.failCreate(new OciRuntimeException("runc: runc create failed: something"));
        assertThrows(ContainerRuntime.StartFailedException.class, () -> rt.start("web"));
        assertFalse(sys.isMounted(layout.merged(c.id()).toString()));
        assertEquals(ContainerStatus.CONFIGURED, stored(c.id()).status());
    }

    // ---------------------------------------------------------------- stop

    @Test
    void stopSendsTheContainersStopSignalAndRecordsTheExit() {
        Container c = running(spec("web", 2, null, false));
        Container stopped = rt.stop("web", null);
        assertEquals(List.of("kill " + c.id() + " 2", "delete --force " + c.id()), callsAfterStart(c.id()));
        assertEquals(ContainerStatus.EXITED, stopped.status());
        assertEquals(130, stopped.state().exitCode());
        assertEquals(ContainerStatus.EXITED, stored(c.id()).status());
        assertEquals(130, stored(c.id()).state().exitCode());
        assertFalse(sys.isMounted(layout.merged(c.id()).toString()), "rootfs unmounted");
        assertEquals(OptionalInt.empty(), oci.exitCode(c.id()), "exit file consumed");
        assertTrue(clock.elapsed().compareTo(Duration.ofSeconds(1)) < 0, "a container that obeys stops at once");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void stopFallsBackToSigkillAfterTimeout() {
        Container c = running(spec("web"));
        oci.ignoreSignal(c.id(), 15);
        Container stopped = rt.stop("web", 10);
        assertEquals(List.of("kill " + c.id() + " 15", "kill --all " + c.id() + " 9", "delete --force " + c.id()),
                callsAfterStart(c.id()));
        assertEquals(137, stopped.state().exitCode());
        assertEquals(ContainerStatus.EXITED, stopped.status());
        assertTrue(clock.elapsed().compareTo(Duration.ofSeconds(10)) >= 0, "waited the whole timeout: " + clock.elapsed());
        assertTrue(clock.elapsed().compareTo(Duration.ofMillis(10_500)) < 0, "and not much more: " + clock.elapsed());
        assertEquals(List.of("StopSignal SIGTERM failed to stop container web in 10 seconds, resorting to SIGKILL"), warnings);
    }

    @Test
    void stopUsesTheContainersStopTimeoutWhenNoneIsGiven() {
        Container c = running(spec("web", null, 3, false));
        oci.ignoreSignal(c.id(), 15);
        rt.stop("web", null);
        assertTrue(clock.elapsed().compareTo(Duration.ofSeconds(3)) >= 0, clock.elapsed().toString());
        assertTrue(clock.elapsed().compareTo(Duration.ofMillis(3_500)) < 0, clock.elapsed().toString());
    }

    @Test
    void stopFailsWhenSigkillDoesNotEndTheContainerWithinFiveSeconds() {
        Container c = running(spec("web"));
        oci.ignoreSignal(c.id(), 15);
        oci.ignoreSignal(c.id(), 9);
        JpodException e = assertThrows(JpodException.class, () -> rt.stop("web", 10));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("did not die within 5s of SIGKILL"), e.getMessage());
        assertTrue(clock.elapsed().compareTo(Duration.ofSeconds(15)) >= 0, clock.elapsed().toString());
        assertTrue(clock.elapsed().compareTo(Duration.ofMillis(15_500)) < 0, clock.elapsed().toString());
        assertEquals(ContainerStatus.RUNNING, stored(c.id()).status(), "a container still alive is not recorded as exited");
    }

    @Test
    void stopWithTimeoutZeroKillsAtOnce() {
        Container c = running(spec("web"));
        Container stopped = rt.stop("web", 0);
        assertEquals(List.of("kill --all " + c.id() + " 9", "delete --force " + c.id()), callsAfterStart(c.id()));
        assertEquals(137, stopped.state().exitCode());
        assertTrue(clock.elapsed().compareTo(Duration.ofSeconds(1)) < 0);
    }

    @Test
    void stopOfAnAlreadyExitedContainerIsNotAnError() {
        Container c = running(spec("web"));
        oci.exit(c.id(), 0);
        Container stopped = rt.stop("web", 10);
        assertEquals(ContainerStatus.EXITED, stopped.status());
        assertEquals(0, stopped.state().exitCode());
        assertTrue(oci.calls("kill").isEmpty(), "nothing to signal");
        Container again = rt.stop("web", 10);
        assertEquals(ContainerStatus.EXITED, again.status());
    }

    @Test
    void stopOfAContainerThatExitsBeforeTheSignalArrivesIsNotAnError() {
        Container c = running(spec("web"));
        oci.dieBeforeNextKill(c.id());
        Container stopped = rt.stop("web", 10);
        assertEquals(ContainerStatus.EXITED, stopped.status());
        assertEquals(0, stopped.state().exitCode(), "its own exit code, not a SIGKILL's");
        assertEquals(List.of("kill " + c.id() + " 15"), oci.calls("kill"));
    }

    @Test
    void stopOfAPausedContainerResumesItFirst() {
        Container c = running(spec("web"));
        rt.pause("web");
        Container stopped = rt.stop("web", 10);
        assertEquals(ContainerStatus.EXITED, stopped.status());
        List<String> after = callsAfterStart(c.id());
        assertTrue(after.indexOf("resume " + c.id()) < after.indexOf("kill " + c.id() + " 15"), after.toString());
    }

    // ---------------------------------------------------------------- remove

    @Test
    void removeOfARunningContainerWithoutForceIsInvalidStateAndRemovesNothing() {
        Container c = running(spec("web"));
        JpodException e = assertThrows(JpodException.class, () -> rt.remove("web", false));
        assertEquals(ErrorCode.INVALID_STATE, e.code());
        assertTrue(e.getMessage().contains("running"), e.getMessage());
        assertTrue(state.container(c.id()).isPresent());
        assertEquals(ContainerStatus.RUNNING, stored(c.id()).status());
        assertEquals(List.of(), callsAfterStart(c.id()), "no kill, no delete");
        assertTrue(Files.isDirectory(layout.containerDir(c.id())));
        assertTrue(sys.isMounted(layout.merged(c.id()).toString()));
    }

    @Test
    void forcedRemoveOfARunningContainerKillsItAndRemovesEverything() {
        Container c = running(spec("web"));
        int pid = oci.pid(c.id());
        rt.remove("web", true);
        assertEquals("kill --all " + c.id() + " 9", callsAfterStart(c.id()).getFirst(), "killed at once, as docker does");
        assertTrue(oci.calls.contains("delete --force " + c.id()));
        assertTrue(state.container(c.id()).isEmpty());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(JpodException.class, () -> rt.lookup("web")).code());
        assertFalse(Files.exists(layout.containerDir(c.id())));
        assertFalse(Files.exists(layout.persistDir(c.id())));
        assertFalse(sys.isMounted(layout.merged(c.id()).toString()));
        assertFalse(sys.isLive(pid));
    }

    @Test
    void removeOfAnExitedContainerNeedsNoForce() {
        Container c = running(spec("web"));
        oci.exit(c.id(), 1);
        rt.remove("web", false);
        assertTrue(state.containers().isEmpty());
        assertTrue(oci.calls("kill").isEmpty());
    }

    // ---------------------------------------------------------------- sync

    @Test
    void syncPicksTheExitCodeFromTheExitFileAndCleansUp() throws IOException {
        Container c = running(spec("web"));
        oci.exit(c.id(), 3);
        var mtime = Files.getLastModifiedTime(oci.exitFile(c.id())).toInstant();
        Container now = rt.inspect("web");
        assertEquals(ContainerStatus.EXITED, now.status());
        assertEquals(3, now.state().exitCode());
        assertEquals(mtime, now.state().finishedAt(), "the exit file's mtime is the finish time");
        assertTrue(oci.calls.contains("delete --force " + c.id()));
        assertTrue(sys.umounts.contains(layout.merged(c.id()).toString()));
        assertFalse(sys.isMounted(layout.merged(c.id()).toString()));
        assertEquals(OptionalInt.empty(), oci.exitCode(c.id()));
        assertEquals(ContainerStatus.EXITED, stored(c.id()).status(), "saved");
        assertEquals(0, stored(c.id()).state().pid());
    }

    @Test
    void listRecordsExitsButLeavesCleanupToTheNextCommand() {
        Container c = running(spec("web"));
        oci.exit(c.id(), 5);
        Container listed = rt.list().getFirst();
        assertEquals(ContainerStatus.STOPPED, listed.status(), "exited, not yet cleaned up");
        assertEquals("exited", listed.status().word());
        assertEquals(5, listed.state().exitCode());
        assertFalse(callsAfterStart(c.id()).stream().anyMatch(x -> x.startsWith("delete")), "ps runs no runc delete");
        Container inspected = rt.inspect("web");
        assertEquals(ContainerStatus.EXITED, inspected.status(), "the next command that acts on it cleans up");
        assertEquals(5, inspected.state().exitCode());
        assertTrue(callsAfterStart(c.id()).stream().anyMatch(x -> x.startsWith("delete")), "cleanup deleted it in the runtime");
    }

    @Test
    void conmonGoneWithoutExitFileAndUnknownToTheRuntimeMeansExitedMinusOne() {
        Container c = running(spec("web"));
        oci.vanish(c.id());
        Container now = rt.inspect("web");
        assertEquals(ContainerStatus.EXITED, now.status());
        assertEquals(-1, now.state().exitCode());
        assertTrue(oci.calls.contains("state " + c.id()), "the runtime was asked");
    }

    @Test
    void conmonGoneButTheRuntimeSeesItRunningKeepsItRunning() {
        Container c = running(spec("web"));
        sys.exitProcess(oci.conmonPid(c.id()));
        oci.stateOverride(c.id(), new RuntimeStatus(RuntimeStatus.Kind.RUNNING, oci.pid(c.id())));
        assertEquals(ContainerStatus.RUNNING, rt.inspect("web").status());
        assertEquals(List.of("state " + c.id()), callsAfterStart(c.id()), "nothing cleaned up");
    }

    @Test
    void waitExitReturnsTheExitCode() {
        Container c = running(spec("web"));
        oci.exit(c.id(), 7);
        assertEquals(7, rt.waitExit("web", Duration.ofMillis(100)));
    }

    // ---------------------------------------------------------------- pause / exec

    @Test
    void pauseAndUnpauseRoundTrip() {
        Container c = running(spec("web"));
        assertEquals(ContainerStatus.PAUSED, rt.pause("web").status());
        assertEquals(ContainerStatus.PAUSED, stored(c.id()).status());
        assertEquals(ErrorCode.INVALID_STATE, assertThrows(JpodException.class, () -> rt.pause("web")).code());
        assertEquals(ContainerStatus.RUNNING, rt.unpause("web").status());
        assertEquals(List.of("pause " + c.id(), "resume " + c.id()), callsAfterStart(c.id()));
    }

    @Test
    void pauseOfAStoppedContainerIsInvalidState() {
        Container c = running(spec("web"));
        rt.stop("web", 0);
        JpodException e = assertThrows(JpodException.class, () -> rt.pause("web"));
        assertEquals(ErrorCode.INVALID_STATE, e.code());
        assertTrue(e.getMessage().contains("is not running, can't pause"), e.getMessage());
        assertTrue(oci.calls("pause").isEmpty());
        assertEquals(ErrorCode.INVALID_STATE, assertThrows(JpodException.class, () -> rt.unpause(c.id())).code());
    }

    ContainerRuntime.ExecSpec exec(String... cmd) {
        return new ContainerRuntime.ExecSpec(List.of(cmd), List.of("X=1"), null, null, false, false, false, false, null);
    }

    @Test
    void execOnAStoppedContainerIsInvalidState() {
        rt.create(spec("new"));
        assertEquals(ErrorCode.INVALID_STATE, assertThrows(JpodException.class, () -> rt.exec("new", exec("ls"))).code());
        running(spec("web"));
        rt.stop("web", 0);
        JpodException e = assertThrows(JpodException.class, () -> rt.exec("web", exec("ls")));
        assertEquals(ErrorCode.INVALID_STATE, e.code());
        assertTrue(e.getMessage().contains("can only create exec sessions on running containers"), e.getMessage());
        assertTrue(oci.execs.isEmpty());
    }

    @Test
    void execRunsTheContainersOwnProcessWithTheSessionsArgsAndEndsTheSession() throws Exception {
        Container c = running(spec("web"));
        oci.onExec(r -> 42);
        assertEquals(42, rt.exec("web", exec("ls", "-l")));
        var r = oci.execs.getFirst();
        assertEquals(c.id(), r.containerId());
        Map<String, Object> p = FakeOciRuntime.process(r);
        Map<String, Object> ctr = io.jpod.json.Json.parseObject(Files.readString(layout.bundle(c.id()).resolve("config.json")));
        @SuppressWarnings("unchecked") Map<String, Object> ctrProcess = (Map<String, Object>) ctr.get("process");
        assertEquals(List.of("ls", "-l"), p.get("args"));
        assertEquals(ctrProcess.get("cwd"), p.get("cwd"));
        assertEquals(ctrProcess.get("rlimits"), p.get("rlimits"), "the container's limits apply to its exec sessions");
        assertEquals(ctrProcess.get("capabilities"), p.get("capabilities"));
        assertEquals(false, p.get("terminal"));
        @SuppressWarnings("unchecked") List<String> env = (List<String>) p.get("env");
        assertTrue(env.contains("X=1") && env.stream().anyMatch(e -> e.startsWith("PATH=")), env.toString());
        assertEquals(layout.execDir(c.id(), r.sessionId()), r.execDir());
        assertFalse(r.attach());
        assertTrue(stored(c.id()).state().execSessions().isEmpty(), "a finished session is forgotten");
    }

    @Test
    void execEnvOverridesTheContainersAndPrivilegedGivesEveryCapability() {
        running(spec("web"));
        rt.exec("web", new ContainerRuntime.ExecSpec(List.of("env"), List.of("PATH=/mine", "TERM=vt100"), "0:0", "/tmp",
                true, true, false, true, new int[] {40, 120}));
        Map<String, Object> p = FakeOciRuntime.process(oci.execs.getFirst());
        @SuppressWarnings("unchecked") List<String> env = (List<String>) p.get("env");
        assertEquals(1, env.stream().filter(e -> e.startsWith("PATH=")).count());
        assertTrue(env.contains("PATH=/mine") && env.contains("TERM=vt100"), env.toString());
        assertEquals("/tmp", p.get("cwd"));
        assertEquals(true, p.get("terminal"));
        assertEquals("{height=40, width=120}", String.valueOf(p.get("consoleSize")));
        @SuppressWarnings("unchecked") Map<String, List<String>> caps = (Map<String, List<String>>) p.get("capabilities");
        assertTrue(caps.get("effective").contains("CAP_SYS_ADMIN"), caps.toString());
    }

    @Test
    void aDetachedSessionStaysRecordedWhileItRunsAndGetsTheCleanupExitCommand() {
        Container c = running(spec("web"));
        oci.onExec(r -> null); // runs on
        var st = rt.startExec("web", new ContainerRuntime.ExecSpec(List.of("sleep", "9"), List.of(), null, null, false,
                false, true, false, null), null);
        st.process().close();
        assertEquals(java.util.Set.of(st.sessionId()), stored(c.id()).state().execSessions().keySet());
        var req = oci.execs.getFirst();
        assertEquals(List.of("container", "cleanup", "--exec", st.sessionId(), c.id()),
                req.exitCommand().subList(req.exitCommand().size() - 5, req.exitCommand().size()));
        // conmon's exit command: the session is forgotten and its exit code read
        assertEquals(java.util.OptionalInt.empty(), rt.cleanupExec(c.id(), st.sessionId()));
        assertTrue(stored(c.id()).state().execSessions().isEmpty());
    }

    @Test
    void aSessionWhoseConmonDiedIsPrunedAtTheNextExec() throws Exception {
        Container c = running(spec("web"));
        oci.onExec(r -> null);
        var st = rt.startExec("web", exec("sleep", "9"), null);
        int conmon = Integer.parseInt(Files.readString(io.jpod.oci.ExecRequest.conmonPidFile(st.execDir())));
        sys.exitProcess(conmon);
        oci.onExec(r -> 0);
        rt.exec("web", exec("true"));
        assertTrue(stored(c.id()).state().execSessions().isEmpty(), "the dead session went with the next exec's save");
    }

    @Test
    void anExecThatCannotStartForgetsItsSessionAndKeeps126Or127() {
        Container c = running(spec("web"));
        oci.onExec(r -> {
            throw new io.jpod.oci.ConmonRuntime.ExecFailedException("runc: exec failed: nope", 127);
        });
        ContainerRuntime.StartFailedException e = assertThrows(ContainerRuntime.StartFailedException.class,
                () -> rt.exec("web", exec("nope")));
        assertEquals(127, e.exitCode());
        assertTrue(stored(c.id()).state().execSessions().isEmpty());
    }

    @Test
    void execWithoutACommandIsInvalid() {
        running(spec("web"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(JpodException.class, () -> rt.exec("web", exec())).code());
    }

    // ---------------------------------------------------------------- checkpoint / restore

    @Test
    void checkpointExportThenImportMakesANewContainerWithTheChangesAndTheImages() throws Exception {
        oci.canCheckpoint = true;
        Container c = running(spec("web"));
        Files.writeString(layout.upper(c.id()).resolve("changed.txt"), "made inside");
        Path archive = tmp.resolve("web.tar");
        rt.checkpoint("web", new ContainerRuntime.CheckpointOptions(false, true, false, archive));
        assertTrue(oci.calls.contains("checkpoint --tcp-established " + c.id()), oci.calls.toString());
        assertEquals(ContainerStatus.EXITED, rt.inspect("web").status(), "without --leave-running it stops");
        assertFalse(Files.exists(layout.bundle(c.id()).resolve("dump.log")), "CRIU's log goes without --keep");
        assertTrue(Files.size(archive) > 0);
        Container copy;
        try (var in = Files.newInputStream(archive)) {
            copy = rt.importCheckpoint(in, "web2", new io.jpod.sys.linux.LinuxFileOps());
        }
        assertEquals("web2", copy.name());
        assertFalse(copy.id().equals(c.id()));
        assertEquals(c.config().command(), copy.config().command());
        assertEquals("made inside", Files.readString(layout.upper(copy.id()).resolve("changed.txt")));
        assertTrue(Files.exists(rt.checkpointDir(copy.id()).resolve("pages-1.img")), "CRIU's images came along");
        Container restored = rt.restore(copy.id(), false);
        assertEquals(ContainerStatus.RUNNING, restored.status());
        assertEquals(rt.checkpointDir(copy.id()), oci.creates.getLast().restoreFrom());
        assertFalse(Files.exists(rt.checkpointDir(copy.id())), "without --keep the images go once it runs");
    }

    @Test
    void importOfSomethingElseLeavesNothingBehind() throws Exception {
        running(spec("web"));
        int before = state.containers().size();
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        Path junk = Files.createDirectories(tmp.resolve("junk"));
        Files.writeString(junk.resolve("x"), "y");
        io.jpod.image.TreeArchiver.write(junk, tar);
        JpodException e = assertThrows(JpodException.class, () -> rt.importCheckpoint(
                new java.io.ByteArrayInputStream(tar.toByteArray()), "x", new io.jpod.sys.linux.LinuxFileOps()));
        assertTrue(e.getMessage().contains("not a jpod checkpoint archive"), e.getMessage());
        assertEquals(before, state.containers().size());
        try (var dirs = Files.list(layout.root().resolve("containers"))) {
            assertEquals(before, dirs.count(), "no directory of a half-imported container");
        }
    }

    // ---------------------------------------------------------------- restart policies

    ContainerRuntime.CreateSpec withPolicy(String name, String policy) {
        ContainerRuntime.CreateSpec b = spec(name);
        return new ContainerRuntime.CreateSpec(b.name(), b.image(), b.entrypoint(), b.cmd(), b.env(), b.workDir(), b.user(),
                b.hostname(), b.labels(), b.stopSignal(), b.stopTimeout(), b.mounts(), b.memoryBytes(), b.cpus(), b.pidsLimit(),
                b.capAdd(), b.capDrop(), b.privileged(), b.readOnly(), b.logMaxSize(), b.ports(), b.autoRemove(), b.stdin(),
                b.tty(), b.networkMode(), b.init(), b.entrypointSet(), RestartPolicy.parse(policy), null, false);
    }

    @Test
    void aRestartPolicyGivesConmonTheCleanupExitCommandWhichRestartsUpToTheRetries() {
        Container c = rt.start(rt.create(withPolicy("web", "on-failure:2")).id());
        List<String> exit = oci.creates.getLast().exitCommand();
        assertEquals(List.of("container", "cleanup", c.id()), exit.subList(exit.size() - 3, exit.size()));
        for (int i = 1; i <= 2; i++) {
            oci.exit(c.id(), 3);
            Container r = rt.restartByPolicy(c.id()).orElseThrow();
            assertEquals(ContainerStatus.RUNNING, r.status());
            assertEquals(i, r.state().restartCount());
        }
        oci.exit(c.id(), 3);
        assertTrue(rt.restartByPolicy(c.id()).isEmpty(), "two retries used up");
        assertEquals(2, rt.inspect(c.id()).state().restartCount());
        assertEquals(0, rt.start(c.id()).state().restartCount(), "a user's start counts afresh");
    }

    @Test
    void aUsersStopOrKillKeepsAnAlwaysContainerDown() {
        Container c = rt.start(rt.create(withPolicy("web", "always")).id());
        rt.stop("web", 0);
        assertTrue(rt.restartByPolicy(c.id()).isEmpty());
        assertTrue(stored(c.id()).state().stoppedByUser(), "saved, for the exit command in another process");
        rt.start("web");
        assertFalse(stored(c.id()).state().stoppedByUser(), "a start clears it");
        oci.exit(c.id(), 0);
        assertTrue(rt.restartByPolicy(c.id()).isPresent(), "its own exit restarts it");
        rt.kill("web", 9);
        oci.exit(c.id(), 137);
        assertTrue(rt.restartByPolicy(c.id()).isEmpty(), "killed by the user");
    }

    @Test
    void withoutAPolicyOrWithRmThereIsNoRestart() {
        Container c = rt.start(rt.create(spec("plain")).id());
        assertTrue(oci.creates.getLast().exitCommand().isEmpty(), "no exit command: nothing to do at exit");
        oci.exit(c.id(), 1);
        assertTrue(rt.restartByPolicy(c.id()).isEmpty());
        ContainerRuntime.CreateSpec b = withPolicy("both", "always");
        JpodException e = assertThrows(JpodException.class, () -> rt.create(new ContainerRuntime.CreateSpec(b.name(), b.image(),
                b.entrypoint(), b.cmd(), b.env(), b.workDir(), b.user(), b.hostname(), b.labels(), b.stopSignal(), b.stopTimeout(),
                b.mounts(), b.memoryBytes(), b.cpus(), b.pidsLimit(), b.capAdd(), b.capDrop(), b.privileged(), b.readOnly(),
                b.logMaxSize(), b.ports(), true, b.stdin(), b.tty(), b.networkMode(), b.init(), b.entrypointSet(),
                b.restartPolicy(), null, false)));
        assertTrue(e.getMessage().contains("conflicts with --restart"), e.getMessage());
    }

    // ---------------------------------------------------------------- reboot

    @Test
    void refreshAfterRebootMarksRunningContainersExitedWhenTheAliveMarkerIsAbsent() throws IOException {
        Container run = running(spec("web"));
        Container fresh = rt.create(spec("new"));
        Files.delete(layout.aliveMarker()); // the runtime tmpfs is empty after a reboot
        rt.refreshAfterReboot();
        Container after = stored(run.id());
        assertEquals(ContainerStatus.EXITED, after.status());
        assertEquals(-1, after.state().exitCode());
        assertEquals(0, after.state().pid());
        assertEquals(ContainerStatus.CONFIGURED, stored(fresh.id()).status(), "never-started containers stay as they were");
        assertTrue(Files.exists(layout.aliveMarker()), "marker written");
    }

    @Test
    void refreshWithTheAliveMarkerPresentChangesNothing() {
        Container run = running(spec("web"));
        rt.refreshAfterReboot();
        assertEquals(ContainerStatus.RUNNING, stored(run.id()).status());
    }

    // ---------------------------------------------------------------- rename

    @Test
    void renameToATakenNameIsAlreadyExists() {
        rt.create(spec("a"));
        rt.create(spec("b"));
        JpodException e = assertThrows(JpodException.class, () -> rt.rename("a", "b"));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals("c", rt.rename("a", "c").name());
        List<String> names = state.containers().stream().map(ContainerRecord::name).sorted().toList();
        assertEquals(List.of("b", "c"), names);
    }
}
