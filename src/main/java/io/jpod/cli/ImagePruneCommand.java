package io.jpod.cli;

import io.jpod.core.JpodException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** `image prune [-a] [-f]`: removes dangling (or, with -a, all unused) images after asking, as podman does. */
final class ImagePruneCommand implements Command {
    public String name() { return "image-prune"; }
    public String summary() { return "Remove unused images"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "remove all images not in use by containers, not just dangling ones"),
                Flag.bool("force", 'f', "do not prompt for confirmation"),
                Flag.value("filter", "provide filter values (not supported yet)"));
    }

    public int run(Cli cli, Args a) throws Exception {
        if (a.has("filter")) throw JpodException.invalid("image prune --filter is not supported yet: prune without it");
        boolean all = a.bool("all");
        if (!a.bool("force")) {
            cli.out.print(all ? "WARNING! This command removes all images without at least one container associated with them.\n"
                    : "WARNING! This command removes all dangling images.\n");
            cli.out.print("Are you sure you want to continue? [y/N] ");
            cli.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null) throw JpodException.invalid("EOF");
            if (!answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) return 0;
        }
        for (String id : cli.engine().pruneImages(all)) cli.out.println(id);
        return 0;
    }
}
