package io.jpod.cli;

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
        Output.archive(cli, a.get("output"), "export", out -> cli.engine().export(a.positionals().getFirst(), out));
        return 0;
    }
}
