package io.jpod.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageChangesTest {
    static Map<String, Object> apply(String... changes) {
        return ImageChanges.apply(Map.of(), List.of(changes));
    }

    @Test
    void cmdShellFormRunsThroughShAndJsonFormIsTakenAsIs() {
        assertEquals(List.of("/bin/sh", "-c", "echo hi there"), apply("CMD echo hi there").get("Cmd"));
        assertEquals(List.of("/bin/sh", "-c", "/bin/sh"), apply("CMD=/bin/sh").get("Cmd"));
        assertEquals(List.of("echo", "hi there"), apply("CMD [\"echo\", \"hi there\"]").get("Cmd"));
        assertEquals(List.of("top", "-b"), apply("ENTRYPOINT=[\"top\",\"-b\"]").get("Entrypoint"));
        assertEquals(List.of("ls"), apply("cmd [\"ls\"]").get("Cmd"), "instructions are case-insensitive");
    }

    @Test
    void envSetsSeveralAndReplacesExistingNames() {
        Map<String, Object> c = ImageChanges.apply(Map.of("Env", List.of("PATH=/bin", "A=old")),
                List.of("ENV A=1 B=\"two words\"", "ENV C 3 4"));
        assertEquals(List.of("PATH=/bin", "A=1", "B=two words", "C=3 4"), c.get("Env"));
    }

    @Test
    void aSinglePairMayHaveSpacesInItsValue() {
        assertEquals(List.of("MSG=hello world"), apply("ENV MSG=hello world").get("Env"));
    }

    @Test
    void labelsExposeVolumesAndScalars() {
        Map<String, Object> c = apply("LABEL a=b c=\"d e\"", "EXPOSE 80 53/udp", "VOLUME [\"/data\", \"/logs\"]",
                "VOLUME /cache", "WORKDIR /srv", "USER 1000:1000", "STOPSIGNAL SIGINT");
        assertEquals(Map.of("a", "b", "c", "d e"), c.get("Labels"));
        assertEquals(List.of("80/tcp", "53/udp"), List.copyOf(((Map<?, ?>) c.get("ExposedPorts")).keySet()));
        assertEquals(List.of("/data", "/logs", "/cache"), List.copyOf(((Map<?, ?>) c.get("Volumes")).keySet()));
        assertEquals("/srv", c.get("WorkingDir"));
        assertEquals("1000:1000", c.get("User"));
        assertEquals("SIGINT", c.get("StopSignal"));
    }

    @Test
    void theInputIsNotModified() {
        Map<String, Object> in = Map.of("Cmd", List.of("sh"));
        Map<String, Object> out = ImageChanges.apply(in, List.of("CMD [\"ls\"]"));
        assertEquals(List.of("sh"), in.get("Cmd"));
        assertEquals(List.of("ls"), out.get("Cmd"));
    }

    static String error(String change) {
        return assertThrows(IllegalArgumentException.class, () -> apply(change)).getMessage();
    }

    @Test
    void badInstructionsAreNamed() {
        assertEquals("invalid --change \"FROM busybox\": unsupported instruction FROM (use CMD, ENTRYPOINT, ENV, EXPOSE, "
                + "LABEL, STOPSIGNAL, USER, VOLUME or WORKDIR)", error("FROM busybox"));
        assertEquals("invalid --change \"CMD\": expected INSTRUCTION=VALUE or INSTRUCTION VALUE", error("CMD"));
        assertEquals("invalid --change \"ENV =x\": expected KEY=VALUE but got \"=x\"", error("ENV =x"));
        assertEquals("invalid --change \"ENV A\": expected KEY=VALUE", error("ENV A"));
        assertTrue(error("CMD [\"a\"").startsWith("invalid --change \"CMD [\"a\"\": the value is not a valid JSON array: "),
                error("CMD [\"a\""));
    }
}
