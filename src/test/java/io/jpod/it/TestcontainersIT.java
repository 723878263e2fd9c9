package io.jpod.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Testcontainers 2 (its shaded docker-java inside) against `jpod system service`, as a JVM project's tests would
 * use it: a GenericContainer running busybox httpd on an exposed port, waited for, fetched from, its logs read, a
 * command run in it, a file copied in, stopped. Ryuk is off (it needs a privileged reaper container).
 */
class TestcontainersIT extends CliIT {
    static JpodCli.Running service;
    static Path socket;

    @BeforeAll
    static void startService() throws Exception {
        socket = cli.scratch().resolve("tc.sock");
        service = cli.service("tc.sock");
        // Testcontainers reads docker.host from ~/.testcontainers.properties (or the environment, which a running
        // JVM cannot change) when its client is first made, which is below: a home of the test's own (Ryuk: pom.xml)
        home = System.getProperty("user.home");
        Path fakeHome = Files.createDirectories(cli.scratch().resolve("tc-home"));
        Files.writeString(fakeHome.resolve(".testcontainers.properties"), "docker.host=unix://" + socket + "\n");
        System.setProperty("user.home", fakeHome.toString());
    }

    static String home;

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.process().destroy();
            service.await(Duration.ofSeconds(10));
        }
        if (home != null) System.setProperty("user.home", home);
    }

    @Test
    void anImageFromALocalRegistryIsPulledThroughTheService() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestRegistry.available(), "docker-registry is not installed (apt-get install docker-registry)");
        try (TestRegistry reg = TestRegistry.plain(cli.scratch())) {
            String ref = reg.host() + "/tc/busybox:1";
            JpodCli.Result push = cli.run("push", "--tls-verify=false", JpodCli.IMAGE, ref);
            assertEquals(0, push.exit(), push::toString);
            try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(ref))
                    .withImagePullPolicy(org.testcontainers.images.PullPolicy.alwaysPull())
                    .withCommand("sh", "-c", "echo pulled-by-testcontainers; sleep 30")
                    .waitingFor(Wait.forLogMessage(".*pulled-by-testcontainers.*", 1).withStartupTimeout(Duration.ofSeconds(30)))) {
                c.start();
                assertTrue(c.getLogs().contains("pulled-by-testcontainers"));
            }
            cli.ok("rmi", ref);
        }
    }

    @Test
    void dockerJavasOwnClientCreatesStartsWaitsReadsLogsAndRemoves() throws Exception {
        var client = org.testcontainers.DockerClientFactory.instance().client();
        assertEquals("1.44", client.versionCmd().exec().getApiVersion());
        var created = client.createContainerCmd(JpodCli.IMAGE + ":latest").withCmd("sh", "-c", "echo docker-java; exit 7").exec();
        client.startContainerCmd(created.getId()).exec();
        assertEquals(7, client.waitContainerCmd(created.getId()).start().awaitStatusCode(30, java.util.concurrent.TimeUnit.SECONDS));
        StringBuilder logs = new StringBuilder();
        client.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true)
                .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame f) {
                        logs.append(f.getStreamType()).append(':').append(new String(f.getPayload()).strip());
                    }
                }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("STDOUT:docker-java", logs.toString());
        assertEquals("exited", client.inspectContainerCmd(created.getId()).exec().getState().getStatus());
        client.removeContainerCmd(created.getId()).exec();
        assertTrue(client.listImagesCmd().exec().stream().anyMatch(i -> i.getRepoTags() != null
                && java.util.List.of(i.getRepoTags()).contains(JpodCli.IMAGE + ":latest")));
    }

    @Test
    void genericContainerServesWaitsExecsCopiesAndStops() throws Exception {
        try (GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse(JpodCli.IMAGE + ":latest"))
                .withCommand("sh", "-c", "mkdir -p /www && echo from-testcontainers > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/").forStatusCode(200).withStartupTimeout(Duration.ofSeconds(30)))) {
            web.start();
            String url = "http://" + web.getHost() + ":" + web.getMappedPort(8080) + "/";
            try (var in = URI.create(url).toURL().openStream()) {
                assertEquals("from-testcontainers", new String(in.readAllBytes()).strip());
            }
            assertTrue(web.getLogs().contains("serving"), web.getLogs());
            var exec = web.execInContainer("sh", "-c", "echo exec-out; exit 4");
            assertEquals(4, exec.getExitCode());
            assertEquals("exec-out", exec.getStdout().strip());
            web.copyFileToContainer(Transferable.of("copied-in"), "/www/copied.txt");
            try (var in = URI.create(url + "copied.txt").toURL().openStream()) {
                assertEquals("copied-in", new String(in.readAllBytes()).strip());
            }
        }
        assertEquals("", cli.ok("ps", "-a", "-q").out(), "stopped and removed");
    }
}
