package io.jpod.image;

import io.jpod.image.registry.RegistriesConf;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a user typed into the fully qualified references to try, as podman does: a name with a registry is
 * used as is; a short name goes through registries.conf aliases, then unqualified-search-registries, in order.
 * With short-name-mode "enforcing" and several search registries, an ambiguous short name is an error without a TTY.
 */
public final class Resolver {
    private final RegistriesConf conf;
    private final boolean tty;

    public Resolver(RegistriesConf conf, boolean tty) {
        this.conf = conf;
        this.tty = tty;
    }

    public List<ImageRef> candidates(String input) {
        ImageRef ref = ImageRef.parse(input);
        if (!ref.isShortName()) return List.of(normalize(ref));
        String alias = conf.aliases().get(ref.path());
        if (alias != null) {
            ImageRef a = ImageRef.parse(alias);
            return List.of(normalize(new ImageRef(a.domain(), a.path(), ref.digest() != null ? null : ref.tag(), ref.digest())));
        }
        List<String> search = conf.searchRegistries();
        if (search.isEmpty()) {
            throw new IllegalArgumentException("short-name \"" + input + "\" did not resolve to an alias and no"
                    + " unqualified-search registries are defined in \"" + conf.source() + "\": use a fully qualified"
                    + " name such as docker.io/library/" + ref.path());
        }
        if ("enforcing".equals(conf.shortNameMode()) && search.size() > 1 && !tty) {
            throw new IllegalArgumentException("short-name resolution enforced but cannot prompt without a TTY: \""
                    + input + "\" could come from " + String.join(", ", search) + "; use a fully qualified name");
        }
        List<ImageRef> out = new ArrayList<>();
        for (String r : search) out.add(normalize(new ImageRef(r, ref.path(), ref.tag(), ref.digest())));
        return out;
    }

    /** docker.io/busybox is docker.io/library/busybox; index.docker.io is docker.io. */
    public static ImageRef normalize(ImageRef r) {
        String domain = r.domain();
        if ("index.docker.io".equals(domain) || "registry-1.docker.io".equals(domain)) domain = "docker.io";
        String path = r.path();
        if ("docker.io".equals(domain) && !path.contains("/")) path = "library/" + path;
        return new ImageRef(domain, path, r.tag(), r.digest());
    }
}
