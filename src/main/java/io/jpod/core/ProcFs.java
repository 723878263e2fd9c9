package io.jpod.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's processes and resource use, read from /proc and the cgroup tree (roots injectable, so tests
 * feed files). The container's cgroups are found through its init process's /proc/PID/cgroup, which works for
 * the cgroupfs and systemd managers alike, on cgroup v1 (per controller) and v2 (unified).
 */
public final class ProcFs {
    /** USER_HZ on every Linux architecture jpod runs on. */
    static final int CLK_TCK = 100;

    private final Path proc;
    private final Path cgroupRoot;

    public ProcFs(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    public static ProcFs host() {
        return new ProcFs(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /** One process as ps sees it; pid and pgrp are the container's numbers (NSpid), hostPid the host's. */
    public record Proc(int hostPid, int pid, int hostPpid, int ruid, int euid, int rgid, int egid, String state, int nice,
                       long vszKib, long cpuTicks, long startTicks, int ttyNr, int hostPgrp, String comm, List<String> args,
                       String seccomp, Map<String, String> capsHex, String label) {}

    /** The processes of the cgroup holding initPid, init first. */
    public List<Proc> processes(int initPid) throws IOException {
        List<Proc> out = new ArrayList<>();
        for (int pid : pids(initPid)) {
            Proc p = process(pid);
            if (p != null) out.add(p);
        }
        return out;
    }

    List<Integer> pids(int initPid) throws IOException {
        Path procs = cgroupDir(initPid, "pids").resolve("cgroup.procs");
        List<Integer> pids = new ArrayList<>();
        if (Files.exists(procs)) {
            for (String l : Files.readAllLines(procs)) if (!l.isBlank()) pids.add(Integer.parseInt(l.strip()));
        }
        if (pids.isEmpty()) pids.add(initPid);
        pids.sort(Integer::compare);
        return pids;
    }

    /** A process, or null when it is gone. */
    Proc process(int pid) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"));
            // comm may hold spaces and parentheses: the fields start after the last ')'
            int open = stat.indexOf('('), close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).strip().split(" ");
            // f[0] is field 3 (state): field n is f[n - 3]
            Map<String, String> status = new LinkedHashMap<>();
            for (String l : Files.readAllLines(dir.resolve("status"))) {
                int c = l.indexOf(':');
                if (c > 0) status.put(l.substring(0, c), l.substring(c + 1).strip());
            }
            String[] uid = fields(status.getOrDefault("Uid", "0 0")).toArray(String[]::new);
            String[] gid = fields(status.getOrDefault("Gid", "0 0")).toArray(String[]::new);
            String[] nspid = fields(status.getOrDefault("NSpid", Integer.toString(pid))).toArray(String[]::new);
            byte[] cmd = Files.readAllBytes(dir.resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < cmd.length; i++) {
                if (cmd[i] == 0) {
                    args.add(new String(cmd, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < cmd.length) args.add(new String(cmd, start, cmd.length - start, StandardCharsets.UTF_8));
            Map<String, String> caps = new LinkedHashMap<>();
            for (String k : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) caps.put(k, status.getOrDefault(k, "0"));
            String label = "";
            try {
                label = Files.readString(dir.resolve("attr/current")).replace("\0", "").strip();
            } catch (IOException ignored) {
                // no LSM
            }
            return new Proc(pid, Integer.parseInt(nspid[nspid.length - 1]), Integer.parseInt(f[1]),
                    Integer.parseInt(uid[0]), Integer.parseInt(uid[1]), Integer.parseInt(gid[0]), Integer.parseInt(gid[1]),
                    f[0], Integer.parseInt(f[16]), Long.parseLong(f[20]) / 1024, Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[19]), Integer.parseInt(f[4]), Integer.parseInt(f[2]), comm, args,
                    status.getOrDefault("Seccomp", "0"), caps, label);
        } catch (IOException | RuntimeException e) {
            return null; // exited while we looked
        }
    }

    /** Seconds since the epoch at boot (/proc/stat btime). */
    public long bootTimeSeconds() throws IOException {
        for (String l : Files.readAllLines(proc.resolve("stat"))) {
            if (l.startsWith("btime ")) return Long.parseLong(l.substring(6).strip());
        }
        throw new IOException("no btime in " + proc.resolve("stat"));
    }

    /** The directory of the cgroup holding pid for a v1 controller, or its unified (v2) cgroup. */
    Path cgroupDir(int pid, String controller) throws IOException {
        return cgroupDir(Files.readString(proc.resolve(Integer.toString(pid)).resolve("cgroup")), pid, controller);
    }

    private Path cgroupDir(String cgroupFile, int pid, String controller) throws IOException {
        String unified = null;
        for (String l : cgroupFile.split("\n")) {
            String[] f = l.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) unified = f[2];
            for (String c : f[1].split(",")) {
                if (c.equals(controller)) return cgroupRoot.resolve(controller).resolve(f[2].substring(1));
            }
        }
        if (unified == null) throw new IOException("process " + pid + " is in no " + controller + " cgroup");
        // pure v2 mounts the tree at the root; hybrid hosts at unified/
        Path v2 = Files.exists(cgroupRoot.resolve("cgroup.controllers")) ? cgroupRoot : cgroupRoot.resolve("unified");
        return v2.resolve(unified.substring(1));
    }

    /** One reading of a container's resource use. */
    public record Usage(long cpuNanos, long memoryBytes, long memoryLimit, long pids, long blockRead, long blockWrite,
                        long netRx, long netTx) {}

    /** Reads the container's cgroup counters (v1 or v2) and its network namespace's interface counters. */
    public Usage usage(int initPid, long hostMemory) throws IOException {
        String cg = Files.readString(proc.resolve(Integer.toString(initPid)).resolve("cgroup"));
        Path cpu = cgroupDir(cg, initPid, "cpuacct");
        boolean v2 = !Files.exists(cpu.resolve("cpuacct.usage"));
        long cpuNanos, mem, limit, pids, rd = 0, wr = 0;
        if (!v2) {
            cpuNanos = readLong(cpu.resolve("cpuacct.usage"));
            Path m = cgroupDir(cg, initPid, "memory");
            mem = readLong(m.resolve("memory.usage_in_bytes"));
            limit = readLong(m.resolve("memory.limit_in_bytes"));
            pids = readLong(cgroupDir(cg, initPid, "pids").resolve("pids.current"));
            Path blk = cgroupDir(cg, initPid, "blkio").resolve("blkio.throttle.io_service_bytes");
            if (Files.exists(blk)) {
                for (String l : Files.readAllLines(blk)) {
                    String[] f = l.split(" ");
                    if (f.length == 3 && f[1].equals("Read")) rd += Long.parseLong(f[2]);
                    if (f.length == 3 && f[1].equals("Write")) wr += Long.parseLong(f[2]);
                }
            }
        } else {
            cpuNanos = 0;
            for (String l : Files.readAllLines(cpu.resolve("cpu.stat"))) {
                if (l.startsWith("usage_usec ")) cpuNanos = Long.parseLong(l.substring(11).strip()) * 1000;
            }
            mem = readLong(cpu.resolve("memory.current"));
            limit = readLong(cpu.resolve("memory.max"));
            pids = readLong(cpu.resolve("pids.current"));
            Path io = cpu.resolve("io.stat");
            if (Files.exists(io)) {
                for (String l : Files.readAllLines(io)) {
                    for (String kv : l.split(" ")) {
                        if (kv.startsWith("rbytes=")) rd += Long.parseLong(kv.substring(7));
                        if (kv.startsWith("wbytes=")) wr += Long.parseLong(kv.substring(7));
                    }
                }
            }
        }
        // no limit reads as a huge number (v1) or "max" (v2): the host's memory is the limit then, as podman shows
        if (limit <= 0 || limit > hostMemory) limit = hostMemory;
        long rx = 0, tx = 0;
        Path dev = proc.resolve(Integer.toString(initPid)).resolve("net/dev");
        if (Files.exists(dev)) {
            for (String l : Files.readAllLines(dev)) {
                int c = l.indexOf(':');
                if (c < 0 || l.substring(0, c).strip().equals("lo")) continue;
                List<String> f = fields(l.substring(c + 1));
                rx += Long.parseLong(f.get(0));
                tx += Long.parseLong(f.get(8));
            }
        }
        return new Usage(cpuNanos, mem, limit, pids, rd, wr, rx, tx);
    }

    /** Whitespace-separated fields, without a regex (this runs per interface per container on every stats). */
    static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** The host's memory in bytes (/proc/meminfo MemTotal). */
    public long hostMemory() throws IOException {
        for (String l : Files.readAllLines(proc.resolve("meminfo"))) {
            if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
        return Long.MAX_VALUE;
    }

    private static long readLong(Path p) throws IOException {
        String s;
        try {
            s = Files.readString(p).strip();
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
        if (s.equals("max")) return Long.MAX_VALUE;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
