package io.jpod.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /proc and cgroup files as the kernel writes them, in a temp dir: top's and stats' readings. */
class ProcFsTest {
    @TempDir
    Path tmp;

    static final long BOOT = 1_700_000_000L;

    Path proc() { return tmp.resolve("proc"); }

    Path cg() { return tmp.resolve("cgroup"); }

    void process(int hostPid, int nsPid, int ppid, String comm, String cmdline, int uid, long ticks, long startTicks,
                 int ttyNr, String cgroupFile) throws IOException {
        Path d = Files.createDirectories(proc().resolve(Integer.toString(hostPid)));
        // fields 3.. : state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
        // cstime priority nice num_threads itrealvalue starttime vsize
        Files.writeString(d.resolve("stat"), hostPid + " (" + comm + ") S " + ppid + " " + hostPid + " 1 " + ttyNr
                + " 0 0 0 0 0 0 " + (ticks - 1) + " 1 0 0 20 5 1 0 " + startTicks + " 2322432 100\n");
        Files.writeString(d.resolve("status"), "Name:\t" + comm + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
                + "\nGid:\t0\t0\t0\t0\nNSpid:\t" + hostPid + "\t" + nsPid + "\nSeccomp:\t2\nCapEff:\t00000000a80425fb\n"
                + "CapBnd:\t000001ffffffffff\n");
        Files.writeString(d.resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
        Files.writeString(d.resolve("cgroup"), cgroupFile);
    }

    static final String V1 = "12:pids:/jpod_parent/jpod-abc\n9:memory:/jpod_parent/jpod-abc\n"
            + "7:blkio:/jpod_parent/jpod-abc\n4:cpu,cpuacct:/jpod_parent/jpod-abc\n0::/\n";

    void v1Container() throws IOException {
        process(500, 1, 400, "sleep", "sleep 1000", 0, 100, 1000, 0, V1);
        process(520, 6, 510, "sh (x)", "sh -c sleep 5", 1000, 50, 2000, (136 << 8) | 3, V1);
        Path pids = Files.createDirectories(cg().resolve("pids/jpod_parent/jpod-abc"));
        Files.writeString(pids.resolve("cgroup.procs"), "520\n500\n");
        Files.writeString(pids.resolve("pids.current"), "2\n");
        Path cpu = Files.createDirectories(cg().resolve("cpu,cpuacct/jpod_parent/jpod-abc"));
        Files.createDirectories(cg().resolve("cpuacct"));
        Files.createSymbolicLink(cg().resolve("cpuacct/jpod_parent"), cg().resolve("cpu,cpuacct/jpod_parent"));
        Files.writeString(cpu.resolve("cpuacct.usage"), "235068360\n");
        Path mem = Files.createDirectories(cg().resolve("memory/jpod_parent/jpod-abc"));
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "2621440\n");
        Files.writeString(mem.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Path blk = Files.createDirectories(cg().resolve("blkio/jpod_parent/jpod-abc"));
        Files.writeString(blk.resolve("blkio.throttle.io_service_bytes"), "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");
        Files.createDirectories(proc().resolve("500/net"));
        Files.writeString(proc().resolve("500/net/dev"), "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes\n"
                + "    lo:  999 1 0 0 0 0 0 0  999 1 0 0 0 0 0 0\n  eth0:  656 8 0 0 0 0 0 0  1500 9 0 0 0 0 0 0\n");
        Files.writeString(proc().resolve("stat"), "cpu 1 2 3\nbtime " + BOOT + "\n");
        Files.writeString(proc().resolve("meminfo"), "MemTotal:       24687772 kB\n");
    }

    @Test
    void processesOfTheContainersCgroupInItsOwnPidNumbers() throws IOException {
        v1Container();
        ProcFs fs = new ProcFs(proc(), cg());
        List<ProcFs.Proc> ps = fs.processes(500);
        assertEquals(List.of(1, 6), ps.stream().map(ProcFs.Proc::pid).toList());
        ProcFs.Proc sh = ps.get(1);
        assertEquals("sh (x)", sh.comm(), "a comm with spaces and parentheses is read whole");
        assertEquals(List.of("sh", "-c", "sleep", "5"), sh.args());
        assertEquals(1000, sh.euid());
        assertEquals(5, sh.nice());
        assertEquals(2268, sh.vszKib());
        assertEquals(50, sh.cpuTicks());
    }

    @Test
    void topShowsPodmansColumnsFromInsideTheContainer() throws IOException {
        v1Container();
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:1000:1000::/:/bin/sh\n");
        Files.writeString(rootfs.resolve("group"), "root:x:0:\n");
        ProcFs fs = new ProcFs(proc(), cg());
        Instant now = Instant.ofEpochSecond(BOOT).plusSeconds(30); // sleep started at 10 s, sh at 20 s
        TopTable t = TopTable.of(fs.processes(500), TopTable.DEFAULT, tmp.resolve("rootfs"), null, now, BOOT);
        assertEquals(List.of("USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"), t.headers());
        assertEquals(List.of("root", "1", "0", "5.000", "20s", "?", "1s", "sleep 1000"), t.rows().get(0));
        assertEquals(List.of("www", "6", "0", "5.000", "10s", "pts/3", "500ms", "sh -c sleep 5"), t.rows().get(1),
                "the user named from the container's passwd; a parent outside the container is 0");
        TopTable more = TopTable.of(fs.processes(500), List.of("hpid", "comm", "seccomp", "capbnd", "nice", "group"),
                tmp.resolve("rootfs"), null, now, BOOT);
        assertEquals(List.of("500", "sleep", "filter", "full", "5", "root"), more.rows().get(0));
    }

    @Test
    void unknownDescriptorsAreRefusedByName() {
        assertEquals(false, TopTable.known("bogus"));
        assertEquals(true, TopTable.known("%cpu"));
    }

    @Test
    void goDurationsAsPodmanPrintsThem() {
        assertEquals("0s", TopTable.goDuration(Duration.ZERO));
        assertEquals("640.571992ms", TopTable.goDuration(Duration.ofNanos(640_571_992)));
        assertEquals("1.640407027s", TopTable.goDuration(Duration.ofNanos(1_640_407_027)));
        assertEquals("2m3.5s", TopTable.goDuration(Duration.ofMillis(123_500)));
        assertEquals("1h0m0s", TopTable.goDuration(Duration.ofHours(1)));
    }

    @Test
    void usageFromCgroupV1AndTheNetworkNamespace() throws IOException {
        v1Container();
        ProcFs fs = new ProcFs(proc(), cg());
        long host = fs.hostMemory();
        assertEquals(24687772L * 1024, host);
        ProcFs.Usage u = fs.usage(500, host);
        assertEquals(new ProcFs.Usage(235068360, 2621440, host, 2, 4096, 8192, 656, 1500), u,
                "no memory limit shows the host's memory; lo is not counted");
    }

    @Test
    void usageFromCgroupV2() throws IOException {
        Files.createDirectories(proc());
        process(700, 1, 1, "sleep", "sleep 9", 0, 1, 1, 0, "0::/jpod_parent/jpod-v2\n");
        Files.writeString(proc().resolve("meminfo"), "MemTotal: 1000 kB\n");
        Files.createDirectories(cg());
        Files.writeString(cg().resolve("cgroup.controllers"), "cpu memory pids io\n"); // a pure v2 mount
        Path d = Files.createDirectories(cg().resolve("jpod_parent/jpod-v2"));
        Files.writeString(d.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\n");
        Files.writeString(d.resolve("memory.current"), "4096\n");
        Files.writeString(d.resolve("memory.max"), "max\n");
        Files.writeString(d.resolve("pids.current"), "1\n");
        Files.writeString(d.resolve("io.stat"), "8:0 rbytes=10 wbytes=20 rios=1 wios=2\n");
        Files.writeString(d.resolve("cgroup.procs"), "700\n");
        ProcFs fs = new ProcFs(proc(), cg());
        assertEquals(new ProcFs.Usage(1_500_000, 4096, 1_024_000, 1, 10, 20, 0, 0), fs.usage(700, fs.hostMemory()));
        assertEquals(List.of(1), fs.processes(700).stream().map(ProcFs.Proc::pid).toList());
    }
}
