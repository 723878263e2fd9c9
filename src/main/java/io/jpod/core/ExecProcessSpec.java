package io.jpod.core;

import io.jpod.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exec session's OCI process, as podman makes it: the container's own process from its config.json (so
 * rlimits, capabilities, AppArmor/SELinux labels and no_new_privs are the container's), with the session's args,
 * environment (the container's, then the session's on top), user, working directory and terminal.
 */
final class ExecProcessSpec {
    private ExecProcessSpec() {}

    @SuppressWarnings("unchecked")
    static String json(Map<String, Object> containerProcess, List<String> args, List<String> env, String cwd,
                       UserResolver.User user, boolean tty, List<String> privilegedCaps, int[] consoleSize) {
        Map<String, Object> p = new LinkedHashMap<>(containerProcess);
        p.put("terminal", tty);
        if (tty && consoleSize != null) p.put("consoleSize", Map.of("height", consoleSize[0], "width", consoleSize[1]));
        else p.remove("consoleSize");
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) u.put("additionalGids", user.additionalGids());
        p.put("user", u);
        p.put("args", args);
        List<String> base = p.get("env") instanceof List<?> l ? (List<String>) l : List.of();
        List<String> merged = mergeEnv(base, env);
        if (tty && merged.stream().noneMatch(e -> e.startsWith("TERM="))) merged.add("TERM=xterm");
        p.put("env", merged);
        if (cwd != null && !cwd.isEmpty()) p.put("cwd", cwd);
        if (privilegedCaps != null) {
            Map<String, Object> caps = new LinkedHashMap<>();
            for (String set : List.of("bounding", "effective", "permitted")) caps.put(set, privilegedCaps);
            p.put("capabilities", caps);
        }
        return Json.write(p);
    }

    /** KEY=VALUE lists, later ones replacing earlier ones of the same key, in first-seen order. */
    static List<String> mergeEnv(List<String> base, List<String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : base) m.put(key(e), e);
        for (String e : extra) m.put(key(e), e);
        return new ArrayList<>(m.values());
    }

    private static String key(String e) {
        int i = e.indexOf('=');
        return i < 0 ? e : e.substring(0, i);
    }
}
