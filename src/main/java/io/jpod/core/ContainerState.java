package io.jpod.core;

import io.jpod.json.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a container is doing now. Replaced whole on every save, under the container's lock. */
public record ContainerState(ContainerStatus status, int pid, int conmonPid, int exitCode, Instant startedAt,
                             Instant finishedAt, boolean oomKilled, String mountPoint,
                             Map<String, ExecSession> execSessions, int restartCount, boolean stoppedByUser) {

    public ContainerState {
        execSessions = Map.copyOf(execSessions);
    }

    /** An exec session tracked in the container's state, as the seed does for exec-stop. */
    public record ExecSession(String id, int pid, List<String> command) {}

    public static ContainerState configured() {
        return new ContainerState(ContainerStatus.CONFIGURED, 0, 0, 0, null, null, false, null, Map.of(), 0, false);
    }

    public ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, conmonPid, exitCode, startedAt, finishedAt, oomKilled, mountPoint, execSessions, restartCount, stoppedByUser);
    }

    public ContainerState created(int pid, int conmonPid, String mountPoint) {
        return new ContainerState(ContainerStatus.CREATED, pid, conmonPid, 0, startedAt, finishedAt, false, mountPoint, Map.of(), restartCount, stoppedByUser);
    }

    public ContainerState running(Instant at) {
        return new ContainerState(ContainerStatus.RUNNING, pid, conmonPid, 0, at, null, false, mountPoint, execSessions, restartCount, stoppedByUser);
    }

    public ContainerState exited(int code, Instant at, boolean oom) {
        return new ContainerState(ContainerStatus.STOPPED, 0, 0, code, startedAt, at, oom, mountPoint, Map.of(), restartCount, stoppedByUser);
    }

    public ContainerState cleanedUp() {
        return new ContainerState(ContainerStatus.EXITED, 0, 0, exitCode, startedAt, finishedAt, oomKilled, null, Map.of(), restartCount, stoppedByUser);
    }

    /** A user's stop (or start, which clears it): a stopped-by-user container is not restarted by its policy. */
    public ContainerState withStoppedByUser(boolean byUser) {
        return new ContainerState(status, pid, conmonPid, exitCode, startedAt, finishedAt, oomKilled, mountPoint, execSessions, restartCount, byUser);
    }

    /** A restart by the policy: counted. A user's start resets the count. */
    public ContainerState withRestartCount(int n) {
        return new ContainerState(status, pid, conmonPid, exitCode, startedAt, finishedAt, oomKilled, mountPoint, execSessions, n, stoppedByUser);
    }

    public ContainerState withExec(ExecSession s, boolean add) {
        Map<String, ExecSession> m = new LinkedHashMap<>(execSessions);
        if (add) m.put(s.id(), s); else m.remove(s.id());
        return new ContainerState(status, pid, conmonPid, exitCode, startedAt, finishedAt, oomKilled, mountPoint, m, restartCount, stoppedByUser);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.name());
        m.put("pid", pid);
        m.put("conmonPid", conmonPid);
        m.put("exitCode", exitCode);
        m.put("startedAt", startedAt == null ? null : startedAt.toString());
        m.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        m.put("oomKilled", oomKilled);
        m.put("mountPoint", mountPoint);
        Map<String, Object> ex = new LinkedHashMap<>();
        execSessions.forEach((k, v) -> ex.put(k, Map.of("pid", v.pid(), "command", v.command())));
        m.put("execSessions", ex);
        m.put("restartCount", restartCount);
        if (stoppedByUser) m.put("stoppedByUser", true);
        return Json.write(m);
    }

    public static ContainerState fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        Map<String, ExecSession> ex = new LinkedHashMap<>();
        J.map(m, "execSessions").forEach((k, v) -> {
            @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) v;
            ex.put(k, new ExecSession(k, J.integer(s, "pid", 0), J.strings(s, "command")));
        });
        String st = J.str(m, "startedAt"), fi = J.str(m, "finishedAt");
        return new ContainerState(ContainerStatus.valueOf(J.str(m, "status")), J.integer(m, "pid", 0),
                J.integer(m, "conmonPid", 0), J.integer(m, "exitCode", 0), J.instant(st),
                J.instant(fi), J.bool(m, "oomKilled"), J.str(m, "mountPoint"), ex,
                J.integer(m, "restartCount", 0), J.bool(m, "stoppedByUser"));
    }
}
