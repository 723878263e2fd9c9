package io.jpod.cli;

import io.jpod.core.JpodException;
import io.jpod.sys.linux.LinuxSyscalls;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** `load [-i FILE]`: images from a docker-archive or OCI archive (or layout dir); "Loaded image: NAME" lines. */
final class LoadCommand implements Command {
    public String name() { return "load"; }
    public String summary() { return "Load image(s) from a tar archive"; }
    public List<Flag> flags() {
        return List.of(Flag.value("input", 'i', "read from specified archive file (default: stdin)"),
                Flag.bool("quiet", 'q', "suppress the output"));
    }

    public int run(Cli cli, Args a) throws Exception {
        if (!a.positionals().isEmpty()) throw new UsageException("jpod load takes no arguments: use -i FILE or stdin");
        Consumer<String> progress = a.bool("quiet") ? s -> { } : cli.err::println;
        List<String> loaded;
        String input = a.get("input");
        if (input == null) {
            if (LinuxSyscalls.INSTANCE.isatty(0)) {
                throw new UsageException("cannot read from terminal, use command-line redirection or the --input flag");
            }
            loaded = cli.engine().load(new BufferedInputStream(System.in, 256 * 1024), progress);
        } else {
            Path p = Path.of(input);
            if (Files.isDirectory(p)) {
                loaded = cli.engine().loadDir(p, progress);
            } else {
                if (!Files.isRegularFile(p)) throw JpodException.invalid("cannot read " + input + ": no such file");
                try (InputStream in = Files.newInputStream(p)) {
                    loaded = cli.engine().load(in, progress);
                }
            }
        }
        for (String n : loaded) cli.out.println("Loaded image: " + n);
        return 0;
    }
}
