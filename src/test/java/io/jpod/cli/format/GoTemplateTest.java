package io.jpod.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpod.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Go text/template semantics; expected strings and messages were checked against podman 4.3.1 (Go 1.19). */
class GoTemplateTest {
    static Map<String, Object> row() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", "3415f5470ccd");
        m.put("Names", "fmt-test-1");
        m.put("Labels", new TreeMap<>(Map.of("a", "b", "com.example", "x")));
        m.put("Mounts", List.of());
        m.put("List", List.of("a", "b", "c"));
        m.put("Size", 12L);
        m.put("Ratio", 3.5);
        m.put("Running", false);
        m.put("Nil", null);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Version", "4.3.1");
        client.put("APIVersion", "4.3.1");
        m.put("Client", client);
        return m;
    }

    static String r(String tpl, Object data) {
        return GoTemplate.parse("ps", tpl).render(data);
    }

    static String err(String tpl, Object data) {
        return assertThrows(TemplateException.class, () -> GoTemplate.parse("ps", tpl).render(data)).getMessage();
    }

    @Nested
    class Fields {
        @Test
        void dotAndChains() {
            assertEquals("3415f5470ccd fmt-test-1", r("{{.ID}} {{.Names}}", row()));
            assertEquals("4.3.1", r("{{.Client.Version}}", row()));
            assertEquals("hello", r("{{.}}", "hello"));
            assertEquals("x", r("{{ .Labels.com }}", Map.of("Labels", Map.of("com", "x"))));
        }

        @Test
        void exactKeyThenCaseInsensitive() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", "lower");
            m.put("Name", "n");
            assertEquals("lower n", r("{{.Id}} {{.name}}", m));
            m.put("Id", "exact");
            assertEquals("exact", r("{{.Id}}", m));
        }

        @Test
        void missingFieldsOfMapsPrintNoValue() {
            assertEquals("<no value>", r("{{.Nope}}", row()));
            assertEquals("<no value>", r("{{.Labels.nope}}", row()));
            assertEquals("<no value>", r("{{.Nope.Deeper}}", row()));
            assertEquals("<no value>", r("{{.Nil}}", row()));
        }

        @Test
        void fieldOfScalarIsAnError() {
            assertEquals("template: ps:1:8: executing \"ps\" at <.Names.X>: can't evaluate field X in type string",
                    err("{{.Names.X}}", row()));
            assertEquals("template: ps:1:6: executing \"ps\" at <.Nil.X>: nil pointer evaluating interface {}.X",
                    err("{{.Nil.X}}", row()));
            assertEquals("template: ps:1:2: executing \"ps\" at <.ID>: ID is not a method but has arguments",
                    err("{{.ID 1}}", row()));
        }

        @Test
        void jsonValuesAndArraysAreUnwrapped() {
            Json.JsonValue v = () -> Map.of("Name", "web");
            assertEquals("web", r("{{.Name}}", v));
            assertEquals("[x y]", r("{{.}}", new Object[] {"x", "y"}));
        }
    }

    @Nested
    class Printing {
        @Test
        void valuesPrintLikeGoFmt() {
            assertEquals("map[a:b com.example:x] [] [a b c] 12 3.5 false",
                    r("{{.Labels}} {{.Mounts}} {{.List}} {{.Size}} {{.Ratio}} {{.Running}}", row()));
            assertEquals("map[]", r("{{.}}", Map.of()));
            assertEquals("[<nil> 1 [x] map[k:v]]", r("{{.}}", Arrays.asList(null, 1, List.of("x"), Map.of("k", "v"))));
            // map keys are sorted, as fmt does
            Map<String, Object> unsorted = new LinkedHashMap<>();
            unsorted.put("z", 1);
            unsorted.put("a", 2);
            assertEquals("map[a:2 z:1]", r("{{.}}", unsorted));
        }

        @Test
        void floatsUseShortestGFormat() {
            assertEquals("1e+06 1.234567e+06 123456 0.0001 1e-05 0.1 1e+21 3 -0",
                    r("{{1e6}} {{1234567.0}} {{123456.0}} {{0.0001}} {{0.00001}} {{0.1}} {{1e21}} {{3.0}} {{-0.0}}", null));
            assertEquals("2.5 100 1e+08", r("{{.A}} {{.B}} {{.C}}", Map.of("A", 2.5, "B", 100.0, "C", 1e8)));
            assertEquals("0.1", r("{{.}}", 0.1f));
        }

        @Test
        void otherObjectsUseToString() {
            assertEquals("PT1S", r("{{.}}", java.time.Duration.ofSeconds(1)));
        }
    }

    @Nested
    class Literals {
        @Test
        void stringsAndEscapes() {
            assertEquals("\t|\n|\"|\\|é|A|\u0007", r("{{\"\\t\"}}|{{\"\\n\"}}|{{\"\\\"\"}}|{{\"\\\\\"}}|{{\"\\u00e9\"}}|{{\"\\x41\"}}|{{\"\\a\"}}", null));
            assertEquals("raw\\n", r("{{`raw\\n`}}", null));
            assertEquals("é", r("{{\"\\303\\251\"}}", null));
        }

        @Test
        void numbersAndChars() {
            assertEquals("97 31 -3 15 5 1000 true false", r("{{'a'}} {{0x1F}} {{-3}} {{017}} {{0b101}} {{1_000}} {{true}} {{false}}", null));
            assertEquals("10", r("{{'\\n'}}", null));
        }

        @Test
        void badLiterals() {
            assertEquals("template: ps:1: bad number syntax: \"3x\"", err("{{3x}}", null));
            assertEquals("template: ps:1: unterminated quoted string", err("{{\"abc}}", null));
            assertEquals("template: ps:1: unterminated raw quoted string", err("{{`abc}}", null));
            assertEquals("template: ps:1: invalid syntax", err("{{\"\\q\"}}", null));
            assertEquals("template: ps:1: malformed character constant: 'ab'", err("{{'ab'}}", null));
            assertEquals("template: ps:1: bad number syntax: \"3.X\"", err("{{3.X}}", null));
            assertEquals("template: ps:1: unexpected . after term \"\\\"s\\\"\"", err("{{\"s\".X}}", null));
        }
    }

    @Nested
    class Pipelines {
        @Test
        void pipedValueIsTheLastArgument() {
            assertEquals("FMT-TEST-1", r("{{.Names | upper}}", row()));
            assertEquals("FMT-TEST-1!", r("{{.Names | upper | printf \"%s!\"}}", row()));
            assertEquals("a-x", r("{{\"x\" | printf \"%s-%s\" \"a\"}}", null));
            assertEquals("A 3", r("{{(index .List 0) | upper}} {{len (split .Names \"-\")}}", row()));
            assertEquals("4.3.1", r("{{(.Client).Version}}", row()));
        }

        @Test
        void pipelineErrors() {
            assertEquals("template: ps:1: non executable command in pipeline stage 2", err("{{\"a\" | 1}}", null));
            assertEquals("template: ps:1:8: executing \"ps\" at <.Names>: Names is not a method but has arguments",
                    err("{{\"a\" | .Names}}", row()));
            assertEquals("template: ps:1:8: executing \"ps\" at <$>: can't give argument to non-function $",
                    err("{{\"a\" | $}}", row()));
            assertEquals("template: ps:1:2: executing \"ps\" at <nil>: nil is not a command", err("{{nil}}", null));
            assertEquals("template: ps:1: missing value for command", err("{{}}", null));
        }
    }

    @Nested
    class Control {
        @Test
        void ifElseChains() {
            String t = "{{if eq .Names \"x\"}}x{{else if .Size}}size{{else}}none{{end}}";
            assertEquals("size", r(t, row()));
            assertEquals("x", r(t, Map.of("Names", "x", "Size", 0)));
            assertEquals("none", r(t, Map.of("Names", "y", "Size", 0)));
        }

        @Test
        void truthiness() {
            String t = "{{if .}}T{{else}}F{{end}}";
            for (Object falsy : Arrays.asList(null, "", 0, 0L, 0.0, false, List.of(), Map.of())) assertEquals("F", r(t, falsy), String.valueOf(falsy));
            for (Object truthy : List.of("x", 1, -1L, 0.5, true, List.of(0), Map.of("a", 1), new Object())) assertEquals("T", r(t, truthy));
            assertEquals("F", r("{{if .Nope}}T{{else}}F{{end}}", row()));
        }

        @Test
        void withRebindsDot() {
            assertEquals("b none", r("{{with .Labels}}{{.a}}{{end}} {{with .Nope}}x{{else}}none{{end}}", row()));
            assertEquals("2", r("{{with .Nope}}1{{else with .Size}}2{{end}}", row()));
        }

        @Test
        void rangeOverListsMapsAndElse() {
            assertEquals("a,b,c,", r("{{range .List}}{{.}},{{end}}", row()));
            assertEquals("0=a;1=b;2=c;", r("{{range $i, $e := .List}}{{$i}}={{$e}};{{end}}", row()));
            assertEquals("a|b|c|", r("{{range $e := .List}}{{$e}}|{{end}}", row()));
            assertEquals("a:b com.example:x ", r("{{range $k, $v := .Labels}}{{$k}}:{{$v}} {{end}}", row()));
            assertEquals("none", r("{{range .Mounts}}x{{else}}none{{end}}", row()));
            assertEquals("none", r("{{range .Nope}}x{{else}}none{{end}}", row()));
            assertEquals("012", r("{{range 3}}{{.}}{{end}}", null));
        }

        @Test
        void rangeSeesOuterVariables() {
            assertEquals("fmt-test-1:a fmt-test-1:b fmt-test-1:c ", r("{{$n := .Names}}{{range .List}}{{$n}}:{{.}} {{end}}", row()));
            assertEquals("fmt-test-1/a fmt-test-1/b fmt-test-1/c ", r("{{range .List}}{{$.Names}}/{{.}} {{end}}", row()));
        }

        @Test
        void breakAndContinue() {
            assertEquals("a", r("{{range .List}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", row()));
            assertEquals("ac", r("{{range .List}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", row()));
            assertEquals("template: ps:1: {{break}} outside {{range}}", err("{{break}}", null));
        }

        @Test
        void rangeErrors() {
            assertEquals("template: ps:1:19: executing \"ps\" at <.Mounts>: range can't iterate over MOUNTS",
                    err("{{range .}}{{range .Mounts}}{{.}}{{end}}{{end}}", List.of(Map.of("Mounts", "MOUNTS"))));
        }

        @Test
        void structureErrors() {
            assertEquals("template: ps:1: unexpected EOF", err("{{if .ID}}x", null));
            assertEquals("template: ps:1: unexpected {{end}}", err("{{end}}", null));
            assertEquals("template: ps:1: unexpected {{else}}", err("{{else}}", null));
            assertEquals("template: ps:2: unexpected EOF", err("{{range .}}\n", null));
            assertEquals("template: ps:1: expected end; found {{else}}", err("{{if 1}}a{{else}}b{{else}}c{{end}}", null));
            assertEquals("template: ps:1: unclosed action", err("{{.ID", null));
            assertEquals("template: ps:1: bad character U+007B '{'", err("{{.ID{{end}}", null));
            assertEquals("template: ps:1: {{template}} is not supported", err("{{template \"x\"}}", null));
        }
    }

    @Nested
    class Variables {
        @Test
        void declareAssignAndRoot() {
            assertEquals("12", r("{{$x := .Size}}{{$x}}", row()));
            assertEquals("2", r("{{$x := 1}}{{$x = 2}}{{$x}}", null));
            assertEquals("4.3.1", r("{{$c := .Client}}{{$c.Version}}", row()));
            assertEquals("5", r("{{$}}", 5));
        }

        @Test
        void scopeEndsAtEnd() {
            assertEquals("template: ps:1: undefined variable \"$x\"", err("{{if true}}{{$x := 1}}{{end}}{{$x}}", null));
            assertEquals("template: ps:1: undefined variable \"$undefined\"", err("{{$undefined}}", null));
            assertEquals("template: ps:1: too many declarations in command", err("{{$a, $b := 1}}", null));
        }
    }

    @Nested
    class Whitespace {
        @Test
        void trimMarkers() {
            assertEquals("3415f5470ccdfmt-test-1", r("{{- .ID -}}  \n {{ .Names }}", row()));
            assertEquals("a b", r("a  {{- \" \" -}}  b", null));
            assertEquals("-3", r("{{-3}}", null));
            assertEquals("x\n", r("  \n{{- \"x\"}}\n", null));
        }

        @Test
        void comments() {
            assertEquals("ab", r("{{/* comment */}}a{{- /* c2 */ -}} b", null));
            assertEquals("template: ps:1: unclosed comment", err("{{/* x", null));
            assertEquals("template: ps:1: comment ends before closing delimiter", err("{{/* x */ }}", null));
        }

        @Test
        void actionsMaySpanLines() {
            assertEquals("ok", r("{{if\n.Names}}ok{{end}}", row()));
        }
    }

    @Nested
    class Functions {
        @Test
        void podmanDefaultFuncs() {
            assertEquals("a,b,c FMT-TEST-1 fmt-test-1 Fmt-Test-1 [fmt test 1] fmt  fmt-test-1  |",
                    r("{{join .List \",\"}} {{upper .Names}} {{lower \"FMT-TEST-1\"}} {{title .Names}} {{split .Names \"-\"}} {{truncate .Names 3}} {{pad .Names 1 2}}|", row()));
            assertEquals("Hello WORLD Foo_bar X.Y STRAßE [h é] fmt-test-1", r("{{title \"hello wORLD foo_bar x.y\"}} {{upper \"straße\"}} {{split \"hé\" \"\"}} {{truncate .Names 50}}", row()));
            assertEquals("|", r("{{pad \"\" 3 3}}|", null));
            assertEquals("", r("{{join .Nope \",\"}}", row()));
        }

        @Test
        void jsonKeepsHtmlCharacters() {
            // podman's json func is an encoder with SetEscapeHTML(false)
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", "<b>&\"é");
            m.put("n", 1);
            assertEquals("{\"x\":\"<b>&\\\"é\",\"n\":1}", r("{{json .}}", m));
            assertEquals("[\"a\",\"b\",\"c\"] \"fmt-test-1\" null null", r("{{json .List}} {{json .Names}} {{json .Nope}} {{json .Nil}}", row()));
            assertEquals("\"\\\\u003c\"", r("{{json .}}", "\\u003c"));
        }

        @Test
        void builtins() {
            assertEquals("3 b b |[b c] [a] el 195", r("{{len .List}} {{index .List 1}} {{index .Labels \"a\"}} {{index .Labels \"zz\"}}|{{slice .List 1}} {{slice .List 0 1}} {{slice \"hello\" 1 3}} {{index \"héllo\" 1}}", row()));
            assertEquals("6 2 0", r("{{len \"héllo\"}} {{len .Labels}} {{len .Mounts}}", row()));
            assertEquals("<no value>", r("{{index .M \"zz\"}}", Map.of("M", Map.of("k", 1))));
            assertEquals("c", r("{{index .M \"k\" 2}}", Map.of("M", Map.of("k", List.of("a", "b", "c")))));
            assertEquals("&lt;a&amp;b&gt; a+b%26c it\\'s \\u003Cx\\u003E", r("{{html \"<a&b>\"}} {{urlquery \"a b&c\"}} {{js \"it's <x>\"}}", null));
        }

        @Test
        void logic() {
            assertEquals("0 x true fmt-test-1 false", r("{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{not 0}} {{and .Size .Names}} {{not .Names}}", row()));
            // and/or stop evaluating at the deciding operand
            assertEquals("0", r("{{and 0 .Nil.X}}", row()));
            assertEquals("ok", r("{{if and .Names (eq .Size 12)}}ok{{end}}", row()));
        }

        @Test
        void comparisons() {
            assertEquals("true true true false true true false",
                    r("{{lt 1 2}} {{gt \"b\" \"a\"}} {{le 2 2}} {{ge 1 2}} {{ne 1 2}} {{eq 1 2 3 1}} {{eq .Nope \"x\"}}", row()));
            assertEquals("true true", r("{{eq .Size 12}} {{eq 1 1.0}}", row()));
            assertEquals("true", r("{{eq .Labels .Labels}}", row()));
            assertEquals("template: ps:1:2: executing \"ps\" at <lt 1 \"a\">: error calling lt: incompatible types for comparison", err("{{lt 1 \"a\"}}", null));
            assertEquals("template: ps:1:2: executing \"ps\" at <lt true false>: error calling lt: invalid type for comparison", err("{{lt true false}}", null));
            assertEquals("template: ps:1:2: executing \"ps\" at <eq 1>: error calling eq: missing argument for comparison", err("{{eq 1}}", null));
        }

        @Test
        void jpodExtensions() {
            assertEquals("true false true true fmt_test_1", r("{{contains .Names \"test\"}} {{contains .Names \"x\"}} {{hasPrefix .Names \"fmt\"}} {{hasSuffix .Names \"-1\"}} {{replace .Names \"-\" \"_\"}}", row()));
        }

        @Test
        void functionErrorsMatchPodman() {
            assertEquals("template: ps:1: function \"foo\" not defined", err("{{foo .ID}}", null));
            assertEquals("template: ps:1: function \"nope\" not defined", err("{{.ID | nope}}", null));
            List<Map<String, String>> rows = List.of(Map.of("Names", "n"));
            assertEquals("template: ps:1:18: executing \"ps\" at <.Names>: wrong type for value; expected []string; got string",
                    err("{{range .}}{{join .Names \",\"}}{{end}}", rows));
            assertEquals("template: ps:1:31: executing \"ps\" at <3>: expected string; found 3",
                    err("{{range .}}{{.Names | truncate 3}}{{end}}", rows));
            assertEquals("template: ps:1:20: executing \"ps\" at <.Labels.a>: can't evaluate field a in type string",
                    err("{{range .}}{{.Labels.a}}{{end}}", List.of(Map.of("Labels", "LABELS"))));
            assertEquals("template: ps:1:2: executing \"ps\" at <upper>: wrong number of args for upper: want 1 got 0", err("{{upper}}", null));
            assertEquals("template: ps:1:2: executing \"ps\" at <upper>: wrong number of args for upper: want 1 got 2", err("{{upper 1 2}}", null));
            assertEquals("template: ps:1:2: executing \"ps\" at <len 3>: error calling len: len of type int", err("{{len 3}}", null));
            assertEquals("template: ps:1:2: executing \"ps\" at <index .List 5>: error calling index: index out of range: 5", err("{{index .List 5}}", row()));
            assertEquals("template: ps:1:2: executing \"ps\" at <index .Labels 1>: error calling index: value has type int; should be string", err("{{index .Labels 1}}", row()));
            assertEquals("template: ps:1:8: executing \"ps\" at <.Nope>: invalid value; expected string", err("{{upper .Nope}}", row()));
            assertEquals("template: ps:1:8: executing \"ps\" at <.Size>: wrong type for value; expected string; got int", err("{{upper .Size}}", row()));
        }

        @Test
        void longContextIsTruncatedLikeGo() {
            assertEquals("template: ps:1:2: executing \"ps\" at <index .List 10000000...>: error calling index: index out of range: 10000000000",
                    err("{{index .List 10000000000}}", row()));
        }
    }

    @Test
    void parseOnceRenderMany() {
        GoTemplate t = GoTemplate.parse("{{.Names}}");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) out.add(t.render(Map.of("Names", "n" + i)));
        assertEquals(List.of("n0", "n1", "n2"), out);
        assertEquals("{{.Names}}", t.source());
        assertEquals("template: format:1: function \"x\" not defined", assertThrows(TemplateException.class, () -> GoTemplate.parse("{{x}}")).getMessage());
    }

    @Test
    void renderAppendsToBuilder() {
        StringBuilder sb = new StringBuilder("> ");
        GoTemplate.parse("{{.}}").render(1, sb);
        assertEquals("> 1", sb.toString());
    }
}
