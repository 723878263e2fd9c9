package io.jpod.cli.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders rows for a --format option the way podman 4.3 does (containers/common pkg/report Formatter
 * with OriginUser): "table ..." formats get a header line and tabwriter alignment, other formats are
 * executed once per row with a newline appended when the format lacks one.
 */
public final class FormatPrinter {
    private static final String DEFAULT_NAME = "format";

    // report.EnforceRange's test (the body may span lines, as podman 4.3.1 accepts) and report.IsJSON;
    // only used at parse time, never per row.
    private static final Pattern HAS_RANGE = Pattern.compile(
            "\\{\\{[\\t\\n\\f\\r ]*range[\\t\\n\\f\\r ]*\\.[\\t\\n\\f\\r ]*}}.*\\{\\{[\\t\\n\\f\\r ]*end[\\t\\n\\f\\r ]*-?[\\t\\n\\f\\r ]*}}",
            Pattern.DOTALL);
    private static final Pattern IS_JSON =
            Pattern.compile("^[\\t\\n\\f\\r ]*(json|\\{\\{[\\t\\n\\f\\r ]*json[\\t\\n\\f\\r ]*(\\.)?[\\t\\n\\f\\r ]*}})[\\t\\n\\f\\r ]*$");

    private FormatPrinter() {}

    /** Renders {@code rows} with a user --format; headerOverrides maps field names to column titles. */
    public static String render(String format, List<?> rows, Map<String, String> headerOverrides) {
        return render(DEFAULT_NAME, format, rows, headerOverrides, false);
    }

    /** As above; {@code name} appears in errors ("template: ps:1: ..."), noHeading drops the table header. */
    public static String render(String name, String format, List<?> rows, Map<String, String> headerOverrides,
                                boolean noHeading) {
        boolean table = isTable(format);
        GoTemplate tmpl = compile(name, format);
        StringBuilder out = new StringBuilder();
        if (!table) {
            tmpl.render(rows, out);
            return out.toString();
        }
        if (!noHeading) tmpl.render(List.of(headers(tmpl, rows, headerOverrides)), out);
        tmpl.render(rows, out);
        return TabWriter.align(out.toString());
    }

    /** podman's report.HasTable: the format starts with "table " (a bare "table" is literal text). */
    public static boolean isTable(String format) {
        return format.startsWith("table ");
    }

    /** podman's report.IsJSON: "json" or "{{json .}}", which commands print as an indented JSON array. */
    public static boolean isJson(String format) {
        return IS_JSON.matcher(format).matches();
    }

    /**
     * report.Formatter.Parse for a user format: the template runs over the row list, so it is wrapped in
     * {{range .}}...{{end -}} unless it has its own range. The escape-normalised text is tried first and the
     * raw text second, as podman does so that {{printf "%s\n" .X}} keeps working.
     */
    static GoTemplate compile(String name, String format) {
        String norm, raw;
        if (isTable(format)) {
            norm = "{{range .}}" + normalize(format) + "{{end -}}";
            raw = "{{range .}}" + format.substring("table ".length()) + "{{end -}}";
        } else {
            norm = enforceRange(normalize(format));
            raw = enforceRange(format);
        }
        try {
            return GoTemplate.parse(name, norm);
        } catch (TemplateException e) {
            return GoTemplate.parse(name, raw);
        }
    }

    /**
     * report.NormalizeFormat: for tables drop every "table " and turn "\t", "\n" escapes and spaces into
     * tabs/newlines (so "table {{.ID}} {{.Names}}" has two columns); otherwise only the two escapes.
     * A trailing newline is added when missing.
     */
    static String normalize(String format) {
        boolean table = isTable(format);
        StringBuilder sb = new StringBuilder(format.length() + 1);
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length() && (format.charAt(i + 1) == 't' || format.charAt(i + 1) == 'n')) {
                sb.append(format.charAt(++i) == 't' ? '\t' : '\n');
            } else if (table && c == 't' && format.startsWith("table ", i)) {
                i += "table ".length() - 1;
            } else if (table && c == ' ') {
                sb.append('\t');
            } else {
                sb.append(c);
            }
        }
        if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
        return sb.toString();
    }

    /** report.EnforceRange: wraps the format in a range over the rows unless it already ranges over dot. */
    static String enforceRange(String format) {
        return HAS_RANGE.matcher(format).find() ? format : "{{range .}}" + format + "{{end -}}";
    }

    /**
     * The header row, rendered through the same template: like report.Headers, each field maps to its
     * camel-case split upper-cased name ("RunningFor" -> "RUNNING FOR") unless overridden (upper-cased).
     */
    static Map<String, String> headers(GoTemplate tmpl, List<?> rows, Map<String, String> overrides) {
        Map<String, String> h = new LinkedHashMap<>();
        if (!rows.isEmpty() && Values.norm(rows.getFirst()) instanceof Map<?, ?> first) {
            for (Object k : first.keySet()) if (k instanceof String s) h.put(s, CamelCase.header(s));
        }
        for (String f : tmpl.fieldNames()) h.putIfAbsent(f, CamelCase.header(f));
        if (overrides != null) overrides.forEach((k, v) -> h.put(k, Funcs.upperForHeader(v)));
        return h;
    }
}
