package io.jpod.it;

import io.jpod.core.Container;
import io.jpod.core.ContainerStatus;
import io.jpod.engine.ContainerEngine;
import io.jpod.engine.CreateOptions;
import io.jpod.engine.EngineConfig;
import io.jpod.engine.LocalEngine;
import io.jpod.engine.Report;
import io.jpod.engine.Streams;
import io.jpod.image.Image;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jpod.it.JpodCli.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API in this JVM (no launcher): the README's example and the ContainerEngine javadoc's, for real. */
@ExtendWith(JpodCli.Gate.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApiIT {
    static JpodCli cli;
    static ContainerEngine engine;

    @BeforeAll
    static void setUp() throws Exception {
        JpodCli.requireEnvironment(false);
        cli = JpodCli.create();
        engine = LocalEngine.open(EngineConfig.defaults().withRoot(cli.root()).withRunRoot(cli.runRoot()));
        Process p = new ProcessBuilder(JpodCli.HOME.resolve("bin/busybox-rootfs").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] tar = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Image img = engine.importImage(new ByteArrayInputStream(tar), IMAGE, List.of(JpodCli.PATH_ENV, "CMD=[\"sh\"]"));
        assertTrue(img.names().contains("localhost/busybox:latest"), img.names()::toString);
    }

    @AfterAll
    static void tearDown() {
        try {
            if (engine != null) {
                for (Report r : engine.removeAll(true)) assertTrue(r.succeeded(), () -> "remove: " + r);
                engine.close();
            }
        } finally {
            if (cli != null) {
                List<String> left = cli.awaitNoLeftovers(Duration.ofSeconds(5));
                cli.close(); // cleans by force whatever is left, then deletes the storage
                assertEquals(List.of(), left, "left behind by the Java API");
            }
        }
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(List.of(), engine.list().stream().map(Container::name).toList(), "containers left");
        assertEquals(List.of(), cli.awaitNoLeftovers(Duration.ofSeconds(5)));
    }

    record Captured(ByteArrayOutputStream out, ByteArrayOutputStream err, Streams streams) {
        String stdout() { return out.toString(StandardCharsets.UTF_8); }
        String stderr() { return err.toString(StandardCharsets.UTF_8); }
    }

    /** Streams into byte arrays: the Java streams carry attached output (run, start, exec). */
    static Captured capture() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        return new Captured(out, err, new Streams(null, out, err, -1, -1, -1));
    }

    @Test
    void readmeExample() {
        var options = CreateOptions.builder("localhost/busybox")
                .command("echo", "hello from Java")
                .autoRemove(true)
                .build();
        Captured c = capture();
        int exitCode = engine.run(options, c.streams());
        assertEquals(0, exitCode);
        assertEquals("hello from Java\n", c.stdout());
        assertEquals("", c.stderr());
        assertEquals(List.of(), engine.list(), "autoRemove removes the container");
    }

    @Test
    void runKeepsStreamsApartAndReturnsTheExitCode() {
        Captured c = capture();
        int code = engine.run(CreateOptions.builder(IMAGE).command("sh", "-c", "echo out; echo err >&2; exit 3")
                .autoRemove(true).build(), c.streams());
        assertEquals(3, code);
        assertEquals("out\n", c.stdout());
        assertEquals("err\n", c.stderr());
    }

    @Test
    void javadocExampleCreateStartAttachedRemove() {
        Container created = engine.create(CreateOptions.builder(IMAGE).command("echo", "hi").build());
        assertEquals(ContainerStatus.CONFIGURED, created.status());
        Captured c = capture();
        int code = engine.startAttached(created.id(), c.streams());
        assertEquals(0, code);
        assertEquals("hi\n", c.stdout());
        Container after = engine.inspect(created.id());
        assertEquals("exited", after.status().word());
        assertEquals(0, after.state().exitCode());
        List<Report> rm = engine.remove(List.of(created.id()), false);
        assertTrue(rm.getFirst().succeeded(), rm::toString);
        assertEquals(List.of(), engine.list());
    }

    @Test
    void runDetachedThenStopAndRemove() {
        Container c = engine.runDetached(CreateOptions.builder(IMAGE).name(cli.name("api")).command("sleep", "60").build());
        assertEquals(ContainerStatus.RUNNING, c.status());
        assertTrue(c.state().pid() > 0);
        assertTrue(cli.mounts().stream().anyMatch(m -> m.contains(c.id())), "a running container's rootfs is mounted");
        List<Report> stop = engine.stop(List.of(c.name()), false, 0);
        assertTrue(stop.getFirst().succeeded(), stop::toString);
        Container stopped = engine.inspect(c.id());
        assertEquals("exited", stopped.status().word());
        assertEquals(137, stopped.state().exitCode());
        assertTrue(engine.remove(List.of(c.id()), false).getFirst().succeeded());
    }
}
