package io.jpod.cli;

import io.jpod.engine.Report;

import java.util.List;

/** `rmi`: removes images ("Untagged: NAME" then "Deleted: ID", as podman prints). */
final class RmiCommand implements Command {
    public String name() { return "rmi"; }
    public String summary() { return "Removes one or more images from local storage"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "remove all images"), Flag.bool("force", 'f', "remove containers using the image, then the image"));
    }

    public int run(Cli cli, Args a) {
        List<String> names = a.bool("all") ? cli.engine().images().stream().map(i -> i.id()).toList() : a.positionals();
        if (names.isEmpty() && !a.bool("all")) throw new UsageException("image name or ID must be specified");
        var byName = new java.util.HashMap<String, List<String>>();
        for (String n : names) {
            try {
                byName.put(n, cli.engine().inspectImage(n).names());
            } catch (RuntimeException e) {
                byName.put(n, List.of());
            }
        }
        List<Report> reports = cli.engine().removeImages(names, a.bool("force"));
        int code = 0;
        for (Report r : reports) {
            if (r.succeeded()) {
                List<String> before = byName.getOrDefault(r.requested(), List.of());
                List<String> after = cli.engine().imageExists(r.id()) ? cli.engine().inspectImage(r.id()).names() : null;
                for (String n : before) {
                    if (after == null || !after.contains(n)) cli.out.println("Untagged: " + n);
                }
                if (after == null) cli.out.println("Deleted: " + r.id());
            } else if (a.bool("force") && r.error().code() == io.jpod.core.ErrorCode.NOT_FOUND) {
                continue; // podman: rmi -f of an image that is not there is not an error
            } else {
                cli.flush();
                cli.err.println("Error: " + r.error().getMessage());
                // podman rmi: 1 when an image did not exist, 2 when one is in use, 125 otherwise
                int c = switch (r.error().code()) {
                    case NOT_FOUND -> 1;
                    case INVALID_STATE, ALREADY_EXISTS -> 2;
                    default -> 125;
                };
                code = Math.max(code, c == 125 ? 125 : c);
            }
        }
        return code;
    }
}
