package io.jpod.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** printf/print/println through templates; every expected line was produced by podman 4.3.1 (Go 1.19 fmt). */
class GoFmtTest {
    private static String r(String tpl) {
        return GoTemplate.parse("ps", tpl).render(Map.of("Names", "fmt-test-1", "Labels", Map.of()));
    }

    @Test
    void verbsWidthsAndPrecision() {
        assertEquals("  3.1|\"ab\"    |-003.142|+5|6869|FF|10|101|A|U+0041|1.234568e+03|1.2345e-05|1E+21|      abcd|",
                r("{{printf \"%5.1f|%-8q|%08.3f|%+d|%x|%X|%o|%b|%c|%U|%e|%g|%G|%10.4s|\" 3.14159 \"ab\" -3.14159 5 \"hi\" 255 8 5 65 65 1234.5678 0.000012345 1e21 \"abcdefg\"}}"));
        assertEquals("1.23e+03|2|%!e(int=00)|1e+100|1e-07|   3.1|0xff|010|-0042|7    | 7|-ff",
                r("{{printf \"%.3g|%.0f|%.2e|%g|%v|%6.2v|%#x|%#o|%05d|%-5d|% d|%x\" 1234.5678 2.5 0 1e100 1e-7 3.14159 255 8 -42 7 7 -255}}"));
    }

    @Test
    void quotingTypesAndBadVerbs() {
        assertEquals("\"é\\n\\x01\"|\"\\u00e9\"|c3a9|61 62|int|string|float64|true|%!d(bool=true)|%!s(int=5)|true| true|%!!(MISSING)|%!(NOVERB)",
                r("{{printf \"%q|%+q|%x|% x|%T|%T|%T|%v|%d|%s|%t|%5t|%!|%\" \"é\\n\\x01\" \"é\" \"é\" \"ab\" 1 \"s\" 1.5 true true 5 true true}}"));
        assertEquals("%!d(string=fmt-test-1) %!s(MISSING)", r("{{printf \"%d %s\" .Names}}"));
        assertEquals("%!s(int=1)%!(EXTRA int=2, string=x)", r("{{printf \"%s\" 1 2 \"x\"}}"));
        assertEquals("100%", r("{{printf \"%d%%\" 100}}"));
        assertEquals("'a' U+00E9 'é'", r("{{printf \"%q %#U\" 97 233}}"));
    }

    @Test
    void compositeValues() {
        assertEquals("map[]|map[]|map[]|map[]", r("{{printf \"%s|%v|%d|%q\" .Labels .Labels .Labels .Labels}}"));
        assertEquals("[a b] [\"a\" \"b\"] [%!d(string=a) %!d(string=b)] [1 2]",
                GoFmt.sprintf("%v %q %d %d", List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of(1, 2)));
        assertEquals("map[a:1 b:[x y]]", GoFmt.sprintf("%v", Map.of("b", List.of("x", "y"), "a", 1)));
    }

    @Test
    void nils() {
        assertEquals("<nil>|<nil>|%!d(<nil>)|%!s(<nil>)|1 a 2\n", r("{{print nil}}|{{printf \"%v|%d|%s\" nil nil nil}}|{{println 1 \"a\" 2}}"));
        assertEquals("[<nil>]", GoFmt.sprintf("%d", Arrays.asList((Object) null)));
    }

    @Test
    void sprintSpacing() {
        assertEquals("1 2ab3", r("{{print 1 2 \"a\" \"b\" 3}}"));
        assertEquals("fmt-test-1\n", r("{{println .Names}}"));
        assertEquals("a b", GoFmt.sprint("a", " ", "b"));
        assertEquals("<nil> <nil>", GoFmt.sprint(null, null));
    }

    @Test
    void starWidthAndPrecision() {
        assertEquals("   ab|ab   |abc", GoFmt.sprintf("%*s|%-*s|%.*s", 5L, "ab", 5L, "ab", 3L, "abcdef"));
        assertEquals("%!(BADWIDTH)ab", GoFmt.sprintf("%*s", "x", "ab"));
    }

    @Test
    void floatFormatting() {
        assertEquals("3.141593 3.14 3.141593e+00 3.14159", GoFmt.sprintf("%f %.2f %e %g", 3.14159265, 3.14159265, 3.14159265, 3.14159));
        assertEquals("0.000000 0 0.000000e+00 +Inf -Inf NaN", GoFmt.sprintf("%f %v %e %v %v %v", 0.0, 0.0, 0.0,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN));
        assertEquals("2 4 0.1 0.2", GoFmt.sprintf("%.0f %.0f %.1f %.1f", 2.5, 3.5, 0.05, 0.25));
        assertEquals("   +3.50|-0003.50", GoFmt.sprintf("%+8.2f|%08.2f", 3.5, -3.5));
        assertEquals("1.5e+300 123456789 1.23456789e+08", GoFmt.sprintf("%v %d %v", 1.5e300, 123456789L, 123456789.0));
    }
}
