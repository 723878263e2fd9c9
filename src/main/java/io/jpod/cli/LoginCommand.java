package io.jpod.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** `login [REGISTRY]`: checks the credentials with the registry, then stores them in the auth file. */
final class LoginCommand implements Command {
    public String name() { return "login"; }
    public String summary() { return "Log in to a container registry"; }
    public List<Flag> flags() {
        List<Flag> f = new ArrayList<>(RegistryFlags.flags(false, false));
        f.add(Flag.value("username", 'u', "username for registry"));
        f.add(Flag.value("password", 'p', "password for registry"));
        f.add(Flag.bool("password-stdin", "take the password from stdin"));
        return f;
    }

    public int run(Cli cli, Args a) throws Exception {
        if (a.positionals().size() != 1) throw new UsageException("jpod login takes one registry: jpod login REGISTRY");
        String user = a.has("username") ? a.get("username") : null;
        String pass = a.has("password") ? a.get("password") : null;
        if (a.bool("password-stdin")) {
            if (pass != null) throw new UsageException("--password and --password-stdin are mutually exclusive");
            pass = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (pass == null) pass = "";
        }
        var console = System.console();
        if (user == null) {
            if (console == null) throw new UsageException("no username given and no terminal to ask for one: use --username");
            user = console.readLine("Username: ");
        }
        if (pass == null) {
            if (console == null) throw new UsageException("no password given and no terminal to ask for one: use --password-stdin");
            char[] pw = console.readPassword("Password: ");
            pass = pw == null ? "" : new String(pw);
        }
        if (user == null || user.isEmpty()) throw new UsageException("the username is empty");
        cli.engine().login(a.positionals().getFirst(), user, pass, RegistryFlags.parse(a));
        cli.out.println("Login Succeeded!");
        return 0;
    }
}
