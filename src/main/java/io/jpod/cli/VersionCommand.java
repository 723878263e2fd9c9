package io.jpod.cli;

import io.jpod.cli.format.GoTemplate;
import io.jpod.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `version`: jpod's version in podman's layout. */
final class VersionCommand implements Command {
    public String name() { return "version"; }
    public String summary() { return "Display the jpod version information"; }
    public List<Flag> flags() { return List.of(Flag.value("format", 'f', "change the output format to JSON or a Go template")); }

    public int run(Cli cli, Args a) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("APIVersion", Cli.VERSION);
        client.put("Version", Cli.VERSION);
        client.put("GoVersion", "java" + System.getProperty("java.version"));
        client.put("GitCommit", "");
        client.put("BuiltTime", "Thu Jan  1 00:00:00 1970");
        client.put("Built", 0);
        client.put("OsArch", "linux/amd64");
        client.put("Os", "linux");
        Map<String, Object> v = Map.of("Client", client);
        String f = a.get("format");
        if (f == null) {
            // podman's layout: labels padded to 14 columns
            cli.out.print("Client:       jpod Engine\nVersion:      " + Cli.VERSION + "\nAPI Version:  " + Cli.VERSION
                    + "\nGo Version:   java" + System.getProperty("java.version") + "\nBuilt:        "
                    + "Thu Jan  1 00:00:00 1970\nOS/Arch:      linux/amd64\n");
        } else if (f.equals("json")) {
            cli.out.println(Json.write(v)); // podman prints one compact line here
        } else {
            String s = GoTemplate.parse(f).render(v);
            cli.out.print(s.endsWith("\n") ? s : s + "\n");
        }
        return 0;
    }
}
