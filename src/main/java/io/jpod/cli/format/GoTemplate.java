package io.jpod.cli.format;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A parsed Go text/template (the language of podman's --format), rendered against plain JDK values:
 * a Map is a struct ({@code .Foo} looks up key "Foo", then case-insensitively), plus List, String,
 * Number, Boolean and null.
 */
public final class GoTemplate {
    private static final String DEFAULT_NAME = "format";

    private final String name;
    private final String source;
    private final Node.ListNode root;

    private GoTemplate(String name, String source, Node.ListNode root) {
        this.name = name;
        this.source = source;
        this.root = root;
    }

    /** Parses a template; throws TemplateException with a podman-style message if it is malformed. */
    public static GoTemplate parse(String source) {
        return parse(DEFAULT_NAME, source);
    }

    /** Parses a template whose error messages name it {@code name} (podman uses the command name, e.g. "ps"). */
    public static GoTemplate parse(String name, String source) {
        return new GoTemplate(name, source, Parser.parse(name, source));
    }

    /** Executes the template with {@code data} as dot; throws TemplateException on execution errors. */
    public String render(Object data) {
        StringBuilder sb = new StringBuilder();
        render(data, sb);
        return sb.toString();
    }

    /** Executes the template, appending to {@code out}. */
    public void render(Object data, StringBuilder out) {
        Exec.run(name, source, root, data, out);
    }

    /** The template's source text. */
    public String source() {
        return source;
    }

    /** First field names of every {@code .Field...} reference, in order of appearance (for table headers). */
    Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        collect(root, names);
        return names;
    }

    private static void collect(Node n, Set<String> names) {
        switch (n) {
            case null -> { }
            case Node.Action a -> collect(a.pipe(), names);
            case Node.ListNode l -> l.nodes().forEach(x -> collect(x, names));
            case Node.Branch b -> { collect(b.pipe(), names); collect(b.list(), names); collect(b.elseList(), names); }
            case Node.Pipe p -> p.cmds().forEach(c -> collect(c, names));
            case Node.Command c -> c.args().forEach(a -> collect(a, names));
            case Node.Chain c -> collect(c.base(), names);
            case Node.Field f -> names.add(f.idents().getFirst());
            default -> { }
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
