package io.jpod.cli;

import io.jpod.cli.format.GoTemplate;
import io.jpod.json.Json;

import java.util.List;
import java.util.Map;

/** `info`: host, store and runtime facts, as JSON or through a template ({{.Host.LogDriver}}). */
final class InfoCommand implements Command {
    public String name() { return "info"; }
    public String summary() { return "Display jpod system information"; }
    public List<Flag> flags() { return List.of(Flag.value("format", 'f', "change the output format to JSON or a Go template")); }

    public int run(Cli cli, Args a) {
        Map<String, Object> info = cli.engine().info();
        String f = a.get("format");
        if (f == null) {
            cli.out.print(Yaml.write(info)); // podman's default is YAML
        } else if (f.equals("json")) {
            cli.out.println(Json.writePretty(info, "  "));
        } else {
            String s = GoTemplate.parse(f).render(withGoFieldNames(info));
            cli.out.print(s.endsWith("\n") ? s : s + "\n");
        }
        return 0;
    }

    /** Templates name podman's Go fields; the two whose names differ from the JSON keys get an alias. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withGoFieldNames(Map<String, Object> info) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(info);
        Map<String, Object> host = new java.util.LinkedHashMap<>((Map<String, Object>) info.get("host"));
        host.put("CgroupsVersion", host.get("cgroupVersion"));
        host.put("OCIRuntime", host.get("ociRuntime"));
        m.put("host", host);
        return m;
    }
}
