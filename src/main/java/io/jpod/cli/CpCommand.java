package io.jpod.cli;

import io.jpod.core.JpodException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * `cp SRC DEST`, one side CONTAINER:PATH, the other a host path or "-" (a tar stream on stdin or stdout). A running
 * container is paused during the copy; paths inside it resolve as they would inside it (see ContainerFs).
 */
final class CpCommand implements Command {
    public String name() { return "cp"; }
    public String summary() { return "Copy files/folders between a container and the local filesystem"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("archive", 'a', "keep the files' owners (default true; --archive=false makes them 0:0)"),
                Flag.bool("overwrite", "allow to overwrite directories with non-directories and vice versa"),
                Flag.bool("pause", "pause the container while copying (default true; it always is)"));
    }

    record Spec(String container, String path) {
        boolean isContainer() { return container != null; }
    }

    static Spec parse(String arg) {
        if (arg.equals("-") || arg.startsWith("/") || arg.startsWith(".")) return new Spec(null, arg);
        int colon = arg.indexOf(':');
        int slash = arg.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) return new Spec(arg.substring(0, colon), arg.substring(colon + 1));
        return new Spec(null, arg);
    }

    public int run(Cli cli, Args a) throws Exception {
        if (a.positionals().size() != 2) throw new UsageException("jpod cp takes a source and a destination: jpod cp CONTAINER:SRC DEST");
        Spec src = parse(a.positionals().get(0)), dst = parse(a.positionals().get(1));
        if (src.isContainer() == dst.isContainer()) {
            throw new UsageException(src.isContainer() ? "copying between containers is not supported: copy through the host"
                    : "one of the paths must name a container: CONTAINER:PATH");
        }
        boolean archive = !a.has("archive") || a.bool("archive");
        if (src.isContainer()) {
            String path = src.path().isEmpty() ? "/" : src.path();
            if (dst.path().equals("-")) {
                cli.flush();
                OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 256 * 1024);
                cli.engine().copyFromContainer(src.container(), path, out);
                out.flush();
            } else {
                cli.engine().copyFromContainer(src.container(), path, Path.of(dst.path()), archive);
            }
        } else {
            String path = dst.path().isEmpty() ? "/" : dst.path();
            if (src.path().equals("-")) {
                cli.engine().copyToContainer(dst.container(), new BufferedInputStream(System.in, 256 * 1024), path);
            } else {
                if (src.path().isEmpty()) throw JpodException.invalid("the source path is empty");
                cli.engine().copyToContainer(dst.container(), Path.of(src.path()), path, archive);
            }
        }
        return 0;
    }
}
