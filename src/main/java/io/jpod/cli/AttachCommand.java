package io.jpod.cli;

import io.jpod.engine.AttachOptions;
import io.jpod.engine.DetachKeys;
import io.jpod.engine.Streams;

import java.util.List;

/** `attach`: joins a running container's output (and stdin) until it exits or the user detaches. */
final class AttachCommand implements Command {
    public String name() { return "attach"; }
    public String summary() { return "Attach to a running container"; }
    public List<Flag> flags() {
        return List.of(Flag.value("detach-keys", "select the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")"),
                Flag.bool("no-stdin", "do not attach STDIN; the default is false"),
                Flag.bool("sig-proxy", "proxy received signals to the container process (default true)"),
                Flag.bool("latest", 'l', "act on the latest container"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "attach requires the name or ID of a container or the --latest flag");
        if (a.positionals().size() > 1) throw new UsageException("attach accepts at most one argument: give one container");
        AttachOptions o = new AttachOptions(!a.bool("no-stdin"), DetachKeys.parse(a.get("detach-keys")), sigProxy(a));
        cli.flush();
        return cli.engine().attach(a.positionals().getFirst(), o, Streams.system());
    }

    static boolean sigProxy(Args a) {
        return !a.has("sig-proxy") || a.bool("sig-proxy");
    }
}
