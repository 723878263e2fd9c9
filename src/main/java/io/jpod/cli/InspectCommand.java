package io.jpod.cli;

import io.jpod.cli.format.GoTemplate;
import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import io.jpod.engine.ContainerEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `inspect`: containers or images as JSON, or through a Go template. */
final class InspectCommand implements Command {
    public String name() { return "inspect"; }
    public String summary() { return "Display the configuration of object denoted by ID"; }
    public List<Flag> flags() {
        return List.of(Flag.value("format", 'f', "format the output using the given Go template"),
                Flag.value("type", 't', "specify inspect-object type (\"image\", \"container\" or \"all\")"),
                Flag.bool("size", 's', "display total file size"), Flag.bool("latest", 'l', "act on the latest container"));
    }

    public int run(Cli cli, Args a) {
        Cli.requireArgs(a, 1, "no names or ids specified: give a container or image name");
        String type = a.get("type", "all");
        if (!List.of("all", "container", "image").contains(type)) {
            throw new UsageException("invalid type \"" + type + "\": must be a container or image");
        }
        ContainerEngine e = cli.engine();
        List<Map<String, Object>> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String n : a.positionals()) {
            try {
                if (!type.equals("image")) {
                    try {
                        io.jpod.core.Container c = e.inspect(n);
                        found.add(Views.inspect(c, e.layout(), e.endpoints(c)));
                        continue;
                    } catch (JpodException x) {
                        if (x.code() != ErrorCode.NOT_FOUND || type.equals("container")) throw x;
                    }
                }
                found.add(Views.inspectImage(e.inspectImage(n)));
            } catch (JpodException x) {
                if (x.code() == ErrorCode.NOT_FOUND) errors.add("no such object: \"" + n + "\"");
                else errors.add(x.getMessage());
            }
        }
        String format = a.get("format");
        if (format == null || format.equals("json")) {
            cli.printJson(found);
        } else {
            GoTemplate t = GoTemplate.parse(format);
            for (Map<String, Object> m : found) {
                String s = t.render(m);
                cli.out.print(s.endsWith("\n") ? s : s + "\n");
            }
        }
        if (errors.isEmpty()) return 0;
        cli.flush();
        for (int i = 0; i < errors.size() - 1; i++) cli.err.println("Error: " + errors.get(i));
        cli.err.println("Error: " + errors.getLast());
        return 125;
    }
}
