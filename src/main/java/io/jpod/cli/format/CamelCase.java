package io.jpod.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Port of github.com/fatih/camelcase.Split (vendored by containers/common pkg/report/camelcase), which
 * podman uses to turn a field name into a column header: "RunningFor" -> "RUNNING FOR".
 */
final class CamelCase {
    private CamelCase() {}

    /** Splits on lower/upper/digit/other class changes, then moves "PDFL|oader" to "PDF|Loader". */
    static List<String> split(String src) {
        List<StringBuilder> runs = new ArrayList<>();
        int lastClass = 0;
        for (int k = 0; k < src.length(); ) {
            int r = src.codePointAt(k);
            k += Character.charCount(r);
            int cls = Character.isLowerCase(r) ? 1 : Character.isUpperCase(r) ? 2 : Character.isDigit(r) ? 3 : 4;
            if (cls == lastClass) runs.getLast().appendCodePoint(r);
            else runs.add(new StringBuilder().appendCodePoint(r));
            lastClass = cls;
        }
        for (int i = 0; i < runs.size() - 1; i++) {
            StringBuilder cur = runs.get(i), nxt = runs.get(i + 1);
            if (Character.isUpperCase(cur.codePointAt(0)) && Character.isLowerCase(nxt.codePointAt(0))) {
                int last = cur.codePointBefore(cur.length());
                cur.setLength(cur.length() - Character.charCount(last));
                nxt.insert(0, Character.toChars(last));
            }
        }
        List<String> words = new ArrayList<>();
        for (StringBuilder run : runs) if (!run.isEmpty()) words.add(run.toString());
        if (words.isEmpty()) words.add("");
        return words;
    }

    /** podman's default column header for a field: camel-case words joined by spaces, upper-cased. */
    static String header(String field) {
        return Funcs.upperForHeader(String.join(" ", split(field)));
    }
}
