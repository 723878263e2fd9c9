package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.core.JpodException;
import io.jpod.image.Image;
import io.jpod.image.ImageRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** `images`: local images, newest first, with podman's columns, filters and JSON. */
final class ImagesCommand implements Command {
    static final String DEFAULT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final String DIGESTS = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT");

    public String name() { return "images"; }
    public String summary() { return "List images in local storage"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "show all images"), Flag.bool("quiet", 'q', "display only image IDs"),
                Flag.bool("no-trunc", "do not truncate output"), Flag.value("format", "change the output format"),
                Flag.bool("noheading", 'n', "do not print column headings"), Flag.bool("digests", "show digests"),
                Flag.value("filter", 'f', "filter output based on conditions provided"),
                Flag.value("sort", "sort by created, id, repository, size or tag (default created)"));
    }

    public int run(Cli cli, Args a) {
        Instant now = Instant.now();
        List<Image> images = new ArrayList<>(cli.engine().images());
        List<Container> containers = cli.engine().list();
        boolean noTrunc = a.bool("no-trunc");
        List<String> filters = new ArrayList<>(a.all("filter"));
        for (String p : a.positionals()) filters.add("reference=" + p);
        images.removeIf(i -> !matches(cli, i, filters, images));
        String sort = a.get("sort", "created");
        Comparator<Image> order = switch (sort) {
            case "created" -> Comparator.comparing(Image::created).reversed();
            case "id" -> Comparator.comparing(Image::id);
            case "size" -> Comparator.comparingLong(Image::size);
            case "repository", "tag" -> Comparator.comparing(i -> i.names().isEmpty() ? "~" : i.names().getFirst());
            default -> throw new UsageException("invalid option for --sort \"" + sort + "\": use created, id, repository, size or tag");
        };
        images.sort(order);
        if (a.bool("quiet")) {
            for (Image i : images) cli.out.println(noTrunc ? "sha256:" + i.id() : i.id().substring(0, 12));
            return 0;
        }
        List<Views.Row> rows = new ArrayList<>();
        for (Image i : images) {
            int users = (int) containers.stream().filter(c -> c.config().imageId().equals(i.id())).count();
            rows.addAll(Views.imageRows(i, noTrunc, now, users));
        }
        String table = a.bool("digests") ? DIGESTS : DEFAULT;
        String format = a.get("format");
        if (a.bool("noheading") && format == null) format = table.substring("table ".length());
        Output.rows(cli, format, table, rows, HEADERS, "    ");
        return 0;
    }

    static boolean matches(Cli cli, Image img, List<String> filters, List<Image> all) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            String key = eq < 0 ? f : f.substring(0, eq);
            String value = eq < 0 ? "" : f.substring(eq + 1);
            boolean ok = switch (key) {
                case "dangling" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw JpodException.invalid("invalid filter dangling=" + value + ": use true or false");
                    }
                    yield img.names().isEmpty() == value.equals("true");
                }
                case "reference" -> img.names().stream().anyMatch(n -> referenceMatches(value, n));
                case "label" -> {
                    int e2 = value.indexOf('=');
                    Map<String, String> labels = img.labels();
                    yield e2 < 0 ? labels.containsKey(value) : value.substring(e2 + 1).equals(labels.get(value.substring(0, e2)));
                }
                case "id" -> img.id().startsWith(value.startsWith("sha256:") ? value.substring(7) : value);
                case "digest" -> img.digest().equals(value);
                case "before", "since" -> {
                    Image ref = cli.engine().inspectImage(value);
                    yield key.equals("before") ? img.created().isBefore(ref.created()) : img.created().isAfter(ref.created());
                }
                case "containers" -> throw JpodException.invalid("unsupported image filter \"containers\"");
                default -> throw JpodException.invalid("unsupported image filter \"" + key + "\"");
            };
            if (!ok) return false;
        }
        return true;
    }

    /** podman's reference filter: a glob against the full name, the repository, or its last path part. */
    static boolean referenceMatches(String pattern, String name) {
        Pattern glob = glob(pattern);
        String repo = ImageRef.repository(name);
        String last = repo.substring(repo.lastIndexOf('/') + 1);
        Set<String> forms = new LinkedHashSet<>(List.of(name, repo, last));
        String tag = ImageRef.tagOf(name);
        if (!tag.equals("<none>")) forms.add(last + ":" + tag);
        int slash = repo.indexOf('/');
        if (slash > 0) { // without the registry: "test/busybox" for 127.0.0.1:5000/test/busybox
            String path = repo.substring(slash + 1);
            forms.add(path);
            if (!tag.equals("<none>")) forms.add(path + ":" + tag);
        }
        return forms.stream().anyMatch(f -> glob.matcher(f).matches());
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
