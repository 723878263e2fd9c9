package io.jpod.cli;

import java.util.List;

/** `untag IMAGE [NAME...]`: removes names (all of them without NAME); the image stays. */
final class UntagCommand implements Command {
    public String name() { return "untag"; }
    public String summary() { return "Remove a name from a local image"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        if (a.positionals().isEmpty()) throw new UsageException("jpod untag needs an image: jpod untag IMAGE [NAME...]");
        cli.engine().untagImage(a.positionals().getFirst(), a.positionals().subList(1, a.positionals().size()));
        return 0;
    }
}
