package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.engine.CreateOptions;
import io.jpod.engine.Streams;

import java.util.List;

/** `run`: create and start; attached, it streams the output and exits with the container's code. */
final class RunCommand implements Command {
    public String name() { return "run"; }
    public String summary() { return "Run a command in a new container"; }
    public List<Flag> flags() { return CreateFlags.FLAGS; }
    public int stopAfterPositionals() { return 1; }

    public int run(Cli cli, Args a) {
        CreateOptions o = CreateFlags.parse(a);
        CreateFlags.ensureImage(cli, a, o);
        if (a.bool("detach")) {
            Container c = cli.engine().runDetached(o);
            cli.out.println(c.id());
            return 0;
        }
        cli.flush();
        return cli.engine().run(o, Streams.system());
    }
}
