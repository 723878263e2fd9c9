package io.jpod.cli;

import io.jpod.engine.ExecOptions;
import io.jpod.engine.Streams;

import java.util.ArrayList;
import java.util.List;

/** `exec`: runs a command in a running container and exits with its code (126/127 when it cannot run). */
final class ExecCommand implements Command {
    public String name() { return "exec"; }
    public String summary() { return "Run a process in a running container"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("detach", 'd', "run the exec session in detached mode (backgrounded)"),
                Flag.value("env", 'e', "set environment variables"), Flag.value("env-file", "read in a file of environment variables"),
                Flag.bool("interactive", 'i', "keep STDIN open even if not attached"),
                Flag.bool("tty", 't', "allocate a pseudo-TTY"), Flag.value("user", 'u', "sets the username or UID used"),
                Flag.value("workdir", 'w', "working directory inside the container"),
                Flag.bool("privileged", "give the process extended Linux capabilities"),
                Flag.value("detach-keys", "select the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")"),
                Flag.bool("latest", 'l', "act on the latest container"));
    }
    public int stopAfterPositionals() { return 1; }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "exec requires the name or ID of a container or the --latest flag");
        List<String> pos = a.positionals();
        if (pos.size() < 2) throw new UsageException("must provide a non-empty command to start an exec session: jpod exec CONTAINER COMMAND [ARG...]");
        List<String> env = new ArrayList<>();
        for (String f : a.all("env-file")) env.addAll(CreateFlags.readEnvFile(f));
        env.addAll(a.all("env"));
        ExecOptions o = new ExecOptions(pos.subList(1, pos.size()), env, a.get("user"), a.get("workdir"),
                a.bool("interactive"), a.bool("tty"), a.bool("detach"), a.bool("privileged"),
                io.jpod.engine.DetachKeys.parse(a.get("detach-keys")));
        if (a.bool("detach")) {
            cli.out.println(cli.engine().execDetached(pos.getFirst(), o));
            return 0;
        }
        cli.flush();
        return cli.engine().exec(pos.getFirst(), o, Streams.system());
    }
}
