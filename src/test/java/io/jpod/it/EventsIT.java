package io.jpod.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event log: what lifecycle verbs record, filters and formats, following live, and many writers at once. */
class EventsIT extends CliIT {
    List<String> statuses(String container, String since) {
        return cli.ok("events", "--stream=false", "--since", since, "--filter", "container=" + container,
                "--format", "{{.Status}}").lines();
    }

    @Test
    void lifecycleVerbsRecordPodmansEvents() {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        String n = cli.name("ev");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "100");
        cli.ok("pause", n);
        cli.ok("unpause", n);
        cli.ok("stop", "-t", "0", n);
        cli.ok("rm", n);
        List<String> got = new java.util.ArrayList<>(statuses(n, since));
        // conmon's exit command (a bridged container gives its address back at once) records "cleanup", as
        // podman's does, racing the CLI's "stop"
        assertTrue(got.remove("cleanup"), got.toString());
        assertEquals(List.of("create", "init", "start", "pause", "unpause", "died", "stop", "remove"), got);

        String r = cli.name("evrm");
        assertEquals(0, cli.run("run", "--rm", "--name", r, JpodCli.IMAGE, "sh", "-c", "exit 3").exit() == 3 ? 0 : 1);
        assertEquals(List.of("create", "init", "start", "attach", "died", "remove"), statuses(r, since));
        String died = cli.ok("events", "--stream=false", "--since", since, "--filter", "container=" + r, "--filter", "event=died",
                "--format", "{{.Name}} {{.ContainerExitCode}}").out();
        assertEquals(r + " 3", died);
        String line = cli.ok("events", "--stream=false", "--since", since, "--filter", "container=" + r, "--filter", "event=create").out();
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\+0000 UTC container create [0-9a-f]{64} \\(image="
                + JpodCli.IMAGE + ":latest, name=" + r + "\\)"), line);
        String json = cli.ok("events", "--stream=false", "--since", since, "--filter", "container=" + r, "--filter", "event=died",
                "--format", "json").out();
        assertTrue(json.contains("\"Status\":\"died\"") && json.contains("\"ContainerExitCode\":3"), json);

        cli.ok("tag", JpodCli.IMAGE, "localhost/evtag:1");
        cli.ok("rmi", "localhost/evtag:1");
        List<String> image = cli.ok("events", "--stream=false", "--since", since, "--filter", "type=image", "--filter",
                "image=localhost/evtag:1", "--format", "{{.Status}} {{.Name}}").lines();
        assertEquals(List.of("tag localhost/evtag:1", "untag localhost/evtag:1"), image);
        JpodCli.Result bad = cli.run("events", "--filter", "nonsense=1");
        assertEquals(125, bad.exit());
    }

    @Test
    void followingShowsNewEventsUntilTheDeadline() {
        String n = cli.name("follow");
        String until = java.time.Instant.now().plusSeconds(6).toString();
        JpodCli.Running follow = cli.start(null, "events", "--until", until, "--filter", "container=" + n, "--format", "{{.Status}}");
        cli.ok("create", "--name", n, JpodCli.IMAGE, "true"); // may race the follower's start: it reads from where the log ends
        sleep(1500);
        cli.ok("rm", n);
        JpodCli.Result r = follow.await(Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.lines().contains("remove"), "a live event arrives while following: " + r);
    }

    @Test
    void concurrentWritersNeverInterleave() throws Exception {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        List<JpodCli.Running> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) runs.add(cli.start(null, "create", "--name", cli.name("cw" + i), JpodCli.IMAGE, "true"));
        for (JpodCli.Running r : runs) assertEquals(0, r.await(JpodCli.DEFAULT_TIMEOUT).exit());
        List<String> lines = cli.ok("events", "--stream=false", "--since", since, "--format", "json").lines();
        assertTrue(lines.size() >= 4);
        for (String l : lines) io.jpod.json.Json.parseObject(l); // every line is one whole event
        cli.ok("rm", "-a");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
