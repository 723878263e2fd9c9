package io.jpod.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * `save [-o FILE] [--format F] IMAGE...`: the archive to -o or to stdout when it is not a terminal (see
 * {@link Output#archive}).
 */
final class SaveCommand implements Command {
    public String name() { return "save"; }
    public String summary() { return "Save image(s) to an archive"; }
    public List<Flag> flags() {
        return List.of(Flag.value("output", 'o', "write to a specified file (default: stdout, which must be redirected)"),
                Flag.value("format", "save image to docker-archive, oci-archive (tar) or oci-dir (directory) (default docker-archive)"),
                Flag.bool("multi-image-archive", 'm', "interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)"),
                Flag.bool("compress", "compress tarball image layers when saving to a directory using the 'dir' transport"),
                Flag.bool("quiet", 'q', "suppress the output"));
    }

    public int run(Cli cli, Args a) throws Exception {
        List<String> images = a.positionals();
        if (images.isEmpty()) throw new UsageException("jpod save needs at least one image: jpod save -o FILE IMAGE");
        String format = a.has("format") ? a.get("format") : "docker-archive";
        if (images.size() > 1 && !format.equals("docker-archive")) {
            throw new UsageException("several images can only be saved as docker-archive: use --format docker-archive");
        }
        Consumer<String> progress = a.bool("quiet") ? s -> { } : cli.err::println;
        String output = a.get("output");
        if (format.equals("oci-dir")) {
            if (output == null) throw new UsageException("--format oci-dir needs a directory: use -o DIR");
            cli.engine().saveDir(images, Path.of(output), progress);
            return 0;
        }
        Output.archive(cli, output, "save", out -> cli.engine().save(images, format, out, output == null ? x -> { } : progress));
        return 0;
    }
}
