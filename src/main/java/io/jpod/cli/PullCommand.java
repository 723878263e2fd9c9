package io.jpod.cli;

import io.jpod.image.Image;

import java.util.ArrayList;
import java.util.List;

/** `pull IMAGE...`: progress on stderr (podman's lines), the image IDs on stdout. */
final class PullCommand implements Command {
    public String name() { return "pull"; }
    public String summary() { return "Pull an image from a registry"; }
    public List<Flag> flags() {
        List<Flag> f = new ArrayList<>(RegistryFlags.flags(true, true));
        f.add(Flag.bool("quiet", 'q', "suppress output information when pulling images"));
        f.add(Flag.bool("all-tags", 'a', "all tagged images in the repository will be pulled"));
        return f;
    }

    public int run(Cli cli, Args a) {
        if (a.positionals().isEmpty()) throw new UsageException("jpod pull requires at least one image: jpod pull IMAGE");
        var opts = RegistryFlags.parse(a);
        boolean quiet = a.bool("quiet");
        for (String ref : a.positionals()) {
            List<Image> pulled = cli.engine().pull(ref, opts, a.bool("all-tags"), progress(cli, quiet));
            for (Image i : pulled) cli.out.println(i.id());
        }
        return 0;
    }

    /** Bars on a terminal, podman's plain lines otherwise, nothing with -q. */
    static io.jpod.image.Progress progress(Cli cli, boolean quiet) {
        if (quiet) return s -> { };
        if (io.jpod.sys.linux.LinuxSyscalls.INSTANCE.isatty(2)) return new TerminalProgress(cli.err);
        return cli.err::println;
    }
}
