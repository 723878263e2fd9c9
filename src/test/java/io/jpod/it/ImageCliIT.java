package io.jpod.it;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** images (filters, digests, JSON), history, tag/untag, rmi exit codes and image prune, as podman prints them. */
class ImageCliIT extends CliIT {
    @Test
    void listingFiltersAndDigests() {
        assertEquals(0, cli.importBusybox("localhost/labeled:2", "LABEL=foo=bar").exit());
        assertEquals(0, cli.importBusybox("localhost/other:1", "LABEL=foo=baz", "CMD=[\"true\"]").exit());
        try {
            List<String> labeled = cli.ok("images", "--filter", "label=foo=bar", "--format", "{{.Repository}}:{{.Tag}}").lines();
            assertEquals(List.of("localhost/labeled:2"), labeled);
            assertEquals(2, cli.ok("images", "--filter", "label=foo", "-q").lines().size());
            assertEquals(List.of("localhost/other:1"), cli.ok("images", "--filter", "reference=oth*", "--format", "{{.Repository}}:{{.Tag}}").lines());
            assertEquals(List.of("localhost/busybox:latest"), cli.ok("images", "busybox", "--format", "{{.Repository}}:{{.Tag}}").lines());
            assertEquals(List.of(), cli.ok("images", "-q", "nosuch").lines());
            JpodCli.Result bogus = cli.run("images", "--filter", "bogus=1");
            assertEquals(125, bogus.exit(), bogus::toString);
            assertEquals("Error: unsupported image filter \"bogus\"", bogus.stderr().strip());

            List<String> digests = cli.ok("images", "--digests").lines();
            assertTrue(digests.getFirst().matches("REPOSITORY\\s+TAG\\s+DIGEST\\s+IMAGE ID\\s+CREATED\\s+SIZE"), digests.getFirst());
            assertTrue(digests.get(1).matches(".*sha256:[0-9a-f]{64}.*"), digests.get(1));
            String first = cli.ok("images", "--format", "{{.Repository}}:{{.Tag}}").lines().getFirst();
            assertEquals("localhost/other:1", first, "newest first");
            String json = cli.ok("images", "--format", "json", "localhost/labeled:2").out();
            assertTrue(json.contains("\"RepoTags\": null") && json.contains("\"Names\": [") && json.contains("\"foo\": \"bar\""), json);
            assertTrue(cli.ok("images", "--format", "{{.CreatedAt}}").lines().getFirst().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 UTC"));
        } finally {
            cli.ok("rmi", "localhost/labeled:2", "localhost/other:1");
        }
    }

    @Test
    void historyShowsTheImportStep() {
        List<String> h = cli.ok("history", JpodCli.IMAGE).lines();
        assertTrue(h.getFirst().matches("ID\\s+CREATED\\s+CREATED BY\\s+SIZE\\s+COMMENT"), h.getFirst());
        assertEquals(2, h.size());
        assertTrue(h.get(1).contains("/bin/sh -c #(nop) ADD file:") && h.get(1).contains("...") && h.get(1).contains("imported from tarball"), h.get(1));
        String id = cli.ok("image", "inspect", "--format", "{{.Id}}", JpodCli.IMAGE).out();
        assertEquals(List.of(id), cli.ok("history", "-q", "--no-trunc", JpodCli.IMAGE).lines());
        String json = cli.ok("history", "--format", "json", JpodCli.IMAGE).out();
        assertTrue(json.startsWith("[{\"id\":\"" + id + "\"") && !json.contains("\n"), json);
        JpodCli.Result none = cli.run("history", "nosuch");
        assertEquals(125, none.exit());
        assertTrue(none.stderr().contains("nosuch: image not known"), none::toString);
    }

    @Test
    void untagRmiAndPrune() {
        cli.ok("tag", JpodCli.IMAGE, "localhost/bb:a", "bb:b", "localhost/bb:c");
        cli.ok("untag", JpodCli.IMAGE, "localhost/bb:a", "bb:b");
        JpodCli.Result again = cli.run("untag", JpodCli.IMAGE, "localhost/bb:a");
        assertEquals(125, again.exit());
        assertEquals("Error: localhost/bb:a: tag not known", again.stderr().strip());
        assertEquals(List.of("Untagged: localhost/bb:c"), cli.ok("rmi", "localhost/bb:c").lines(), "one of several names: untag only");

        // a dangling image: imported without a name; prune removes it, -a also removes unused named ones
        JpodCli.Result dangling = cli.importBusybox(null);
        String did = dangling.out().substring(7);
        assertTrue(cli.ok("images", "--filter", "dangling=true", "-q", "--no-trunc").out().contains(did));
        JpodCli.Result no = cli.runWithInput("n\n", "image", "prune");
        assertEquals("WARNING! This command removes all dangling images.\nAre you sure you want to continue? [y/N] ", no.stdout());
        JpodCli.Result eof = cli.run("image", "prune");
        assertEquals(125, eof.exit());
        assertEquals("Error: EOF", eof.stderr().strip());
        assertEquals(List.of(did), cli.ok("image", "prune", "-f").lines());
        assertEquals(List.of(), cli.ok("image", "prune", "-f").lines(), "nothing left to prune");

        String ctr = cli.name("user");
        cli.ok("create", "--name", ctr, JpodCli.IMAGE, "true");
        assertEquals(0, cli.importBusybox("localhost/unused:1").exit());
        String unused = cli.ok("image", "inspect", "--format", "{{.Id}}", "localhost/unused:1").out();
        List<String> pruned = cli.ok("image", "prune", "-a", "-f").lines();
        assertTrue(pruned.contains(unused), pruned.toString());
        assertTrue(cli.run("image", "exists", JpodCli.IMAGE).exit() == 0, "the image a container uses stays");

        JpodCli.Result inUse = cli.run("rmi", JpodCli.IMAGE);
        assertEquals(2, inUse.exit(), "podman's exit code for an image in use: " + inUse);
        JpodCli.Result unknown = cli.run("rmi", "localhost/nosuch:1");
        assertEquals(1, unknown.exit(), "podman's exit code for an unknown image: " + unknown);
        assertEquals(0, cli.run("rmi", "-f", "localhost/nosuch:1").exit(), "rmi -f of nothing is fine");
        cli.ok("rm", ctr);
        assertFalse(cli.ok("images", "-q").out().isEmpty());
    }
}
