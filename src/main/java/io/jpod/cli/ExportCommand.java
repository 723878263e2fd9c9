package io.jpod.cli;

import io.jpod.core.JpodException;
import io.jpod.sys.linux.LinuxSyscalls;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** `export [-o FILE] CONTAINER`: the container's filesystem as a tar. */
final class ExportCommand implements Command {
    public String name() { return "export"; }
    public String summary() { return "Export a container's filesystem contents as a tar archive"; }
    public List<Flag> flags() {
        return List.of(Flag.value("output", 'o', "write to a specified file (default: stdout, which must be redirected)"));
    }

    public int run(Cli cli, Args a) throws Exception {
        if (a.positionals().size() != 1) throw new UsageException("jpod export takes one container: jpod export -o FILE CONTAINER");
        String output = a.get("output");
        if (output == null) {
            if (LinuxSyscalls.INSTANCE.isatty(1)) throw new UsageException("refusing to export to terminal. Use -o flag or redirect");
            cli.flush();
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 256 * 1024);
            cli.engine().export(a.positionals().getFirst(), out);
            out.flush();
            return 0;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".jpod-tmp-" + ProcessHandle.current().pid());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 256 * 1024)) {
                cli.engine().export(a.positionals().getFirst(), out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            throw JpodException.invalid("cannot write " + output + ": its directory does not exist");
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }
}
