package io.jpod.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `push IMAGE [DESTINATION]`: progress on stderr; --digestfile gets the pushed manifest digest. */
final class PushCommand implements Command {
    public String name() { return "push"; }
    public String summary() { return "Push an image to a specified destination"; }
    public List<Flag> flags() {
        List<Flag> f = new ArrayList<>(RegistryFlags.flags(false, true));
        f.add(Flag.bool("quiet", 'q', "suppress output information when pushing images"));
        f.add(Flag.value("digestfile", "write the digest of the pushed image to the specified file"));
        return f;
    }

    public int run(Cli cli, Args a) throws Exception {
        List<String> p = a.positionals();
        if (p.isEmpty() || p.size() > 2) throw new UsageException("jpod push takes an image and an optional destination: jpod push IMAGE [DESTINATION]");
        String dest = p.size() == 2 ? p.get(1) : null;
        if (dest != null && dest.startsWith("docker://")) dest = dest.substring("docker://".length());
        String digest = cli.engine().push(p.getFirst(), dest, RegistryFlags.parse(a), a.bool("quiet") ? s -> { } : cli.err::println);
        if (a.has("digestfile")) Files.writeString(Path.of(a.get("digestfile")), digest);
        return 0;
    }
}
