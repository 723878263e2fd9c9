package io.jpod.cli;

import io.jpod.core.MountSpec;
import io.jpod.engine.CreateOptions;
import io.jpod.oci.PortMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateFlagsTest {
    @TempDir
    Path tmp;

    static CreateOptions parse(String... args) {
        return CreateFlags.parse(Args.parse(CreateFlags.FLAGS, List.of(args), 1));
    }

    static String error(Runnable r) {
        return assertThrows(UsageException.class, r::run).getMessage();
    }

    // ---------------------------------------------------------------- ports

    @Test
    void hostPortToContainerPortDefaultsToTcpOnAllAddresses() {
        assertEquals(List.of(new PortMapping("", 8080, 80, "tcp")), CreateFlags.parsePorts("8080:80"));
    }

    @Test
    void hostIpAndProtocolAreKept() {
        assertEquals(List.of(new PortMapping("127.0.0.1", 5353, 53, "udp")), CreateFlags.parsePorts("127.0.0.1:5353:53/udp"));
        assertEquals(List.of(new PortMapping("::1", 8080, 80, "tcp")), CreateFlags.parsePorts("[::1]:8080:80"));
    }

    @Test
    void rangesExpandPairwise() {
        assertEquals(List.of(new PortMapping("", 8000, 9000, "tcp"), new PortMapping("", 8001, 9001, "tcp"),
                new PortMapping("", 8002, 9002, "tcp")), CreateFlags.parsePorts("8000-8002:9000-9002"));
    }

    @Test
    void badPortsAreRejectedWithTheSpecNamed() {
        assertEquals("invalid port \"8000-8001:9000\": host and container port ranges differ in size",
                error(() -> CreateFlags.parsePorts("8000-8001:9000")));
        assertEquals("invalid port \"abc:80\": \"abc\" is not a port number or range",
                error(() -> CreateFlags.parsePorts("abc:80")));
        assertEquals("invalid port \"9-8:9-8\": \"9-8\" is not a port number or range",
                error(() -> CreateFlags.parsePorts("9-8:9-8")));
        assertEquals("invalid port \"70000:80\": host port 70000 is out of range 0-65535",
                error(() -> CreateFlags.parsePorts("70000:80")));
        assertEquals("invalid port \"8080:0\": container port 0 is out of range 1-65535",
                error(() -> CreateFlags.parsePorts("8080:0")));
        assertTrue(error(() -> CreateFlags.parsePorts("8080:80/sctp")).startsWith("invalid port \"8080:80/sctp\": unknown protocol \"sctp\""));
        assertEquals(List.of(new PortMapping("", 0, 80, "tcp")), CreateFlags.parsePorts("80"), "no host port: a free one at create");
    }

    @Test
    void publishFlagsAccumulate() {
        CreateOptions o = parse("-p", "8080:80", "--publish", "127.0.0.1:53:53/udp", "img");
        assertEquals(List.of(new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 53, 53, "udp")), o.ports());
    }

    // ---------------------------------------------------------------- volumes and tmpfs

    @Test
    void volumeBindsAHostPathWithOptions() throws IOException {
        Path host = Files.createDirectory(tmp.resolve("data"));
        assertEquals(new MountSpec("bind", host.toString(), "/data", List.of("ro")), CreateFlags.volume(host + ":/data:ro"));
        assertEquals(new MountSpec("bind", host.toString(), "/data", List.of()), CreateFlags.volume(host + ":/data"));
        assertEquals(new MountSpec("bind", host.toString(), "/data", List.of("rw")), CreateFlags.volume(host + ":/data:rw,z"),
                "SELinux relabel options are accepted and dropped");
    }

    @Test
    void volumeWithAMissingHostPathSaysToCreateIt() {
        String missing = tmp.resolve("nope").toString();
        assertEquals("invalid volume \"" + missing + ":/data\": host path " + missing + " does not exist: create it first",
                error(() -> CreateFlags.volume(missing + ":/data")));
    }

    @Test
    void malformedVolumesAreRejected() {
        assertTrue(error(() -> CreateFlags.volume("tmp")).contains("a lone path must be an absolute container path"));
        assertTrue(error(() -> CreateFlags.volume("a:b:c:d")).contains("use /host/path:/container/path[:ro] or NAME:"));
        assertTrue(error(() -> CreateFlags.volume("bad name!:/data")).contains("is neither an absolute host path nor a volume name"));
        assertTrue(error(() -> CreateFlags.volume("/tmp:data")).contains("the destination must be an absolute path"));
        assertEquals("invalid volume option \"exec\" in \"/tmp:/d:exec\": use ro or rw",
                error(() -> CreateFlags.volume("/tmp:/d:exec")));
    }

    @Test
    void namedAnonymousAndMountVolumes() {
        assertEquals(new MountSpec("volume", "data", "/d", List.of("ro")), CreateFlags.volume("data:/d:ro"));
        assertEquals(new MountSpec("volume", "", "/scratch", List.of()), CreateFlags.volume("/scratch"));
        assertEquals(new MountSpec("volume", "v", "/m", List.of("ro")), CreateFlags.mount("type=volume,source=v,target=/m,readonly"));
        assertEquals(new MountSpec("tmpfs", "tmpfs", "/t", List.of("size=1m")), CreateFlags.mount("type=tmpfs,dst=/t,tmpfs-size=1m"));
        assertTrue(error(() -> CreateFlags.mount("type=volume,source=v")).contains("target=/absolute/path is required"));
        assertTrue(error(() -> CreateFlags.mount("type=nfs,target=/x")).contains("use bind, volume or tmpfs"));
    }

    @Test
    void tmpfsWithAndWithoutOptions() {
        assertEquals(new MountSpec("tmpfs", "tmpfs", "/scratch", List.of()), CreateFlags.tmpfs("/scratch"));
        assertEquals(new MountSpec("tmpfs", "tmpfs", "/scratch", List.of("size=64m", "mode=1777")),
                CreateFlags.tmpfs("/scratch:size=64m,mode=1777"));
        assertEquals("invalid --tmpfs \"scratch\": the destination must be an absolute path",
                error(() -> CreateFlags.tmpfs("scratch")));
    }

    // ---------------------------------------------------------------- env

    @Test
    void envFileLinesComeBeforeDashEAndSkipCommentsAndBlanks() throws IOException {
        Path f = tmp.resolve("env");
        Files.writeString(f, "# comment\nA=1\n\n   B=two words  \nC\n");
        assertEquals(List.of("A=1", "B=two words", "C"), CreateFlags.readEnvFile(f.toString()));
        CreateOptions o = parse("-e", "D=4", "--env-file", f.toString(), "img");
        assertEquals(List.of("A=1", "B=two words", "C", "D=4"), o.env());
    }

    @Test
    void aMissingEnvFileIsAUsageError() {
        String missing = tmp.resolve("nope").toString();
        assertTrue(error(() -> CreateFlags.readEnvFile(missing)).startsWith("cannot read env file " + missing + ": "));
    }

    // ---------------------------------------------------------------- the rest

    @Test
    void commonFlagsLandInTheOptions() {
        CreateOptions o = parse("--name", "web", "-m", "64m", "--cpus", "0.5", "--pids-limit", "100",
                "--cap-add", "SYS_ADMIN,NET_ADMIN", "--cap-drop", "CHOWN", "--stop-signal", "SIGINT", "--stop-timeout", "3",
                "-l", "a=b", "--label", "flag", "--log-opt", "max-size=1m", "--read-only", "--rm", "-w", "/tmp",
                "img", "sleep", "100");
        assertEquals("img", o.image());
        assertEquals(List.of("sleep", "100"), o.command());
        assertEquals("web", o.name());
        assertEquals(64L << 20, o.memoryBytes());
        assertEquals(0.5, o.cpus());
        assertEquals(100, o.pidsLimit());
        assertEquals(List.of("SYS_ADMIN", "NET_ADMIN"), o.capAdd());
        assertEquals(List.of("CHOWN"), o.capDrop());
        assertEquals(2, o.stopSignal());
        assertEquals(3, o.stopTimeout());
        assertEquals(Map.of("a", "b", "flag", ""), o.labels());
        assertEquals(1L << 20, o.logMaxSize());
        assertTrue(o.readOnly());
        assertTrue(o.autoRemove());
        assertEquals("/tmp", o.workDir());
    }

    @Test
    void entrypointTakesAStringOrAJsonArray() {
        assertEquals(List.of("/bin/sh", "-c"), parse("--entrypoint", "[\"/bin/sh\",\"-c\"]", "img").entrypoint());
        assertEquals(List.of("/bin/sh"), parse("--entrypoint", "/bin/sh", "img").entrypoint());
        assertEquals(List.of(), parse("--entrypoint", "", "img").entrypoint());
        assertTrue(parse("--entrypoint", "", "img").entrypointSet());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertTrue(error(() -> parse("--cpus", "-1", "img")).contains("\"--cpus\" flag: use a positive number"));
        assertTrue(error(() -> parse("--log-opt", "mode=non-blocking", "img")).startsWith("unknown log option \"mode=non-blocking\""));
        assertTrue(error(() -> parse("--pull", "sometimes", "img")).startsWith("invalid pull policy \"sometimes\""));
        assertTrue(error(() -> parse()).startsWith("requires at least 1 arg(s), only received 0"));
    }
}
