package io.jpod.it;

import io.jpod.it.JpodCli.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** top and stats on real containers: their cgroups and /proc, podman's columns. */
class TopStatsIT extends CliIT {
    @Test
    void topShowsTheContainersProcessesWithItsOwnPidsAndUsers() {
        String n = cli.name("top");
        cli.ok("run", "-d", "--name", n, JpodCli.IMAGE, "sleep", "1000");
        cli.ok("exec", "-d", "-u", "nobody", n, "sleep", "500");
        Result top = cli.ok("top", n, "pid", "user", "args");
        assertEquals(List.of("PID", "USER", "COMMAND"), List.of(top.lines().getFirst().split("\\s{2,}")));
        assertTrue(top.lines().stream().anyMatch(l -> l.matches("1\\s+root\\s+sleep 1000")), top::toString);
        assertTrue(top.lines().stream().anyMatch(l -> l.matches("\\d+\\s+nobody\\s+sleep 500")),
                () -> "the exec session is in the container's cgroup, named from its passwd: " + top);
        Result ps = cli.ok("top", n, "-o", "pid,comm");
        assertTrue(ps.stdout().contains("sleep"), () -> "ps options run ps inside the container: " + ps);
        Result stopped = cli.run("top", "nosuch-" + n);
        assertEquals(125, stopped.exit());
    }

    @Test
    void statsReadsTheCgroupsOfEachContainer() {
        String n = cli.name("stats");
        cli.ok("run", "-d", "--name", n, "--memory", "64m", JpodCli.IMAGE, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        Map<String, Object> s = Map.of();
        for (int i = 0; i < 50 && !"3".equals(s.get("pids")); i++) { // the shell forks its sleeps soon after start
            Result r = cli.ok("stats", "--no-stream", "--format", "json", n);
            @SuppressWarnings("unchecked") Map<String, Object> one = (Map<String, Object>) ((List<Object>) io.jpod.json.Json.parse(r.stdout())).getFirst();
            s = one;
        }
        assertEquals(n, s.get("name"));
        assertEquals("3", s.get("pids"), "sh and two sleeps (and nothing else)");
        Map<String, Object> fs = s;
        assertTrue(fs.get("mem_usage").toString().endsWith(" / 67.11MB"), () -> "the --memory limit: " + fs);
        String table = cli.ok("stats", "--no-stream").stdout();
        assertTrue(table.lines().findFirst().orElse("").matches("ID {12}NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET IO +"
                + "BLOCK IO +PIDS +CPU TIME +AVG CPU %"), table);
        assertTrue(table.contains(n), table);
        Result bad = cli.run("stats", "--no-stream", "--interval", "0");
        assertEquals(125, bad.exit());
    }
}
