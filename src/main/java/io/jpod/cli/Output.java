package io.jpod.cli;

import io.jpod.cli.format.FormatPrinter;
import io.jpod.json.Json;

import java.util.List;
import java.util.Map;

/** Prints listed items the podman way: a default table, `--format json` (indented as podman does per command), or a Go template per row. */
final class Output {
    private Output() {}

    static void rows(Cli cli, String format, String defaultTable, List<Views.Row> rows, Map<String, String> headers,
                     String jsonIndent) {
        if (format != null && FormatPrinter.isJson(format.strip())) {
            cli.out.println(Json.writePretty(rows.stream().map(Views.Row::json).toList(), jsonIndent));
            return;
        }
        String f = format == null || format.isEmpty() ? defaultTable : format;
        cli.out.print(FormatPrinter.render(f, rows.stream().map(Views.Row::fields).toList(), headers));
    }
}
