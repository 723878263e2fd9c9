package io.jpod.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void roundTripKeepsValuesAndKeyOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", List.of("x", true, false, 2.5));
        m.put("nested", Map.of("k", List.of()));
        m.put("empty", Map.of());
        m.put("nothing", null);
        String text = Json.write(m);
        assertEquals("{\"z\":1,\"a\":[\"x\",true,false,2.5],\"nested\":{\"k\":[]},\"empty\":{},\"nothing\":null}", text);
        Map<String, Object> back = Json.parseObject(text);
        assertEquals(m, back);
        assertEquals(List.of("z", "a", "nested", "empty", "nothing"), List.copyOf(back.keySet()), "insertion order");
        assertEquals(text, Json.write(back));
    }

    @Test
    void prettyOutputIndentsByTheUnitGiven() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1, 2));
        m.put("b", Map.of());
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", Json.writePretty(m));
        assertEquals("[\n    \"x\"\n]", Json.writePretty(List.of("x"), "    "));
    }

    @Test
    void writerEscapesLikeGoEncodingJson() {
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0001 \\u001f\"", Json.write("q\" b\\ n\n r\r t\t \u0001 \u001f"));
        assertEquals("\"\\u003cb\\u003e\\u0026\"", Json.write("<b>&"), "HTML-safe, as podman prints");
        assertEquals("\"é😀/\"", Json.write("é😀/"), "non-ASCII is written as is");
    }

    @Test
    void readerDecodesEveryEscape() {
        assertEquals("\" \\ / \b \f \n \r \t é", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9\""));
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\""), "a surrogate pair becomes one code point");
        assertEquals("日本", Json.parse("\"日本\""));
        assertEquals("<>&", Json.parse(Json.write("<>&")));
    }

    @Test
    void numbersKeepTheirKind() {
        assertEquals(42L, Json.parse("42"));
        assertEquals(-7L, Json.parse("-7"));
        assertEquals(0L, Json.parse("0"));
        assertEquals(123456789012345678L, Json.parse("123456789012345678"));
        assertEquals(new BigDecimal("12345678901234567890"), Json.parse("12345678901234567890"));
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(1000.0, Json.parse("1e3"));
        assertEquals(-2.5e-3, Json.parse("-2.5E-3"));
        assertInstanceOf(Long.class, Json.parseObject("{\"pid\": 4321}").get("pid"));
    }

    @Test
    void writerPrintsWholeDoublesWithoutAFraction() {
        assertEquals("3", Json.write(3.0));
        assertEquals("0.5", Json.write(0.5));
        assertEquals("1.0E20", Json.write(1e20));
        assertEquals("7", Json.write(7));
        assertEquals("[1,\"a\"]", Json.write(new Object[] {1, "a"}));
    }

    @Test
    void domainValuesAndEnumsWriteThemselves() {
        Json.JsonValue v = () -> Map.of("k", "v");
        assertEquals("{\"k\":\"v\"}", Json.write(v));
        assertEquals("\"SECONDS\"", Json.write(java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void whitespaceAroundTokensIsAllowed() {
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n"));
        assertNull(Json.parse("null"));
        assertEquals(new ArrayList<>(), Json.parse("[]"));
    }

    static String error(String text) {
        return assertThrows(Json.JsonException.class, () -> Json.parse(text)).getMessage();
    }

    @Test
    void errorsNameTheOffset() {
        assertEquals("invalid JSON at offset 5: unexpected character '}'", error("{\"a\":}"));
        assertEquals("invalid JSON at offset 4: unexpected end of input", error("[1,2"));
        assertEquals("invalid JSON at offset 8: unexpected trailing content", error("{\"a\":1} x"));
        assertEquals("invalid JSON at offset 4: unterminated string", error("\"abc"));
        assertEquals("invalid JSON at offset 0: expected true", error("tru"));
        assertEquals("invalid JSON at offset 2: bad escape \\x", error("\"\\x\""));
        assertEquals("invalid JSON at offset 1: expected a string key", error("{a:1}"));
        assertEquals("invalid JSON at offset 5: expected ':'", error("{\"a\" 1}"));
        assertEquals("invalid JSON at offset 7: expected ',' or '}'", error("{\"a\":1 \"b\":2}"));
        assertEquals("invalid JSON at offset 3: expected ',' or ']'", error("[1 2]"));
        assertEquals("invalid JSON at offset 5: bad number 1.2.3", error("1.2.3"));
        assertEquals("invalid JSON at offset 0: unexpected end of input", error(""));
    }

    @Test
    void badUnicodeEscapesAreJsonErrors() {
        assertEquals("invalid JSON at offset 2: bad \\u escape", error("\"\\uZZZZ\""));
        assertEquals("invalid JSON at offset 2: bad \\u escape", error("\"\\u12\""));
    }

    @Test
    void parseObjectRejectsOtherValues() {
        assertEquals("expected a JSON object but found an array",
                assertThrows(Json.JsonException.class, () -> Json.parseObject("[1]")).getMessage());
        assertEquals("expected a JSON object but found a string",
                assertThrows(Json.JsonException.class, () -> Json.parseObject("\"x\"")).getMessage());
        assertEquals("expected a JSON object but found null",
                assertThrows(Json.JsonException.class, () -> Json.parseObject("null")).getMessage());
    }

    @Test
    void listsOfAnyCollectionAndArraysAsListsWrite() {
        assertEquals("[\"a\",\"b\"]", Json.write(Arrays.asList("a", "b")));
        assertEquals("[\"s\"]", Json.write(java.util.Set.of("s")));
    }

    @org.junit.jupiter.api.Test
    void unorderedMapsAreWrittenInKeyOrderSoOutputIsStable() {
        // Map.of's iteration order is randomised per JVM: without sorting, inspect output would change run to run
        java.util.Map<String, Object> m = java.util.Map.of("b", 1, "a", 2, "c", 3);
        org.junit.jupiter.api.Assertions.assertEquals("{\"a\":2,\"b\":1,\"c\":3}", Json.write(m));
        java.util.Map<String, Object> ordered = new java.util.LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        org.junit.jupiter.api.Assertions.assertEquals("{\"z\":1,\"a\":2}", Json.write(ordered), "insertion order kept");
    }
}
