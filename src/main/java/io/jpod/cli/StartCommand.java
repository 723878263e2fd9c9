package io.jpod.cli;

import io.jpod.engine.Streams;

import java.util.List;

/** `start`: starts containers; with -a, one container attached, exiting with its code. */
final class StartCommand implements Command {
    public String name() { return "start"; }
    public String summary() { return "Start one or more containers"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("attach", 'a', "attach container's STDOUT and STDERR"),
                Flag.bool("interactive", 'i', "keep STDIN open even if not attached"),
                Flag.value("detach-keys", "select the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")"),
                Flag.bool("sig-proxy", "proxy received signals to the process (default true if attaching)"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "start requires at least one argument: give a container name or ID");
        if (!a.bool("attach") && a.has("sig-proxy")) {
            throw new UsageException("you cannot use sig-proxy without --attach: add -a");
        }
        if (a.bool("attach")) {
            if (a.positionals().size() > 1) throw new UsageException("you cannot start and attach multiple containers at once");
            cli.flush();
            // podman: stdin goes along only with -i (and only to a container created with -i)
            var o = new io.jpod.engine.AttachOptions(a.bool("interactive"),
                    io.jpod.engine.DetachKeys.parse(a.get("detach-keys")), AttachCommand.sigProxy(a));
            return cli.engine().startAttached(a.positionals().getFirst(), o, Streams.system());
        }
        // podman prints nothing for a container that was running already (starting it is a no-op)
        java.util.Set<String> wasRunning = new java.util.HashSet<>();
        for (String n : a.positionals()) {
            try {
                if (cli.engine().inspect(n).status() == io.jpod.core.ContainerStatus.RUNNING) wasRunning.add(n);
            } catch (io.jpod.core.JpodException e) {
                // start reports it
            }
        }
        var reports = cli.engine().start(a.positionals()).stream()
                .filter(r -> !(r.succeeded() && wasRunning.contains(r.requested()))).toList();
        return cli.reports(reports, false);
    }
}
