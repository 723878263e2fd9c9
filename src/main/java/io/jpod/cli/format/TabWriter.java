package io.jpod.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's text/tabwriter (elastic tabstops): text is buffered, cells end at '\t' (or '\v'),
 * lines at '\n' (or '\f', which also ends column blocks), and {@link #flush()} returns it aligned.
 * The text after the last tab of a line is not part of any column and is never padded.
 *
 * <p>{@link #podman()} uses podman's table settings. containers/common pkg/report has
 * {@code NewWriterDefault(w) = NewWriter(w, 12, 2, 2, ' ', 0)}: minwidth 12, tabwidth 2, padding 2,
 * padchar ' ', no flags; report.Formatter (what podman 4.3 ps/images use) passes the same numbers with
 * tabwriter.StripEscape, which only matters for 0xff escape bytes and is not implemented here.
 */
public final class TabWriter {
    /** Right-align cell content (Go's AlignRight). */
    public static final int ALIGN_RIGHT = 4;
    /** Columns whose cells are all empty and '\v'-terminated get no width (Go's DiscardEmptyColumns). */
    public static final int DISCARD_EMPTY_COLUMNS = 8;
    /** Pad leading empty cells with tabs, whatever the padchar (Go's TabIndent). */
    public static final int TAB_INDENT = 16;
    /** Print a '|' between columns (Go's Debug). */
    public static final int DEBUG = 32;

    private final int minwidth, tabwidth, padding, flags;
    private final char padchar;
    private final StringBuilder buf = new StringBuilder();

    private record Cell(String text, int width, boolean htab) {}

    /** Same parameters as Go's tabwriter.NewWriter(output, minwidth, tabwidth, padding, padchar, flags). */
    public TabWriter(int minwidth, int tabwidth, int padding, char padchar, int flags) {
        if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new IllegalArgumentException("negative tabwriter setting");
        this.minwidth = minwidth;
        this.tabwidth = tabwidth;
        this.padding = padding;
        this.padchar = padchar;
        this.flags = flags;
    }

    /** podman's table writer: minwidth 12, tabwidth 2, padding 2, padchar ' ', flags 0. */
    public static TabWriter podman() {
        return new TabWriter(12, 2, 2, ' ', 0);
    }

    /** Aligns {@code text} with podman's settings in one go. */
    public static String align(String text) {
        return podman().write(text).flush();
    }

    /** Buffers text; nothing is aligned until {@link #flush()}. */
    public TabWriter write(CharSequence text) {
        buf.append(text);
        return this;
    }

    /** Aligns and returns everything written since the last flush, and empties the buffer. */
    public String flush() {
        List<List<Cell>> lines = split(buf);
        buf.setLength(0);
        StringBuilder out = new StringBuilder();
        new Formatter(lines, out).format(0, lines.size());
        return out.toString();
    }

    /** Splits into lines of cells; the trailing cell of each line is its newline-terminated text. */
    private static List<List<Cell>> split(CharSequence s) {
        List<List<Cell>> lines = new ArrayList<>();
        List<Cell> line = new ArrayList<>();
        int start = 0, n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\u000b' || c == '\n' || c == '\f') {
                line.add(cell(s, start, i, c == '\t'));
                start = i + 1;
                if (c == '\n' || c == '\f') {
                    lines.add(line);
                    line = new ArrayList<>();
                    if (c == '\f') lines.add(null); // block separator: Go flushes at a formfeed
                }
            }
        }
        // Go's Flush terminates a pending non-empty cell; an empty remainder leaves an empty last line
        if (start < n) line.add(cell(s, start, n, false));
        lines.add(line);
        return lines;
    }

    private static Cell cell(CharSequence s, int from, int to, boolean htab) {
        String text = s.subSequence(from, to).toString();
        return new Cell(text, text.codePointCount(0, text.length()), htab);
    }

    /** Go's recursive column-block formatter over the buffered lines. */
    private final class Formatter {
        private final List<List<Cell>> lines;
        private final StringBuilder out;
        private final List<Integer> widths = new ArrayList<>();

        Formatter(List<List<Cell>> lines, StringBuilder out) {
            this.lines = lines;
            this.out = out;
        }

        private int cells(int i) {
            List<Cell> l = lines.get(i);
            return l == null ? 0 : l.size();
        }

        void format(int line0, int line1) {
            int column = widths.size();
            for (int t = line0; t < line1; t++) {
                if (column >= cells(t) - 1) continue;
                // a cell exists in this column: print the lines before the block, then size the block
                writeLines(line0, t);
                line0 = t;
                int width = minwidth;
                boolean discardable = true;
                for (; t < line1; t++) {
                    if (column >= cells(t) - 1) break;
                    Cell c = lines.get(t).get(column);
                    width = Math.max(width, c.width() + padding);
                    if (c.width() > 0 || c.htab()) discardable = false;
                }
                if (discardable && (flags & DISCARD_EMPTY_COLUMNS) != 0) width = 0;
                widths.add(width);
                format(line0, t);
                widths.removeLast();
                line0 = t;
            }
            writeLines(line0, line1);
        }

        private void writeLines(int line0, int line1) {
            for (int i = line0; i < line1; i++) {
                List<Cell> line = lines.get(i);
                if (line == null) {
                    if ((flags & DEBUG) != 0) out.append("---\n"); // Go marks a formfeed section break
                    continue;
                }
                boolean useTabs = (flags & TAB_INDENT) != 0;
                for (int j = 0; j < line.size(); j++) {
                    Cell c = line.get(j);
                    if (j > 0 && (flags & DEBUG) != 0) out.append('|');
                    if (c.text().isEmpty()) {
                        if (j < widths.size()) writePadding(c.width(), widths.get(j), useTabs);
                    } else {
                        useTabs = false;
                        if ((flags & ALIGN_RIGHT) == 0) {
                            out.append(c.text());
                            if (j < widths.size()) writePadding(c.width(), widths.get(j), false);
                        } else {
                            if (j < widths.size()) writePadding(c.width(), widths.get(j), false);
                            out.append(c.text());
                        }
                    }
                }
                if (i + 1 < lines.size()) out.append('\n');
            }
        }

        private void writePadding(int textw, int cellw, boolean useTabs) {
            if (padchar == '\t' || useTabs) {
                if (tabwidth == 0) return; // tabs have no width: no padding possible
                cellw = (cellw + tabwidth - 1) / tabwidth * tabwidth;
                int n = cellw - textw;
                out.repeat('\t', (n + tabwidth - 1) / tabwidth);
                return;
            }
            out.repeat(padchar, cellw - textw);
        }
    }
}
