package io.jpod.cli;

import io.jpod.core.JpodException;

import java.util.List;

/** `logout [REGISTRY] | --all`: removes stored credentials. */
final class LogoutCommand implements Command {
    public String name() { return "logout"; }
    public String summary() { return "Log out of a container registry"; }
    public List<Flag> flags() {
        return List.of(Flag.value("authfile", "path of the authentication file"),
                Flag.bool("all", 'a', "remove the cached credentials for all registries in the auth file"));
    }

    public int run(Cli cli, Args a) {
        var opts = RegistryFlags.parse(a);
        if (a.bool("all")) {
            cli.engine().logout(null, opts);
            cli.out.println("Removed login credentials for all registries");
            return 0;
        }
        if (a.positionals().size() != 1) throw new UsageException("jpod logout takes one registry, or --all");
        String reg = a.positionals().getFirst();
        if (!cli.engine().logout(reg, opts)) throw JpodException.invalid("not logged into " + reg);
        cli.out.println("Removed login credentials for " + reg);
        return 0;
    }
}
