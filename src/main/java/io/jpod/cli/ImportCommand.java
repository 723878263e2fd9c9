package io.jpod.cli;

import io.jpod.image.Image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** `import FILE|- [NAME]`: a rootfs tarball becomes a one-layer image; prints its ID as podman does. */
final class ImportCommand implements Command {
    public String name() { return "import"; }
    public String summary() { return "Import a tarball to create a filesystem image"; }
    public List<Flag> flags() {
        return List.of(Flag.value("change", 'c', "apply the following possible instructions to the created image"),
                Flag.value("message", 'm', "set commit message for imported image"),
                Flag.bool("quiet", 'q', "suppress output"));
    }

    public int run(Cli cli, Args a) throws IOException {
        Cli.requireArgs(a, 1, "jpod import requires a tarball path or - for stdin, and an optional image name");
        String src = a.positionals().getFirst();
        String name = a.positionals().size() > 1 ? a.positionals().get(1) : null;
        if (name != null) io.jpod.image.ImageRef.parse(name); // reject a bad name before reading anything
        Image img;
        if (!src.equals("-") && Files.isRegularFile(Path.of(src))) {
            img = cli.engine().importImage(Path.of(src), name, a.all("change"));
            cli.out.println("sha256:" + img.id());
            return 0;
        }
        try (InputStream in = src.equals("-") ? new BufferedInputStream(System.in, 1 << 16)
                : new BufferedInputStream(Files.newInputStream(Path.of(src)), 1 << 16)) {
            img = cli.engine().importImage(in, name, a.all("change"));
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot import " + src + ": no such file: give a tarball path, or - to read stdin");
        }
        cli.out.println("sha256:" + img.id());
        return 0;
    }
}
