package io.jpod.cli;

import java.util.List;

/** `tag IMAGE NAME...`: adds names to an image. */
final class TagCommand implements Command {
    public String name() { return "tag"; }
    public String summary() { return "Add an additional name to a local image"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        if (a.positionals().size() < 2) throw new UsageException("jpod tag requires an image and at least one new name: jpod tag IMAGE NAME");
        for (String n : a.positionals().subList(1, a.positionals().size())) cli.engine().tagImage(a.positionals().getFirst(), n);
        return 0;
    }
}
