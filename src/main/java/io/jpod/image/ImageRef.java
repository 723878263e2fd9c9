package io.jpod.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An image reference: [domain/]path[:tag][@digest]. {@link #parse} validates like the distribution reference
 * grammar; a name without a domain is a short name, resolved against local images as podman does.
 */
public record ImageRef(String domain, String path, String tag, String digest) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern DOMAIN = Pattern.compile("(?:[a-zA-Z0-9-]+)(?:\\.[a-zA-Z0-9-]+)*(?::[0-9]+)?");

    public static ImageRef parse(String s) {
        if (s == null || s.isEmpty()) throw invalid(s, "it is empty");
        String rest = s, digest = null, tag = null, domain = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) throw invalid(s, "the digest must be sha256: and 64 hex characters");
        }
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first;
                rest = rest.substring(slash + 1);
                if (!DOMAIN.matcher(domain).matches()) throw invalid(s, "\"" + domain + "\" is not a valid registry host");
            }
        }
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw invalid(s, "\"" + tag + "\" is not a valid tag");
        }
        if (rest.isEmpty()) throw invalid(s, "the repository name is empty");
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw invalid(s, c.equals(c.toLowerCase()) ? "\"" + c + "\" is not a valid name component"
                        : "repository names must be lowercase");
            }
        }
        if (tag == null && digest == null) tag = "latest";
        return new ImageRef(domain, rest, tag, digest);
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("invalid reference format: \"" + s + "\": " + why);
    }

    public boolean isShortName() {
        return domain == null;
    }

    /** The fully qualified name jpod stores: localhost/ is the domain of short names, as podman's import does. */
    public String qualified() {
        String d = domain == null ? "localhost" : domain;
        return d + "/" + path + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The name with docker's default registry for short names (docker-archive RepoTags: "busybox:1"). */
    public String qualifiedDockerStyle() {
        return (domain == null ? "docker.io" : domain) + "/" + path + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Names to try, in order, when looking this reference up among local images. */
    public List<String> localCandidates() {
        List<String> out = new ArrayList<>();
        String suffix = path + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
        if (domain != null) {
            out.add(domain + "/" + suffix);
        } else {
            out.add("localhost/" + suffix);
            if (!path.contains("/")) out.add("docker.io/library/" + suffix);
            out.add("docker.io/" + suffix);
            out.add("quay.io/" + suffix);
        }
        return out;
    }

    /** The repository part of a stored name: "localhost/busybox:latest" -> "localhost/busybox". */
    public static String repository(String name) {
        int at = name.indexOf('@');
        String n = at >= 0 ? name.substring(0, at) : name;
        int slash = n.lastIndexOf('/');
        int colon = n.lastIndexOf(':');
        return colon > slash ? n.substring(0, colon) : n;
    }

    public static String tagOf(String name) {
        int at = name.indexOf('@');
        String n = at >= 0 ? name.substring(0, at) : name;
        int slash = n.lastIndexOf('/');
        int colon = n.lastIndexOf(':');
        return colon > slash ? n.substring(colon + 1) : "<none>";
    }
}
