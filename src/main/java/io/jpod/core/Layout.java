package io.jpod.core;

import java.nio.file.Path;

/**
 * Where jpod keeps things. root (persistent): the database, layers, container upper dirs and logs. runRoot
 * (tmpfs, gone at reboot): exit files, attach sockets, locks, runc's state, conmon's pid files.
 */
public record Layout(Path root, Path runRoot) {
    public Path database() { return root.resolve("jpod.db"); }
    public Path layers() { return root.resolve("layers"); }
    public Path volumes() { return root.resolve("volumes"); }
    public Path containerDir(String id) { return root.resolve("containers").resolve(id); }
    public Path bundle(String id) { return containerDir(id).resolve("userdata"); }
    public Path logPath(String id) { return bundle(id).resolve("ctr.log"); }
    /** The container's network namespace, bound on a file. */
    public Path netns(String id) { return runRoot.resolve("netns").resolve(id); }
    /**
     * host-local's leases, under one directory per bridge shared by every jpod store on the host (bridges are
     * host-wide), in the host's run dir: they go with a reboot, as the addresses do.
     */
    public Path ipamDir() { return Path.of("/run/jpod-ipam"); }
    /** Held (flock) by the jpod service serving this store; conmon's exit commands leave notes for it then. */
    public Path serviceLock() { return runRoot.resolve("service.lock"); }
    /** Containers that exited while a service ran: one file each, named by ID, holding "cleanup" or "rm". */
    public Path exitNotes() { return runRoot.resolve("exit-notes"); } // exits/ is conmon's
    /** What jpod's firewall rules are known to hold, host-wide as the rules are (and gone at reboot as they are). */
    public Path firewallState() { return Path.of("/run/jpod-fw"); }
    /** CNI results of attached containers, for their DEL. */
    public Path cniCache() { return runRoot.resolve("cni"); }
    /** Networks, one JSON file each. */
    public Path networks() { return root.resolve("networks"); }
    /** The container's health (State.Health), replaced whole after each check. */
    public Path healthFile(String id) { return containerDir(id).resolve("healthcheck.json"); }
    /** The pid of the loop that runs the container's healthcheck every interval. */
    public Path healthTimerPid(String id) { return persistDir(id).resolve("healthcheck.pid"); }
    /** An exec session's conmon files, beside the container's bundle as podman keeps them. */
    public Path execDir(String id, String sessionId) { return bundle(id).resolve("exec").resolve(sessionId); }
    public Path upper(String id) { return containerDir(id).resolve("diff"); }
    public Path work(String id) { return containerDir(id).resolve("work"); }
    public Path merged(String id) { return containerDir(id).resolve("merged"); }
    public Path persistDir(String id) { return runRoot.resolve("containers").resolve(id); }
    public Path locks() { return runRoot.resolve("locks"); }
    public Path runtimeTmp() { return runRoot; }
    public Path runcRoot() { return runRoot.resolve("runc"); }
    /** Present while the machine has not rebooted since jpod last ran: runRoot is on tmpfs. */
    public Path aliveMarker() { return runRoot.resolve("alive"); }
}
