package io.jpod.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageRefTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void shortNameGetsLatestAndNoDomain() {
        ImageRef r = ImageRef.parse("busybox");
        assertNull(r.domain());
        assertEquals("busybox", r.path());
        assertEquals("latest", r.tag());
        assertNull(r.digest());
        assertTrue(r.isShortName());
        assertEquals("localhost/busybox:latest", r.qualified());
    }

    @Test
    void domainsAreRecognisedByDotColonOrLocalhost() {
        ImageRef a = ImageRef.parse("localhost:5000/team/app:v1.2");
        assertEquals("localhost:5000", a.domain());
        assertEquals("team/app", a.path());
        assertEquals("v1.2", a.tag());
        assertEquals("localhost:5000/team/app:v1.2", a.qualified());
        assertEquals("docker.io", ImageRef.parse("docker.io/library/busybox").domain());
        assertEquals("localhost", ImageRef.parse("localhost/busybox").domain());
        ImageRef lib = ImageRef.parse("library/busybox");
        assertNull(lib.domain(), "a lowercase first component without . or : is a path");
        assertEquals("library/busybox", lib.path());
        assertFalse(ImageRef.parse("quay.io/x").isShortName());
    }

    @Test
    void digestsWithAndWithoutTag() {
        ImageRef d = ImageRef.parse("busybox@" + DIGEST);
        assertNull(d.tag(), "a digest alone implies no tag");
        assertEquals(DIGEST, d.digest());
        assertEquals("localhost/busybox@" + DIGEST, d.qualified());
        ImageRef both = ImageRef.parse("quay.io/busybox:1@" + DIGEST);
        assertEquals("1", both.tag());
        assertEquals("quay.io/busybox:1@" + DIGEST, both.qualified());
    }

    static String error(String ref) {
        return assertThrows(IllegalArgumentException.class, () -> ImageRef.parse(ref)).getMessage();
    }

    @Test
    void invalidReferencesSayWhy() {
        assertEquals("invalid reference format: \"\": it is empty", error(""));
        assertEquals("invalid reference format: \"null\": it is empty", error(null));
        assertEquals("invalid reference format: \"Busybox\": repository names must be lowercase", error("Busybox"));
        assertEquals("invalid reference format: \"busybox:\": \"\" is not a valid tag", error("busybox:"));
        assertEquals("invalid reference format: \"busybox:-x\": \"-x\" is not a valid tag", error("busybox:-x"));
        assertEquals("invalid reference format: \"busybox:" + "t".repeat(129) + "\": \"" + "t".repeat(129)
                + "\" is not a valid tag", error("busybox:" + "t".repeat(129)));
        assertEquals("invalid reference format: \"busybox@sha256:abc\": the digest must be sha256: and 64 hex characters",
                error("busybox@sha256:abc"));
        assertEquals("invalid reference format: \"a//b\": \"\" is not a valid name component", error("a//b"));
        assertEquals("invalid reference format: \"a_-b\": \"a_-b\" is not a valid name component", error("a_-b"));
        assertEquals("invalid reference format: \":latest\": the repository name is empty", error(":latest"));
        assertEquals("invalid reference format: \"my_host.io:x/app\": \"my_host.io:x\" is not a valid registry host",
                error("my_host.io:x/app"));
    }

    @Test
    void separatorsInsideNameComponents() {
        assertEquals("a.b_c__d-e--f", ImageRef.parse("a.b_c__d-e--f").path());
        assertEquals("t".repeat(128), ImageRef.parse("busybox:" + "t".repeat(128)).tag());
    }

    @Test
    void localCandidatesOfAShortNameTryLocalhostThenTheUsualRegistries() {
        assertEquals(List.of("localhost/busybox:latest", "docker.io/library/busybox:latest", "docker.io/busybox:latest",
                "quay.io/busybox:latest"), ImageRef.parse("busybox").localCandidates());
        assertEquals(List.of("localhost/team/app:v1", "docker.io/team/app:v1", "quay.io/team/app:v1"),
                ImageRef.parse("team/app:v1").localCandidates(), "docker.io/library/ holds only one-component names");
    }

    @Test
    void localCandidatesOfAQualifiedNameIsItself() {
        assertEquals(List.of("quay.io/team/app:latest"), ImageRef.parse("quay.io/team/app").localCandidates());
        assertEquals(List.of("localhost/busybox@" + DIGEST), ImageRef.parse("localhost/busybox@" + DIGEST).localCandidates());
    }

    @Test
    void repositoryAndTagOfStoredNames() {
        assertEquals("localhost/busybox", ImageRef.repository("localhost/busybox:latest"));
        assertEquals("latest", ImageRef.tagOf("localhost/busybox:latest"));
        assertEquals("localhost:5000/busybox", ImageRef.repository("localhost:5000/busybox"), "a port is no tag");
        assertEquals("<none>", ImageRef.tagOf("localhost:5000/busybox"));
        assertEquals("localhost:5000/busybox", ImageRef.repository("localhost:5000/busybox:1@" + DIGEST));
        assertEquals("1", ImageRef.tagOf("localhost:5000/busybox:1@" + DIGEST));
    }
}
