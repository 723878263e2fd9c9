package io.jpod.cli;

import java.util.List;

/** `container exists` / `image exists`: exit 0 when it exists, 1 when not, as podman. */
final class ExistsCommand implements Command {
    private final boolean image;

    ExistsCommand(boolean image) { this.image = image; }

    public String name() { return image ? "image-exists" : "exists"; }
    public String summary() { return image ? "Check if an image exists in local storage" : "Check if a container exists in local storage"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        if (a.positionals().size() != 1) throw new UsageException("accepts 1 arg(s), received " + a.positionals().size());
        String n = a.positionals().getFirst();
        return (image ? cli.engine().imageExists(n) : cli.engine().containerExists(n)) ? 0 : 1;
    }
}
