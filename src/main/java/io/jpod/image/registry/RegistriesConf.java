package io.jpod.image.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * containers-registries.conf(5), podman's file and format (version 2, and version 1's [registries.*] tables):
 * unqualified-search-registries, short-name-mode, [aliases], and [[registry]] entries with prefix, location,
 * insecure and blocked. Drop-ins in registries.conf.d/*.conf are read after the main file, in name order; later
 * files override scalar settings and add registries and aliases, as containers/image merges them.
 */
public record RegistriesConf(List<String> searchRegistries, String shortNameMode, List<Registry> registries,
                             Map<String, String> aliases, String source) {
    public static final Path DEFAULT = Path.of("/etc/containers/registries.conf");

    /** One [[registry]] entry: images under {@code prefix} are fetched from {@code location}. */
    public record Registry(String prefix, String location, boolean insecure, boolean blocked) {}

    public static RegistriesConf empty() {
        return new RegistriesConf(List.of(), "", List.of(), Map.of(), DEFAULT.toString());
    }

    /** Loads {@code file} and the .conf files in {@code dropIns}; a missing file is an empty configuration. */
    public static RegistriesConf load(Path file, Path dropIns) throws IOException {
        Builder b = new Builder();
        b.read(file);
        if (dropIns != null && Files.isDirectory(dropIns)) {
            try (Stream<Path> s = Files.list(dropIns)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList()) b.read(p);
            }
        }
        return new RegistriesConf(List.copyOf(b.search), b.mode, List.copyOf(b.registries.values()),
                Map.copyOf(b.aliases), file.toString());
    }

    /** The entry whose prefix best matches "domain/path" (longest prefix on a path boundary), or null. */
    public Registry find(String name) {
        Registry best = null;
        for (Registry r : registries) {
            String p = r.prefix();
            boolean match = name.equals(p) || name.startsWith(p + "/") || name.startsWith(p + ":") || name.startsWith(p + "@")
                    || p.startsWith("*.") && host(name).endsWith(p.substring(1));
            if (match && (best == null || p.length() > best.prefix().length())) best = r;
        }
        return best;
    }

    public boolean isInsecure(String registryHost) {
        Registry r = find(registryHost);
        return r != null && r.insecure();
    }

    private static String host(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    private static final class Builder {
        final List<String> search = new ArrayList<>();
        String mode = "";
        final Map<String, Registry> registries = new LinkedHashMap<>();
        final Map<String, String> aliases = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        void read(Path p) throws IOException {
            String text;
            try {
                text = Files.readString(p);
            } catch (NoSuchFileException e) {
                return;
            }
            Map<String, Object> doc = Toml.parse(text, p.toString());
            if (doc.get("unqualified-search-registries") instanceof List<?> l) {
                search.clear();
                l.forEach(o -> search.add(o.toString()));
            }
            if (doc.get("short-name-mode") instanceof String s) mode = s;
            if (doc.get("aliases") instanceof Map<?, ?> a) a.forEach((k, v) -> aliases.put(k.toString(), v.toString()));
            if (doc.get("registry") instanceof List<?> regs) {
                for (Object o : regs) {
                    if (!(o instanceof Map<?, ?> m)) continue;
                    String location = m.get("location") instanceof String s ? s : "";
                    String prefix = m.get("prefix") instanceof String s && !s.isEmpty() ? s : location;
                    if (prefix.isEmpty()) throw new IllegalArgumentException(p + ": a [[registry]] has neither prefix nor location");
                    registries.put(prefix, new Registry(prefix, location.isEmpty() ? prefix : location,
                            Boolean.TRUE.equals(m.get("insecure")), Boolean.TRUE.equals(m.get("blocked"))));
                }
            }
            // version 1: [registries.search] registries = [...], and .insecure / .block
            if (doc.get("registries") instanceof Map<?, ?> v1) {
                if (v1.get("search") instanceof Map<?, ?> s && s.get("registries") instanceof List<?> l) {
                    search.clear();
                    l.forEach(o -> search.add(o.toString()));
                }
                for (String kind : new String[] {"insecure", "block"}) {
                    if (v1.get(kind) instanceof Map<?, ?> s && s.get("registries") instanceof List<?> l) {
                        for (Object o : l) {
                            String h = o.toString();
                            Registry old = registries.get(h);
                            boolean insecure = kind.equals("insecure") || old != null && old.insecure();
                            boolean blocked = kind.equals("block") || old != null && old.blocked();
                            registries.put(h, new Registry(h, h, insecure, blocked));
                        }
                    }
                }
            }
        }
    }
}
