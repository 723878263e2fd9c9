package io.jpod.api;

import io.jpod.core.JpodException;
import io.jpod.engine.CreateOptions;
import io.jpod.json.Json;
import io.jpod.oci.PortMapping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's create body as jpod's create options: what docker run, compose and docker-java send. */
class CreateBodyTest {
    static CreateOptions parse(String json, String name) {
        return CreateBody.parse(Json.parseObject(json), name);
    }

    @Test
    void dockerRunsBodyBecomesTheSameOptionsAsTheCli() {
        CreateOptions o = parse("""
                {"Image": "localhost/busybox", "Cmd": ["sh", "-c", "echo hi"], "Env": ["A=1"], "Labels": {"team": "api"},
                 "Tty": true, "OpenStdin": true, "WorkingDir": "/srv", "User": "1000", "StopSignal": "SIGINT",
                 "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
                 "HostConfig": {"Binds": ["/tmp:/data:ro"], "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
                   "AutoRemove": true, "RestartPolicy": {"Name": "", "MaximumRetryCount": 0}, "NetworkMode": "default",
                   "Memory": 67108864, "NanoCpus": 500000000, "CapAdd": ["NET_ADMIN"], "Dns": ["1.1.1.1"], "ExtraHosts": ["db:10.0.0.9"]},
                 "NetworkingConfig": {"EndpointsConfig": {"default": {"Aliases": ["web"]}}}}""", "/web");
        assertEquals("web", o.name(), "Docker's leading slash dropped");
        assertEquals(List.of("sh", "-c", "echo hi"), o.command());
        assertEquals(List.of("A=1"), o.env());
        assertEquals(Map.of("team", "api"), o.labels());
        assertTrue(o.tty() && o.interactive() && o.autoRemove());
        assertEquals("/srv", o.workDir());
        assertEquals(2, o.stopSignal());
        assertEquals(List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp")), o.ports());
        assertEquals("bridge", o.network(), "default and the default endpoint are the default network");
        assertEquals(List.of("web"), o.netOptions().aliases());
        assertEquals(List.of("1.1.1.1"), o.netOptions().dns());
        assertEquals(List.of("db:10.0.0.9"), o.netOptions().addHosts());
        assertEquals(64L << 20, o.memoryBytes());
        assertEquals(0.5, o.cpus());
        assertEquals("bind", o.mounts().getFirst().type());
        assertTrue(o.mounts().getFirst().options().contains("ro"));
    }

    @Test
    void anEmptyHostPortAndPublishAllTakeFreePortsLater() {
        CreateOptions o = parse("""
                {"Image": "i", "ExposedPorts": {"80/tcp": {}, "9000/udp": {}},
                 "HostConfig": {"PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": ""}]}, "PublishAllPorts": true}}""", null);
        assertEquals(List.of(new PortMapping("", 0, 80, "tcp"), new PortMapping("", 0, 9000, "udp")), o.ports(),
                "host port 0: the engine picks a free one; 80 is not published twice");
    }

    @Test
    void restartPoliciesHealthchecksAndNamedNetworks() {
        CreateOptions o = parse("""
                {"Image": "i", "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 2000000000, "Retries": 2},
                 "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}, "NetworkMode": "backend"},
                 "NetworkingConfig": {"EndpointsConfig": {"backend": {"IPAMConfig": {"IPv4Address": "10.90.0.9"}}}}}""", null);
        assertEquals("on-failure", o.restartPolicy().name());
        assertEquals(3, o.restartPolicy().maxRetries());
        assertEquals(java.time.Duration.ofSeconds(2), o.healthcheck().interval());
        assertEquals("backend", o.network());
        assertEquals("10.90.0.9", o.netOptions().ip());
    }

    @Test
    void wrongTypesMissingImagesAndUnknownFieldsAreOneClearError() {
        JpodException e = assertThrows(JpodException.class, () -> parse("{\"Image\": \"i\", \"Tty\": \"yes\"}", null));
        assertEquals("json: cannot unmarshal string into Go struct field Tty of type bool", e.getMessage());
        assertTrue(assertThrows(JpodException.class, () -> parse("{\"Cmd\": [\"true\"]}", null)).getMessage().contains("Image is required"));
        assertTrue(assertThrows(JpodException.class, () -> parse("{\"Image\": \"i\", \"Cmd\": [1]}", null)).getMessage().contains("Cmd"));
        assertTrue(assertThrows(JpodException.class, () -> parse("{\"Imgae\": \"i\"}", null)).getMessage().contains("unknown field \"Imgae\""));
        assertTrue(assertThrows(JpodException.class, () -> parse("{\"Image\": \"i\", \"HostConfig\": {\"PortBindings\": {\"http\": []}}}", null))
                .getMessage().contains("invalid port \"http\""));
        parse("{\"Image\": \"i\", \"PortSpecs\": null, \"Memory\": 0, \"HostConfig\": {\"BlkioWeight\": 0}}", null); // docker-java's legacy fields
    }
}
