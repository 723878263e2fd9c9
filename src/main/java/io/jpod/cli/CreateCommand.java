package io.jpod.cli;

import io.jpod.engine.CreateOptions;

import java.util.List;

/** `create`: a container that exists but has not run; prints its ID. */
final class CreateCommand implements Command {
    public String name() { return "create"; }
    public String summary() { return "Create but do not start a container"; }
    public List<Flag> flags() { return CreateFlags.FLAGS; }
    public int stopAfterPositionals() { return 1; }

    public int run(Cli cli, Args a) {
        CreateOptions o = CreateFlags.parse(a);
        CreateFlags.ensureImage(cli, a, o);
        cli.out.println(cli.engine().create(o).id());
        return 0;
    }
}
