package io.jpod.oci;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConmonArgsTest {
    static final String ID = "4baeb81ffd715f134b41cc6e9d7e4e39e866941d8188eb5bf30a16afba0b4e8e";
    static final String BUNDLE = "/var/lib/jpod/containers/" + ID + "/userdata";
    static final String PERSIST = "/run/jpod/containers/" + ID;
    static final List<String> EXIT = List.of("/usr/local/bin/jpod", "--root", "/var/lib/jpod", "container", "cleanup", "--rm", ID);

    /** A typical detached create as ContainerRuntime asks for it; tweaks override single fields. */
    static ConmonArgs typical(boolean systemd, boolean terminal, boolean stdin, long logSizeMax, boolean noPivot,
                              String logLevel, String restore, List<String> exitCommand) {
        return new ConmonArgs("/usr/bin/conmon", "/usr/sbin/runc", "/run/jpod/runc", ID, "web", BUNDLE,
                PERSIST + "/pidfile", PERSIST + "/conmon.pid", BUNDLE + "/ctr.log", logSizeMax, "/run/jpod/exits",
                PERSIST, "/run/jpod/socket", exitCommand, systemd, terminal, stdin, noPivot, logLevel, restore);
    }

    static ConmonArgs typical() {
        return typical(false, false, false, -1, false, "error", null, EXIT);
    }

    @Test
    void typicalCreateArgvIsGolden() {
        List<String> expected = List.of("/usr/bin/conmon", "--api-version", "1",
                "-c", ID, "-u", ID, "-r", "/usr/sbin/runc", "-b", BUNDLE, "-p", PERSIST + "/pidfile", "-n", "web",
                "--exit-dir", "/run/jpod/exits", "--persist-dir", PERSIST, "-P", PERSIST + "/conmon.pid",
                "-l", "k8s-file:" + BUNDLE + "/ctr.log",
                "--exit-command", "/usr/local/bin/jpod",
                "--exit-command-arg", "--root", "--exit-command-arg", "/var/lib/jpod",
                "--exit-command-arg", "container", "--exit-command-arg", "cleanup",
                "--exit-command-arg", "--rm", "--exit-command-arg", ID,
                "--socket-dir-path", "/run/jpod/socket",
                "--log-level", "error",
                "--runtime-arg", "--root", "--runtime-arg", "/run/jpod/runc");
        assertEquals(expected, typical().argv());
    }

    @Test
    void noExitCommandMeansNoExitCommandFlags() {
        List<String> argv = typical(false, false, false, -1, false, "error", null, List.of()).argv();
        assertFalse(argv.contains("--exit-command"));
        assertFalse(argv.contains("--exit-command-arg"));
    }

    @Test
    void exitCommandArgsKeepOrderAndEmptyStrings() {
        List<String> cmd = List.of("/usr/bin/jpod", "--network-config-dir", "", "container", "cleanup", ID);
        List<String> argv = typical(false, false, false, -1, false, "error", null, cmd).argv();
        int i = argv.indexOf("--exit-command");
        assertEquals(List.of("--exit-command", "/usr/bin/jpod",
                "--exit-command-arg", "--network-config-dir", "--exit-command-arg", "",
                "--exit-command-arg", "container", "--exit-command-arg", "cleanup", "--exit-command-arg", ID),
                argv.subList(i, i + 12));
    }

    @Test
    void terminalGivesDashTAndWinsOverStdin() {
        List<String> argv = typical(false, true, true, -1, false, "error", null, EXIT).argv();
        assertTrue(argv.contains("-t"));
        assertFalse(argv.contains("-i"), "conmon's -t already keeps stdin; podman passes one or the other");
    }

    @Test
    void stdinWithoutTerminalGivesDashI() {
        List<String> argv = typical(false, false, true, -1, false, "error", null, EXIT).argv();
        assertTrue(argv.contains("-i"));
        assertFalse(argv.contains("-t"));
    }

    @Test
    void detachedWithoutStdinGetsNeither() {
        List<String> argv = typical().argv();
        assertFalse(argv.contains("-i"));
        assertFalse(argv.contains("-t"));
    }

    @Test
    void logSizeMaxOnlyWhenSet() {
        assertFalse(typical().argv().contains("--log-size-max"), "-1 means unlimited and is not passed");
        List<String> argv = typical(false, false, false, 1048576, false, "error", null, EXIT).argv();
        int i = argv.indexOf("--log-size-max");
        assertTrue(i > 0);
        assertEquals("1048576", argv.get(i + 1));
    }

    @Test
    void noPivotOnlyWhenAsked() {
        assertFalse(typical().argv().contains("--no-pivot"));
        assertTrue(typical(false, false, false, -1, true, "error", null, EXIT).argv().contains("--no-pivot"));
    }

    @Test
    void syslogOnlyAtDebugLevel() {
        for (String level : List.of("error", "warning", "info")) {
            List<String> argv = typical(false, false, false, -1, false, level, null, EXIT).argv();
            assertFalse(argv.contains("--syslog"), level);
            assertEquals(level, argv.get(argv.indexOf("--log-level") + 1));
        }
        List<String> debug = typical(false, false, false, -1, false, "debug", null, EXIT).argv();
        int i = debug.indexOf("--log-level");
        assertEquals(List.of("--log-level", "debug", "--syslog"), debug.subList(i, i + 3), "podman: --log-level debug --syslog");
    }

    @Test
    void nullLogLevelDefaultsToError() {
        List<String> argv = typical(false, false, false, -1, false, null, null, EXIT).argv();
        assertEquals("error", argv.get(argv.indexOf("--log-level") + 1));
    }

    @Test
    void restorePathIsPassedLast() {
        assertFalse(typical().argv().contains("--restore"));
        List<String> argv = typical(false, false, false, -1, false, "error", "/var/lib/jpod/checkpoint", EXIT).argv();
        assertEquals(List.of("--restore", "/var/lib/jpod/checkpoint"), argv.subList(argv.size() - 2, argv.size()));
    }

    @Test
    void systemdCgroupManagerAddsDashSRightAfterApiVersion() {
        assertFalse(typical().argv().contains("-s"));
        List<String> argv = typical(true, false, false, -1, false, "error", null, EXIT).argv();
        assertEquals(List.of("/usr/bin/conmon", "--api-version", "1", "-s", "-c"), argv.subList(0, 5));
    }

    @Test
    void noRuntimeRootMeansNoRuntimeArgs() {
        ConmonArgs a = new ConmonArgs("/usr/bin/conmon", "/usr/sbin/runc", null, ID, "web", BUNDLE, "/p", null,
                "/l", -1, "/e", "/persist", "/s", List.of(), false, false, false, false, "error", null);
        assertFalse(a.argv().contains("--runtime-arg"));
        assertFalse(a.argv().contains("-P"), "no conmon pid file asked for");
    }

    // ---------------------------------------------------------------- against podman 4.3.1's own argv

    /** Options of conmon that take one value; everything else in the reference argv is a boolean switch. */
    static final Set<String> WITH_VALUE = Set.of("--api-version", "-c", "-u", "-r", "-b", "-p", "-n", "--exit-dir",
            "-l", "--log-level", "--runtime-arg", "--conmon-pidfile", "-P", "--exit-command", "--exit-command-arg",
            "--persist-dir", "--socket-dir-path", "--log-size-max", "--restore");
    static final Set<String> SWITCHES = Set.of("--full-attach", "-t", "-i", "-s", "--syslog", "--no-pivot");

    /** argv as option -> values (in order); -P is conmon's short form of --conmon-pidfile. */
    static Map<String, List<String>> options(List<String> argv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--runtime-arg=")) {
                m.computeIfAbsent("--runtime-arg", k -> new ArrayList<>()).add(a.substring(14));
            } else if (WITH_VALUE.contains(a)) {
                String key = a.equals("-P") ? "--conmon-pidfile" : a;
                m.computeIfAbsent(key, k -> new ArrayList<>()).add(argv.get(++i));
            } else if (SWITCHES.contains(a)) {
                m.put(a, List.of());
            } else {
                throw new AssertionError("unexpected conmon argument \"" + a + "\" at " + i + " in " + argv);
            }
        }
        return m;
    }

    static List<String> podmanReferenceArgv() throws IOException {
        Path doc = Path.of("docs/podman-reference/conmon.md");
        assumeTrue(Files.exists(doc), "podman reference capture not present");
        List<String> lines = Files.readAllLines(doc);
        int section = lines.indexOf(lines.stream().filter(l -> l.startsWith("## 1. conmon argv")).findFirst().orElseThrow());
        int open = lines.subList(section, lines.size()).indexOf("```") + section;
        int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
        return List.copyOf(lines.subList(open + 1, close));
    }

    @Test
    void sharedOptionsCarryTheSameValuesAsPodmans() throws IOException {
        List<String> ref = podmanReferenceArgv();
        Map<String, List<String>> podman = options(ref);
        List<String> exit = new ArrayList<>(podman.get("--exit-command"));
        exit.addAll(podman.get("--exit-command-arg"));
        String log = podman.get("-l").getFirst();
        assertTrue(log.startsWith("k8s-file:"));
        ConmonArgs ours = new ConmonArgs(ref.getFirst(), podman.get("-r").getFirst(), null, podman.get("-c").getFirst(),
                podman.get("-n").getFirst(), podman.get("-b").getFirst(), podman.get("-p").getFirst(),
                podman.get("--conmon-pidfile").getFirst(), log.substring("k8s-file:".length()), -1,
                podman.get("--exit-dir").getFirst(), "/run/jpod/containers/x", "/run/jpod/socket", exit,
                false, false, false, false, podman.get("--log-level").getFirst(), null);
        List<String> argv = ours.argv();
        assertEquals(ref.subList(0, 3), argv.subList(0, 3), "program, then --api-version 1 first, as podman");
        Map<String, List<String>> jpod = options(argv);

        // What podman passes that jpod does differently on purpose: conmon's own attach socket path (jpod keeps
        // it short through --socket-dir-path instead of --full-attach), and runc's JSON error log.
        Map<String, List<String>> podmanShared = new LinkedHashMap<>(podman);
        podmanShared.remove("--full-attach");
        podmanShared.remove("--runtime-arg");
        Map<String, List<String>> jpodShared = new LinkedHashMap<>(jpod);
        jpodShared.remove("--persist-dir");
        jpodShared.remove("--socket-dir-path");
        assertEquals(new java.util.TreeMap<>(podmanShared), new java.util.TreeMap<>(jpodShared));
        assertEquals(Collections.frequency(ref, "--exit-command-arg"), Collections.frequency(argv, "--exit-command-arg"));
    }
}
