package io.jpod.cli.format;

import java.util.List;

/** Parse tree of a template, mirroring Go's text/template/parse node kinds; pos is a char offset. */
sealed interface Node {
    int pos();

    record Text(int pos, String text) implements Node {}

    record Action(int pos, Pipe pipe) implements Node {}

    record ListNode(int pos, List<Node> nodes) implements Node {}

    /** if / with / range share a shape; kind tells them apart. */
    record Branch(Kind kind, int pos, Pipe pipe, ListNode list, ListNode elseList) implements Node {}

    enum Kind { IF, WITH, RANGE }

    record Break(int pos) implements Node {}

    record Continue(int pos) implements Node {}

    record Pipe(int pos, boolean isAssign, List<Variable> decl, List<Command> cmds) implements Node {}

    record Command(int pos, List<Node> args) implements Node {}

    /** .A.B; idents without the dots. */
    record Field(int pos, List<String> idents) implements Node {}

    /** $x.A.B; idents.get(0) is the variable name including '$'. */
    record Variable(int pos, List<String> idents) implements Node {}

    /** (pipeline).A.B or similar: fields applied to a non-field term. */
    record Chain(int pos, Node base, List<String> fields) implements Node {}

    record Identifier(int pos, String name, Funcs.Def def) implements Node {}

    record Dot(int pos) implements Node {}

    record Nil(int pos) implements Node {}

    record Bool(int pos, boolean value) implements Node {}

    /** value is a Long or a Double following Go's idealConstant rules; isInt when usable as an int argument. */
    record Number(int pos, String text, Object value, boolean isInt, long intValue) implements Node {}

    record Str(int pos, String quoted, String text) implements Node {}

    /** Parse-only markers returned by itemList. */
    record End(int pos) implements Node {}

    record Else(int pos, int line) implements Node {}

    /** Go's Node.String(): used for "executing ... at <...>" error context. */
    static String str(Node n) {
        StringBuilder sb = new StringBuilder();
        str(sb, n);
        return sb.toString();
    }

    private static void str(StringBuilder sb, Node n) {
        switch (n) {
            case Text t -> sb.append(t.text());
            case Action a -> { sb.append("{{"); str(sb, a.pipe()); sb.append("}}"); }
            case ListNode l -> l.nodes().forEach(x -> str(sb, x));
            case Branch b -> {
                sb.append("{{").append(b.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
                str(sb, b.pipe());
                sb.append("}}");
                str(sb, b.list());
                if (b.elseList() != null) { sb.append("{{else}}"); str(sb, b.elseList()); }
                sb.append("{{end}}");
            }
            case Break b -> sb.append("{{break}}");
            case Continue c -> sb.append("{{continue}}");
            case Pipe p -> {
                for (int i = 0; i < p.decl().size(); i++) {
                    if (i > 0) sb.append(", ");
                    str(sb, p.decl().get(i));
                }
                if (!p.decl().isEmpty()) sb.append(p.isAssign() ? " = " : " := ");
                for (int i = 0; i < p.cmds().size(); i++) {
                    if (i > 0) sb.append(" | ");
                    str(sb, p.cmds().get(i));
                }
            }
            case Command c -> {
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) sb.append(' ');
                    Node a = c.args().get(i);
                    if (a instanceof Pipe) { sb.append('('); str(sb, a); sb.append(')'); } else str(sb, a);
                }
            }
            case Field f -> f.idents().forEach(id -> sb.append('.').append(id));
            case Variable v -> sb.append(String.join(".", v.idents()));
            case Chain c -> {
                if (c.base() instanceof Pipe) { sb.append('('); str(sb, c.base()); sb.append(')'); } else str(sb, c.base());
                c.fields().forEach(f -> sb.append('.').append(f));
            }
            case Identifier i -> sb.append(i.name());
            case Dot d -> sb.append('.');
            case Nil x -> sb.append("nil");
            case Bool b -> sb.append(b.value());
            case Number x -> sb.append(x.text());
            case Str s -> sb.append(s.quoted());
            case End e -> sb.append("{{end}}");
            case Else e -> sb.append("{{else}}");
        }
    }
}
