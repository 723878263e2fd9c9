package io.jpod.image;

import io.jpod.image.registry.RegistriesConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifests and indexes, platform choice, digests, the blob store's verification, and short-name resolution. */
class ManifestTest {
    @TempDir
    Path tmp;

    static final String D1 = "sha256:" + "a".repeat(64), D2 = "sha256:" + "b".repeat(64), D3 = "sha256:" + "c".repeat(64);

    @Test
    void dockerManifestParses() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + Descriptor.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + Descriptor.DOCKER_CONFIG + "\",\"size\":7,\"digest\":\"" + D1 + "\"},\"layers\":[{\"mediaType\":\""
                + Descriptor.DOCKER_LAYER_GZIP + "\",\"size\":100,\"digest\":\"" + D2 + "\"}]}";
        Manifest m = Manifest.parse(json.getBytes(StandardCharsets.UTF_8), null);
        assertFalse(m.isIndex());
        assertEquals(Descriptor.DOCKER_MANIFEST, m.mediaType());
        assertEquals(Digest.parse(D1), m.config().digest());
        assertEquals(100, m.layers().getFirst().size());
    }

    @Test
    void indexSelectsByPlatformAndExplainsAMiss() {
        String json = "{\"schemaVersion\":2,\"manifests\":["
                + "{\"mediaType\":\"" + Descriptor.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"" + D1 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + Descriptor.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"" + D2 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
                + "{\"mediaType\":\"" + Descriptor.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"" + D3 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";
        Manifest m = Manifest.parse(json.getBytes(StandardCharsets.UTF_8), Descriptor.DOCKER_LIST + "; charset=utf-8");
        assertTrue(m.isIndex(), "the Content-Type names the type when the JSON does not");
        assertEquals(Digest.parse(D1), m.select(Platform.host()).digest());
        assertEquals(Digest.parse(D3), m.select(Platform.parse("linux/aarch64")).digest(), "aarch64 is arm64");
        assertEquals(Digest.parse(D2), m.select(Platform.parse("linux/arm/v7")).digest());
        var e = assertThrows(IllegalArgumentException.class, () -> m.select(Platform.parse("linux/s390x")));
        assertTrue(e.getMessage().contains("linux/amd64, linux/arm/v7, linux/arm64/v8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux"));
    }

    @Test
    void schema1AndGarbageAreRefusedClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> Manifest.parse("{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(), null));
        assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse("not json".getBytes(), null));
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse("{\"schemaVersion\":2}".getBytes(), null));
    }

    @Test
    void digestsValidate() {
        assertEquals("a".repeat(64), Digest.parse(D1).hex());
        assertEquals(D1, Digest.parse("a".repeat(64)).toString());
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:ABC"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "a".repeat(128)));
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.of(new byte[0]).toString());
    }

    @Test
    void blobStoreVerifiesBeforeAnythingIsVisible() throws Exception {
        BlobStore s = new BlobStore(tmp.resolve("blobs"));
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = s.put(data, Digest.of(data));
        assertArrayEquals(data, s.read(d));
        var wrong = Digest.of("other".getBytes());
        assertThrows(BlobStore.ContentMismatchException.class, () -> s.put(data, wrong));
        assertFalse(s.has(wrong));
        try (BlobStore.Ingest in = s.begin()) {
            in.write(data);
            assertThrows(BlobStore.ContentMismatchException.class, () -> in.commit(null, 4), "size is checked too");
        }
        try (BlobStore.Ingest in = s.begin()) {
            in.write(new byte[] {1, 2, 3}); // closed without commit: discarded
        }
        try (var files = Files.list(tmp.resolve("blobs/ingest"))) {
            assertEquals(List.of(), files.toList(), "no ingest file is left");
        }
        Files.writeString(tmp.resolve("blobs/ingest/999999999-1-1"), "a dead writer's leftover");
        s.sweep();
        assertFalse(Files.exists(tmp.resolve("blobs/ingest/999999999-1-1")));
    }

    @Test
    void shortNamesResolveThroughAliasesThenSearchRegistries() {
        var conf = new RegistriesConf(List.of("docker.io", "quay.io"), "permissive", List.of(),
                Map.of("fedora", "registry.fedoraproject.org/fedora"), "/etc/containers/registries.conf");
        Resolver r = new Resolver(conf, false);
        assertEquals(List.of(new ImageRef("docker.io", "library/busybox", "1", null), new ImageRef("quay.io", "busybox", "1", null)),
                r.candidates("busybox:1"));
        assertEquals(List.of(new ImageRef("registry.fedoraproject.org", "fedora", "39", null)), r.candidates("fedora:39"));
        assertEquals(List.of(new ImageRef("docker.io", "library/alpine", "latest", null)), r.candidates("docker.io/alpine"));
        var enforcing = new Resolver(new RegistriesConf(conf.searchRegistries(), "enforcing", List.of(), Map.of(), "f"), false);
        var e = assertThrows(IllegalArgumentException.class, () -> enforcing.candidates("busybox"));
        assertTrue(e.getMessage().contains("cannot prompt without a TTY"), e.getMessage());
        var none = new Resolver(RegistriesConf.empty(), false);
        var e2 = assertThrows(IllegalArgumentException.class, () -> none.candidates("busybox"));
        assertTrue(e2.getMessage().contains("no unqualified-search registries are defined"), e2.getMessage());
    }
}
