package io.jpod.core;

import io.jpod.oci.OciRuntime;
import io.jpod.oci.OciRuntimeException;
import io.jpod.sys.Clock;
import io.jpod.sys.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stop is not a runtime verb: it is built here from kill, kill(pid, 0) and the injected clock, so a 10 s
 * timeout is tested in milliseconds. The seed's stopContainer and execStopContainer.
 */
final class StopPolicy {
    /** libpod's killContainerTimeout: how long SIGKILL gets before we give up. */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

    private final OciRuntime oci;
    private final Syscalls sys;
    private final Clock clock;
    private final Consumer<String> warn;
    private final Layout layout;

    StopPolicy(OciRuntime oci, Syscalls sys, Clock clock, Consumer<String> warn, Layout layout) {
        this.oci = oci;
        this.sys = sys;
        this.clock = clock;
        this.warn = warn;
        this.layout = layout;
    }

    /**
     * The seed's stopContainer: the stop signal, up to the timeout, then SIGKILL to every process (without
     * --all when rootless: there is no cgroup to find them by), then up to 5 s more. Gone early is success.
     */
    void stop(Container c, int timeoutSeconds) {
        int pid = c.state().pid();
        if (!sys.alive(pid)) return;
        if (timeoutSeconds > 0) {
            try {
                oci.kill(c.id(), c.config().stopSignal(), false);
            } catch (OciRuntimeException e) {
                if (!sys.alive(pid)) return;
                throw new JpodException(ErrorCode.INTERNAL, e.getMessage(), e);
            }
            if (waitGone(pid, Duration.ofSeconds(timeoutSeconds))) return;
            warn.accept("StopSignal " + signalName(c.config().stopSignal()) + " failed to stop container " + c.name()
                    + " in " + timeoutSeconds + " seconds, resorting to SIGKILL");
        }
        try {
            oci.kill(c.id(), 9, true);
        } catch (OciRuntimeException e) {
            if (!sys.alive(pid)) return;
            throw new JpodException(ErrorCode.INTERNAL, "sending SIGKILL to container " + c.name() + ": " + e.getMessage(), e);
        }
        if (!waitGone(pid, KILL_TIMEOUT)) {
            throw new JpodException(ErrorCode.INTERNAL, "container " + c.name() + " did not die within "
                    + KILL_TIMEOUT.toSeconds() + "s of SIGKILL: check for processes stuck in the kernel (D state)");
        }
    }

    static String signalName(int sig) {
        return switch (sig) {
            case 15 -> "SIGTERM";
            case 9 -> "SIGKILL";
            case 2 -> "SIGINT";
            case 1 -> "SIGHUP";
            case 3 -> "SIGQUIT";
            default -> Integer.toString(sig);
        };
    }

    /** Polls kill(pid, 0) with backoff until ESRCH or the timeout; true when the process is gone. */
    boolean waitGone(int pid, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long nap = 1;
        while (sys.alive(pid)) {
            if (clock.nanoTime() >= deadline) return false;
            sleep(Duration.ofMillis(nap));
            nap = Math.min(nap * 2, 100);
        }
        return true;
    }

    /** The seed's execStopContainer: TERM to all, wait for the sessions, then KILL, up to 5 s. */
    void stopExecSessions(Container c) {
        List<Integer> pids = new ArrayList<>();
        for (ContainerState.ExecSession s : c.state().execSessions().values()) {
            int pid = s.pid() > 0 ? s.pid() : readPid(io.jpod.oci.ExecRequest.pidFile(layout.execDir(c.id(), s.id())));
            if (sys.alive(pid)) pids.add(pid);
        }
        if (pids.isEmpty()) return;
        try {
            oci.kill(c.id(), 15, true);
            if (waitAllGone(pids, Duration.ofSeconds(c.config().stopTimeout()))) return;
            oci.kill(c.id(), 9, true);
        } catch (OciRuntimeException e) {
            warn.accept("stopping exec sessions of " + c.name() + ": " + e.getMessage());
        }
        if (!waitAllGone(pids, KILL_TIMEOUT)) warn.accept("exec sessions of " + c.name() + " did not die within 5s");
    }

    private boolean waitAllGone(List<Integer> pids, Duration timeout) {
        for (int pid : pids) {
            if (!waitGone(pid, timeout)) return false;
        }
        return true;
    }

    static int readPid(Path p) {
        try {
            return Integer.parseInt(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void sleep(Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JpodException(ErrorCode.INTERNAL, "interrupted while stopping a container");
        }
    }
}
