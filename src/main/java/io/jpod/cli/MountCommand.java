package io.jpod.cli;

import java.util.List;

/** `mount CONTAINER` prints its mounted root filesystem; `unmount CONTAINER` (alias umount) unmounts a stopped one's. */
final class MountCommand implements Command {
    private final boolean mount;

    MountCommand(boolean mount) {
        this.mount = mount;
    }

    public String name() { return mount ? "mount" : "unmount"; }
    public String summary() { return mount ? "Mount a working container's root filesystem" : "Unmount working container's root filesystem"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        if (a.positionals().isEmpty()) throw new UsageException("jpod " + name() + " needs a container");
        for (String c : a.positionals()) {
            if (mount) {
                cli.out.println(cli.engine().mount(c));
            } else {
                cli.engine().unmount(c);
                cli.out.println(cli.engine().inspect(c).id());
            }
        }
        return 0;
    }
}
