package io.jpod.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * --format rendering compared with podman 4.3.1: the expected strings below are verbatim output of
 * {@code podman ps -a --filter name=fmt-test --format FORMAT} for three containers created with
 * {@code podman create --name fmt-test-1 localhost/busybox true} (and -long-name-2 "sleep 1", -3 "echo <hi>").
 */
class FormatPrinterTest {
    private static final Map<String, String> PS_OVERRIDES = Map.of("ID", "container id");

    private static Map<String, Object> ps(String id, String name, String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id);
        m.put("Names", name);
        m.put("Image", "localhost/busybox:latest");
        m.put("State", "Created");
        m.put("Status", "Created");
        m.put("Command", command);
        return m;
    }

    private static final List<Map<String, Object>> ROWS = List.of(
            ps("3415f5470ccd", "fmt-test-1", "true"),
            ps("ad57d78aa26c", "fmt-test-long-name-2", "sleep 1"),
            ps("56713f62dc21", "fmt-test-3", "echo <hi>"));

    static List<String[]> podmanPs() {
        return List.of(new String[][] {
            {"table {{.ID}}\\t{{.Names}}", "CONTAINER ID  NAMES\n3415f5470ccd  fmt-test-1\nad57d78aa26c  fmt-test-long-name-2\n56713f62dc21  fmt-test-3\n"},
            {"table {{.ID}} {{.Names}} {{.State}}", "CONTAINER ID  NAMES                 STATE\n3415f5470ccd  fmt-test-1            Created\nad57d78aa26c  fmt-test-long-name-2  Created\n56713f62dc21  fmt-test-3            Created\n"},
            {"table {{.ID}}\t{{.Names}}\t{{.Image}}", "CONTAINER ID  NAMES                 IMAGE\n3415f5470ccd  fmt-test-1            localhost/busybox:latest\nad57d78aa26c  fmt-test-long-name-2  localhost/busybox:latest\n56713f62dc21  fmt-test-3            localhost/busybox:latest\n"},
            {"table {{.Names}}\\t{{.ID}}\\t", "NAMES                 CONTAINER ID  \nfmt-test-1            3415f5470ccd  \nfmt-test-long-name-2  ad57d78aa26c  \nfmt-test-3            56713f62dc21  \n"},
            {"table {{.Names}}:{{.ID}}", "NAMES:CONTAINER ID\nfmt-test-1:3415f5470ccd\nfmt-test-long-name-2:ad57d78aa26c\nfmt-test-3:56713f62dc21\n"},
            {"table ID {{.ID}}", "ID          CONTAINER ID\nID          3415f5470ccd\nID          ad57d78aa26c\nID          56713f62dc21\n"},
            {"table {{.Command}}\\t{{.Status}}\\t{{.Names}}", "COMMAND     STATUS      NAMES\ntrue        Created     fmt-test-1\nsleep 1     Created     fmt-test-long-name-2\necho <hi>   Created     fmt-test-3\n"},
            {"table {{.Names | upper}}\\t{{.State | printf \"%-3s\"}}", "NAMES                 STATE\nFMT-TEST-1            Created\nFMT-TEST-LONG-NAME-2  Created\nFMT-TEST-3            Created\n"},
            {"table {{.ID}}\\n{{.Names}}", "CONTAINER ID\nNAMES\n3415f5470ccd\nfmt-test-1\nad57d78aa26c\nfmt-test-long-name-2\n56713f62dc21\nfmt-test-3\n"},
            {"table {{if eq .State \"created\"}}{{.Names}}{{end}}\\t{{.ID}}", "            CONTAINER ID\n            3415f5470ccd\n            ad57d78aa26c\n            56713f62dc21\n"},
            {"{{.ID}}\\t{{.Names}}", "3415f5470ccd\tfmt-test-1\nad57d78aa26c\tfmt-test-long-name-2\n56713f62dc21\tfmt-test-3\n"},
            {"{{.ID}}\\n{{.Names}}", "3415f5470ccd\nfmt-test-1\nad57d78aa26c\nfmt-test-long-name-2\n56713f62dc21\nfmt-test-3\n"},
            {"{{.Names}} {{.Status}}", "fmt-test-1 Created\nfmt-test-long-name-2 Created\nfmt-test-3 Created\n"},
            {"{{printf \"%s\\n\" .Names}}", "fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n"},
            {"{{range .}}{{.Names}} {{end}}", "fmt-test-1 fmt-test-long-name-2 fmt-test-3 \n"},
            {"{{.Names}}\\n", "fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n"},
            {"{{.Names}}\n", "fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n"},
            {"table", "table\ntable\ntable\n"},
            {"{{range .}}{{.Names}}\n{{end}}", "fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n\n"},
            {"{{range .}}{{.Names}}\\n{{end}}", "fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n\n"},
            {"table {{.ID}}\\t{{json .Names}}", "CONTAINER ID  \"NAMES\"\n3415f5470ccd  \"fmt-test-1\"\nad57d78aa26c  \"fmt-test-long-name-2\"\n56713f62dc21  \"fmt-test-3\"\n"},
            {"{{.ID}}", "3415f5470ccd\nad57d78aa26c\n56713f62dc21\n"},
            {"table {{.State}}\\t{{.Names}}\\t{{.Names}}\\t{{.Names}}", "STATE       NAMES                 NAMES                 NAMES\nCreated     fmt-test-1            fmt-test-1            fmt-test-1\nCreated     fmt-test-long-name-2  fmt-test-long-name-2  fmt-test-long-name-2\nCreated     fmt-test-3            fmt-test-3            fmt-test-3\n"},
        });
    }

    @ParameterizedTest
    @MethodSource("podmanPs")
    void matchesPodmanPs(String format, String expected) {
        assertEquals(expected, FormatPrinter.render("ps", format, ROWS, PS_OVERRIDES, false));
    }

    @Test
    void imagesAndVersion() {
        List<Map<String, Object>> images = List.of(Map.of("Repository", "localhost/busybox", "Tag", "latest", "ID", "76d687514184"));
        assertEquals("REPOSITORY         TAG\nlocalhost/busybox  latest\n",
                FormatPrinter.render("table {{.Repository}} {{.Tag}}", images, Map.of("ID", "IMAGE ID")));
        assertEquals("REPOSITORY         TAG         IMAGE ID\nlocalhost/busybox  latest      76d687514184\n",
                FormatPrinter.render("table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}", images, Map.of("ID", "IMAGE ID")));
        Map<String, Object> version = Map.of("Client", Map.of("Version", "4.3.1"));
        assertEquals("4.3.1\n", FormatPrinter.render("{{.Client.Version}}", List.of(version), Map.of()));
    }

    @Test
    void tableHeaderWithNoRows() {
        // podman ps -a --filter name=nonexist --format 'table {{.ID}} {{.Names}}'
        assertEquals("CONTAINER ID  NAMES\n", FormatPrinter.render("table {{.ID}} {{.Names}}", List.of(), PS_OVERRIDES));
        assertEquals("", FormatPrinter.render("{{.ID}}", List.of(), PS_OVERRIDES));
    }

    @Test
    void noHeading() {
        assertEquals("fmt-test-1\nfmt-test-long-name-2\nfmt-test-3\n", FormatPrinter.render("ps", "table {{.Names}}", ROWS, Map.of(), true));
    }

    @Test
    void headersComeFromFieldNamesAndOverrides() {
        List<Map<String, Object>> rows = List.of(Map.of("RunningFor", "2 minutes ago", "CreatedAt", "x", "PodName", "p"));
        assertEquals("RUNNING FOR    CREATED AT  POD NAME    POD\n2 minutes ago  x           p           <no value>\n",
                FormatPrinter.render("table {{.RunningFor}}\\t{{.CreatedAt}}\\t{{.PodName}}\\t{{.Pod}}", rows, Map.of("PodName", "pod name")));
        assertEquals("COMMAND\ntrue\n", FormatPrinter.render("table {{.Cmd}}", List.of(Map.of("Cmd", "true")), Map.of("Cmd", "command")));
    }

    @Test
    void jsonOfRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Names", List.of("fmt-test-3"));
        row.put("Labels", Map.of("x", "<b>&"));
        row.put("Pid", 0);
        assertEquals("{\"Names\":[\"fmt-test-3\"],\"Labels\":{\"x\":\"<b>&\"},\"Pid\":0}\n", FormatPrinter.render("{{json .}}", List.of(row), Map.of()));
        assertTrue(FormatPrinter.isJson("{{json .}}"));
        assertTrue(FormatPrinter.isJson(" json "));
        assertTrue(FormatPrinter.isJson("{{ json }}"));
        assertFalse(FormatPrinter.isJson("{{json .Names}}"));
        assertFalse(FormatPrinter.isJson("table {{json .}}"));
    }

    /** Cases from containers/common pkg/report formatter_test.go, run with OriginUser. */
    @Test
    void containersCommonFormatterCases() {
        List<Map<String, String>> rows = List.of(
                Map.of("ID", "c061a0839e", "Value", "one"),
                Map.of("ID", "f10fc2e11057", "Value", "two"),
                Map.of("ID", "1eb6fab5aa8f4b5cbfd3e66aa35e9b2a", "Value", "three"));
        Map<String, String> ov = Map.of("ID", "Identity");
        String ids = "IDENTITY\nc061a0839e\nf10fc2e11057\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\n";
        assertEquals(ids, FormatPrinter.render("table {{ .ID}}", rows, ov));
        assertEquals(ids, FormatPrinter.render("table {{ .ID}}\n", rows, ov));
        assertEquals(ids, FormatPrinter.render("table {{ .ID}}\\n", rows, ov));
        assertEquals("IDENTITY                          VALUE\nc061a0839e                        one\nf10fc2e11057                      two\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a  three\n",
                FormatPrinter.render("table {{.ID}}\t{{.Value}}", rows, ov));
        assertEquals("c061a0839e\tIDf10fc2e11057\tID1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n", FormatPrinter.render("{{range .}}{{.ID}}\tID{{end}}", rows, ov));
        assertEquals("c061a0839e\tID\nf10fc2e11057\tID\n1eb6fab5aa8f4b5cbfd3e66aa35e9b2a\tID\n\n", FormatPrinter.render("{{range .}}{{.ID}}\tID\n{{end}}", rows, ov));
        assertEquals("c061a0839ef10fc2e110571eb6fab5aa8f4b5cbfd3e66aa35e9b2a", FormatPrinter.render("{{range .}}{{.ID}}{{end -}}", rows, ov));
        assertEquals("\n\n\n", FormatPrinter.render("{{range .}}{{printf \"\\n\"}}{{end -}}", rows, ov));
        assertEquals("ID\tc061a0839e\n", FormatPrinter.render("ID\t{{.ID}}", rows.subList(0, 1), ov));
        assertEquals("[\"ident1\",\"ident2\",\"ident3\"]\n",
                FormatPrinter.render("{{json .ID}}", List.of(Map.of("ID", List.of("ident1", "ident2", "ident3"))), Map.of()));
        assertEquals("ident1-ident2-ident3\n", FormatPrinter.render("{{join .ID \"-\"}}", List.of(Map.of("ID", List.of("ident1", "ident2", "ident3"))), Map.of()));
    }

    @Test
    void normalizeFormat() {
        // containers/common TestNormalizeFormat
        assertEquals("{{.ID}}\t{{.ID}}\n", FormatPrinter.normalize("{{.ID}}\t{{.ID}}"));
        assertEquals("{{.ID}}\t{{.ID}}\n", FormatPrinter.normalize("{{.ID}}\\t{{.ID}}"));
        assertEquals("{{.ID}} {{.ID}}\n", FormatPrinter.normalize("{{.ID}} {{.ID}}"));
        assertEquals("{{.ID}}\t{{.ID}}\n", FormatPrinter.normalize("table {{.ID}}\\t{{.ID}}"));
        assertEquals("{{.ID}}\t{{.ID}}\n", FormatPrinter.normalize("table {{.ID}} {{.ID}}"));
        assertEquals("{{.ID}}\n{{.ID}}\n", FormatPrinter.normalize("{{.ID}}\\n{{.ID}}"));
        assertEquals("\n", FormatPrinter.normalize(""));
        assertTrue(FormatPrinter.isTable("table {{.ID}}"));
        assertFalse(FormatPrinter.isTable("table"));
        assertFalse(FormatPrinter.isTable("{{.ID}} table "));
    }

    @Test
    void enforceRange() {
        // containers/common TestTemplate_EnforceRange
        String r = "{{range .}}foobar was here{{end -}}";
        assertEquals(r, FormatPrinter.enforceRange(r));
        assertEquals(r, FormatPrinter.enforceRange("foobar was here"));
        assertEquals("{{range .}}{{.}}{{end}}", FormatPrinter.enforceRange("{{range .}}{{.}}{{end}}"));
        assertEquals("{{ range . }}x{{ end }}", FormatPrinter.enforceRange("{{ range . }}x{{ end }}"));
        assertEquals("{{range .}}{{range .List}}{{end}}{{end -}}", FormatPrinter.enforceRange("{{range .List}}{{end}}"));
    }

    @Test
    void errorsAreTemplateExceptions() {
        assertEquals("template: ps:1: function \"foo\" not defined",
                assertThrows(TemplateException.class, () -> FormatPrinter.render("ps", "{{foo .ID}}", ROWS, Map.of(), false)).getMessage());
        // the raw text is parsed after the normalised one fails, so its error is the one reported (as podman)
        assertEquals("template: ps:1: bad character U+007B '{'",
                assertThrows(TemplateException.class, () -> FormatPrinter.render("ps", "{{.ID", ROWS, Map.of(), false)).getMessage());
        assertEquals("template: ps:1: unexpected EOF",
                assertThrows(TemplateException.class, () -> FormatPrinter.render("ps", "{{if .ID}}x", ROWS, Map.of(), false)).getMessage());
        assertEquals("template: ps:1: unexpected {{end}}",
                assertThrows(TemplateException.class, () -> FormatPrinter.render("ps", "{{end}}", ROWS, Map.of(), false)).getMessage());
        assertEquals("template: format:1:20: executing \"format\" at <.Labels.a>: can't evaluate field a in type string",
                assertThrows(TemplateException.class, () -> FormatPrinter.render("table {{.Labels.a}}", ROWS, Map.of())).getMessage());
    }
}
