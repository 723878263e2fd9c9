package io.jpod.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cases from Go's text/tabwriter tests, plus the podman table layout observed with podman 4.3.1. */
class TabWriterTest {
    private static String tw(int minwidth, int tabwidth, int padding, char padchar, int flags, String src) {
        return new TabWriter(minwidth, tabwidth, padding, padchar, flags).write(src).flush();
    }

    @Test
    void emptyAndPlainText() {
        assertEquals("", tw(8, 0, 1, '.', 0, ""));
        assertEquals("\n\n\n", tw(8, 0, 1, '.', 0, "\n\n\n"));
        assertEquals("a\nb\nc", tw(8, 0, 1, '.', 0, "a\nb\nc"));
        assertEquals("Hello, world!\n", tw(8, 0, 1, '*', 0, "Hello, world!\n"));
    }

    @Test
    void trailingCellIsNotAColumn() {
        assertEquals("", tw(8, 0, 1, '.', 0, "\t"));
        assertEquals("", tw(8, 0, 1, '.', TabWriter.ALIGN_RIGHT, "\t"));
        assertEquals("*.......*", tw(8, 0, 1, '.', 0, "*\t*"));
        assertEquals("*.......*\n", tw(8, 0, 1, '.', 0, "*\t*\n"));
        assertEquals("*.......*", tw(8, 0, 1, '.', 0, "*\t*\t"));
        assertEquals("*.......|*", tw(8, 0, 1, '.', TabWriter.DEBUG, "*\t*\t"));
        assertEquals(".......**", tw(8, 0, 1, '.', TabWriter.ALIGN_RIGHT, "*\t*\t"));
        assertEquals("........\n", tw(8, 0, 1, '.', 0, "\t\n"));
    }

    @Test
    void simpleColumns() {
        assertEquals("a) foo", tw(8, 0, 1, '.', 0, "a) foo"));
        assertEquals("b) foo  bar", tw(8, 0, 1, ' ', 0, "b) foo\tbar"));
        assertEquals("c) foo..bar", tw(8, 0, 1, '.', 0, "c) foo\tbar\t"));
        assertEquals("d) foo..bar\n", tw(8, 0, 1, '.', 0, "d) foo\tbar\n"));
        assertEquals("e) foo..bar.....\n", tw(8, 0, 1, '.', 0, "e) foo\tbar\t\n"));
    }

    @Test
    void minwidthAndPadding() {
        assertEquals("1.2..3...4\n11222333344444\n", tw(1, 0, 0, '.', 0, "1\t2\t3\t4\n11\t222\t3333\t44444\n"));
        assertEquals("1....2....3....4\n", tw(5, 0, 0, '.', 0, "1\t2\t3\t4\n"));
        assertEquals("1....2....3....4....\n", tw(5, 0, 0, '.', 0, "1\t2\t3\t4\t\n"));
        assertEquals("a  b  c\naa bbbcccc\naaabbbb\n", tw(2, 0, 0, ' ', 0, "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n"));
        assertEquals("a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
                tw(8, 0, 1, '_', 0, "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n"));
    }

    @Test
    void formfeedEndsColumnBlocks() {
        assertEquals("1234\n11222333344444\n", tw(1, 0, 0, '.', 0, "1\t2\t3\t4\f11\t222\t3333\t44444\n"));
        assertEquals("1|2|3|4\n---\n11|222|3333|44444\n", tw(1, 0, 0, '.', TabWriter.DEBUG, "1\t2\t3\t4\f11\t222\t3333\t44444\n"));
    }

    @Test
    void widthCountsRunesNotBytes() {
        assertEquals("本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n",
                tw(8, 0, 1, '.', 0, "本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n"));
        assertEquals("       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n",
                tw(8, 0, 1, ' ', TabWriter.ALIGN_RIGHT, "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n"));
    }

    @Test
    void elasticBlocks() {
        String src = "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n";
        assertEquals("4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n"
                + "666666-666666-666666----4444\n1------1------999999999-0000000000\n", tw(4, 0, 1, '-', 0, src));
        String src2 = "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n";
        assertEquals("4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n"
                + "666666...666666...666666......4444\n1........1........999999999...0000000000\n", tw(4, 0, 3, '.', 0, src2));
    }

    @Test
    void alignRightNumbers() {
        String src = ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n"
                + ".0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t";
        assertEquals("    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n"
                + "    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
                tw(1, 0, 2, ' ', TabWriter.ALIGN_RIGHT, src));
    }

    @Test
    void discardEmptyColumns() {
        assertEquals("a.......b", tw(4, 0, 0, '.', 0, "a\t\tb"));
        assertEquals("a.......b", tw(4, 0, 0, '.', TabWriter.DISCARD_EMPTY_COLUMNS, "a\t\tb"));
        assertEquals("a...b", tw(4, 0, 0, '.', TabWriter.DISCARD_EMPTY_COLUMNS, "a\u000b\u000bb"));
        assertEquals("...ab", tw(4, 0, 0, '.', TabWriter.ALIGN_RIGHT | TabWriter.DISCARD_EMPTY_COLUMNS, "a\u000b\u000bb"));
    }

    @Test
    void tabPadding() {
        String src = "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n";
        assertEquals(src, tw(100, 100, 0, '\t', 0, src));
        assertEquals(src, tw(100, 100, 0, '\t', TabWriter.DISCARD_EMPTY_COLUMNS, src));
        assertEquals("a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                tw(100, 100, 0, '\t', TabWriter.DISCARD_EMPTY_COLUMNS, src.replace('\t', '\u000b')));
        assertEquals("a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
                tw(100, 100, 0, '\t', TabWriter.DISCARD_EMPTY_COLUMNS | TabWriter.DEBUG, src));
    }

    @Test
    void writesAccumulateUntilFlush() {
        TabWriter w = TabWriter.podman();
        w.write("NAME\tID\n").write("x\t1\n");
        assertEquals("NAME        ID\nx           1\n", w.flush());
        assertEquals("", w.flush());
        assertEquals("a\n", w.write("a\n").flush());
    }

    /** podman ps -a --format 'table {{.ID}}\t{{.Names}}' (podman 4.3.1): minwidth 12, padding 2. */
    @Test
    void podmanLayout() {
        assertEquals("CONTAINER ID  NAMES\n3415f5470ccd  fmt-test-1\nad57d78aa26c  fmt-test-long-name-2\n",
                TabWriter.align("CONTAINER ID\tNAMES\n3415f5470ccd\tfmt-test-1\nad57d78aa26c\tfmt-test-long-name-2\n"));
        // short columns are widened to minwidth 12; the last cell is never padded
        assertEquals("STATE       NAMES\nCreated     fmt-test-1\n", TabWriter.align("STATE\tNAMES\nCreated\tfmt-test-1\n"));
        // a tab-terminated last column is a column and does get padded
        assertEquals("NAMES       ID          \nx           abc         \n", TabWriter.align("NAMES\tID\t\nx\tabc\t\n"));
        // empty cells (podman's PORTS) still take the column width
        assertEquals("STATUS       PORTS       NAMES\nInitialized              ref\n",
                TabWriter.align("STATUS\tPORTS\tNAMES\nInitialized\t\tref\n"));
    }
}
