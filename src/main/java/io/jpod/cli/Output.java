package io.jpod.cli;

import io.jpod.cli.format.FormatPrinter;
import io.jpod.json.Json;

import io.jpod.core.JpodException;
import io.jpod.sys.linux.LinuxSyscalls;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Writes a binary stream somewhere. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * An archive to {@code output} (written to a temp file beside it and renamed, so a failure leaves no half file),
     * or to stdout when output is null, which must then not be a terminal ({@code verb} names the refusal).
     */
    static void archive(Cli cli, String output, String verb, Writer writer) throws IOException {
        if (output == null) {
            if (LinuxSyscalls.INSTANCE.isatty(1)) throw new UsageException("refusing to " + verb + " to terminal. Use -o flag or redirect");
            cli.flush();
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 256 * 1024);
            writer.write(out);
            out.flush();
            return;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".jpod-tmp-" + ProcessHandle.current().pid());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 256 * 1024)) {
                writer.write(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.invalid("cannot write " + output + ": its directory does not exist");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
