package io.jpod.image.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** registries.conf parsing (TOML subset, v1 and v2, drop-ins), WWW-Authenticate parsing, auth.json handling. */
class RegistryConfigTest {
    @TempDir
    Path tmp;

    @Test
    void challengesParseQuotedAndBareParameters() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/busybox:pull\"");
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.docker.io/token", c.params().get("realm"));
        assertEquals("registry.docker.io", c.params().get("service"));
        assertEquals("repository:library/busybox:pull", c.params().get("scope"));
        Challenge b = Challenge.parse("Basic realm=basic-realm");
        assertEquals("basic", b.scheme());
        assertEquals("basic-realm", b.params().get("realm"));
        assertEquals("a\"b", Challenge.parse("Bearer realm=\"a\\\"b\"").params().get("realm"), "escaped quote");
        assertNull(Challenge.parse(""));
    }

    @Test
    void registriesConfVersion2WithDropInsAndAliases() throws Exception {
        Path main = tmp.resolve("registries.conf");
        Files.writeString(main, """
                # comment
                unqualified-search-registries = [
                  "docker.io",  # trailing comment
                  'quay.io',
                ]
                short-name-mode = "enforcing"

                [[registry]]
                prefix = "example.com/foo"
                location = "mirror.example.com/foo"
                insecure = true

                [[registry]]
                location = "blocked.example.com"
                blocked = true
                """);
        Path d = Files.createDirectories(tmp.resolve("registries.conf.d"));
        Files.writeString(d.resolve("10-aliases.conf"), """
                [aliases]
                  "busybox" = "docker.io/library/busybox"
                """);
        Files.writeString(d.resolve("20-local.conf"), """
                unqualified-search-registries = ["127.0.0.1:5000"]
                [[registry]]
                location = "127.0.0.1:5000"
                insecure = true
                """);
        Files.writeString(d.resolve("ignored.txt"), "not = [toml");
        RegistriesConf c = RegistriesConf.load(main, d);
        assertEquals(List.of("127.0.0.1:5000"), c.searchRegistries(), "a later file replaces the search list");
        assertEquals("enforcing", c.shortNameMode());
        assertEquals("docker.io/library/busybox", c.aliases().get("busybox"));
        assertTrue(c.isInsecure("127.0.0.1:5000"));
        assertFalse(c.isInsecure("docker.io"));
        assertEquals("mirror.example.com/foo", c.find("example.com/foo/bar:1").location());
        assertNull(c.find("example.com/foobar"), "prefixes match on path boundaries");
        assertTrue(c.find("blocked.example.com/x").blocked());
    }

    @Test
    void registriesConfVersion1() throws Exception {
        Path main = tmp.resolve("v1.conf");
        Files.writeString(main, """
                [registries.search]
                registries = ["registry.example.com"]
                [registries.insecure]
                registries = ["10.0.0.1:5000"]
                [registries.block]
                registries = ["evil.example.com"]
                """);
        RegistriesConf c = RegistriesConf.load(main, null);
        assertEquals(List.of("registry.example.com"), c.searchRegistries());
        assertTrue(c.isInsecure("10.0.0.1:5000"));
        assertTrue(c.find("evil.example.com/x").blocked());
    }

    @Test
    void aBrokenConfNamesTheFileAndLine() throws Exception {
        Path main = tmp.resolve("bad.conf");
        Files.writeString(main, "unqualified-search-registries = [\"a\"]\n\nshort-name-mode = enforcing\n");
        var e = assertThrows(IllegalArgumentException.class, () -> RegistriesConf.load(main, null));
        assertTrue(e.getMessage().startsWith(main + ": line 3:"), e.getMessage());
        assertEquals(RegistriesConf.empty().searchRegistries(), RegistriesConf.load(tmp.resolve("missing"), null).searchRegistries());
    }

    @Test
    void authFileStoresLooksUpAndRemoves() throws Exception {
        Path f = tmp.resolve("containers/auth.json");
        AuthFile a = new AuthFile(f, null);
        a.store("127.0.0.1:5000", new Credentials("u", "p:w"));
        a.store("quay.io/team", new Credentials("team", "t"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(new Credentials("u", "p:w"), a.lookup("127.0.0.1:5000", "x/y").orElseThrow(), "a colon in the password survives");
        assertEquals("team", a.lookup("quay.io", "team/app").orElseThrow().username(), "namespace keys match by prefix");
        assertTrue(a.lookup("quay.io", "other/app").isEmpty());
        assertTrue(a.remove("127.0.0.1:5000"));
        assertFalse(a.remove("127.0.0.1:5000"));
        assertTrue(a.lookup("127.0.0.1:5000", null).isEmpty());
        assertTrue(Files.readString(f).contains("quay.io/team"), "other entries are kept");
    }

    @Test
    void dockerConfigIsReadAndKeysAreNormalised() throws Exception {
        Path docker = tmp.resolve("config.json");
        Files.writeString(docker, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + new Credentials("hub", "pw").encoded() + "\"}}}");
        AuthFile a = new AuthFile(tmp.resolve("none.json"), docker);
        assertEquals("hub", a.lookup("docker.io", "library/busybox").orElseThrow().username());
        assertEquals(Path.of("/run/containers/0/auth.json"), AuthFile.resolve(null, Map.of()).path());
        assertEquals(Path.of("/x/containers/auth.json"), AuthFile.resolve(null, Map.of("XDG_RUNTIME_DIR", "/x")).path());
        assertEquals(Path.of("/e.json"), AuthFile.resolve(null, Map.of("REGISTRY_AUTH_FILE", "/e.json")).path());
        assertEquals(Path.of("/f.json"), AuthFile.resolve("/f.json", Map.of("REGISTRY_AUTH_FILE", "/e.json")).path());
    }

    @Test
    void credentialsNeverPrintThePassword() {
        assertFalse(new Credentials("u", "secret").toString().contains("secret"));
        assertEquals(new Credentials("u", ""), Credentials.parse("u"));
        assertThrows(IllegalArgumentException.class, () -> Credentials.parse(":p"));
    }
}
