package io.jpod.cli.format;

import io.jpod.cli.format.Funcs.P;
import io.jpod.cli.format.Node.Branch;
import io.jpod.cli.format.Node.Chain;
import io.jpod.cli.format.Node.Command;
import io.jpod.cli.format.Node.Field;
import io.jpod.cli.format.Node.Identifier;
import io.jpod.cli.format.Node.Pipe;
import io.jpod.cli.format.Node.Variable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Executes a parse tree against data, following Go's text/template exec.go: the same evaluation
 * order, variable scoping, missing-key behaviour and "executing ... at <node>" error messages.
 */
final class Exec {
    /** Marks "no value piped in", distinct from a piped-in missing value. */
    private static final Object NO_FINAL = new Object();

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final String name;
    private final String source;
    private final StringBuilder out;
    private final List<String> varNames = new ArrayList<>();
    private final List<Object> varValues = new ArrayList<>();
    private Node current;

    private Exec(String name, String source, StringBuilder out) {
        this.name = name;
        this.source = source;
        this.out = out;
    }

    static void run(String name, String source, Node.ListNode root, Object data, StringBuilder out) {
        Exec e = new Exec(name, source, out);
        e.push("$", data);
        e.walk(data, root);
    }

    // ---- errors ----

    private TemplateException error(String msg) {
        if (current == null) return new TemplateException("template: " + name + ": " + msg);
        int pos = Math.min(current.pos(), source.length());
        int nl = source.lastIndexOf('\n', pos - 1);
        int line = 1;
        for (int k = 0; k < pos; k++) if (source.charAt(k) == '\n') line++;
        int col = nl < 0 ? pos : pos - nl - 1;
        String context = Node.str(current);
        if (context.codePointCount(0, context.length()) > 20) {
            context = context.substring(0, context.offsetByCodePoints(0, 20)) + "...";
        }
        return new TemplateException("template: " + name + ":" + line + ":" + col + ": executing "
                + GoFmt.quote(name, false) + " at <" + context + ">: " + msg);
    }

    // ---- variables ----

    private void push(String n, Object v) {
        varNames.add(n);
        varValues.add(v);
    }

    private int mark() {
        return varNames.size();
    }

    private void pop(int mark) {
        varNames.subList(mark, varNames.size()).clear();
        varValues.subList(mark, varValues.size()).clear();
    }

    private void setVar(String n, Object v) {
        for (int k = varNames.size() - 1; k >= 0; k--) {
            if (varNames.get(k).equals(n)) { varValues.set(k, v); return; }
        }
        throw error("undefined variable: " + n);
    }

    private Object varValue(String n) {
        for (int k = varNames.size() - 1; k >= 0; k--) if (varNames.get(k).equals(n)) return varValues.get(k);
        throw error("undefined variable: " + n);
    }

    // ---- walking ----

    private Flow walk(Object dot, Node node) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Action a -> {
                current = a;
                Object v = evalPipeline(dot, a.pipe());
                if (a.pipe().decl().isEmpty()) printValue(a, v);
            }
            case Node.ListNode l -> {
                for (Node n : l.nodes()) {
                    Flow f = walk(dot, n);
                    if (f != Flow.NORMAL) return f;
                }
            }
            case Branch b when b.kind() == Node.Kind.RANGE -> { return walkRange(dot, b); }
            case Branch b -> {
                int mark = mark();
                try {
                    Object v = evalPipeline(dot, b.pipe());
                    if (Values.truth(v)) return walk(b.kind() == Node.Kind.WITH ? v : dot, b.list());
                    if (b.elseList() != null) return walk(dot, b.elseList());
                } finally {
                    pop(mark);
                }
            }
            case Node.Break b -> { return Flow.BREAK; }
            case Node.Continue c -> { return Flow.CONTINUE; }
            default -> throw error("unknown node: " + Node.str(node));
        }
        return Flow.NORMAL;
    }

    private Flow walkRange(Object dot, Branch r) {
        current = r;
        int outer = mark();
        try {
            Object val = Values.norm(evalPipeline(dot, r.pipe()));
            List<Variable> decl = r.pipe().decl();
            int inner = mark();
            boolean ran = false;
            switch (val) {
                case Collection<?> c -> {
                    int i = 0;
                    for (Object elem : c) {
                        ran = true;
                        if (iteration(dot, r, decl, inner, (long) i++, elem) == Flow.BREAK) break;
                    }
                }
                case Map<?, ?> m -> {
                    for (Map.Entry<?, ?> e : Values.sortedEntries(m)) {
                        ran = true;
                        if (iteration(dot, r, decl, inner, e.getKey(), e.getValue()) == Flow.BREAK) break;
                    }
                }
                case null -> { }
                case Values.NoValue n -> { }
                default -> {
                    if (!Values.isInt(val)) throw error("range can't iterate over " + GoFmt.toV(val));
                    // Go 1.22 range-over-int
                    if (decl.size() > 1) throw error("can't use " + GoFmt.toV(val) + " to iterate over more than one variable");
                    long n = ((Number) val).longValue();
                    for (long i = 0; i < n; i++) {
                        ran = true;
                        if (iteration(dot, r, decl, inner, i, i) == Flow.BREAK) break;
                    }
                }
            }
            if (!ran && r.elseList() != null) return walk(dot, r.elseList());
            return Flow.NORMAL;
        } finally {
            pop(outer);
        }
    }

    private Flow iteration(Object dot, Branch r, List<Variable> decl, int mark, Object index, Object elem) {
        // the declared variables sit just below mark: $elem on top, $index under it (Go's setTopVar)
        if (!decl.isEmpty()) {
            if (r.pipe().isAssign()) {
                if (decl.size() > 1) { setVar(decl.get(0).idents().getFirst(), index); setVar(decl.get(1).idents().getFirst(), elem); }
                else setVar(decl.get(0).idents().getFirst(), elem);
            } else {
                varValues.set(mark - 1, elem);
                if (decl.size() > 1) varValues.set(mark - 2, index);
            }
        }
        try {
            Flow f = walk(elem, r.list());
            return f == Flow.BREAK ? Flow.BREAK : Flow.NORMAL;
        } finally {
            pop(mark);
        }
    }

    private void printValue(Node n, Object v) {
        current = n;
        if (v == null || v == Values.MISSING) out.append("<no value>");
        else GoFmt.printV(out, v);
    }

    // ---- evaluation ----

    private Object evalPipeline(Object dot, Pipe pipe) {
        current = pipe;
        Object value = NO_FINAL;
        for (Command cmd : pipe.cmds()) {
            value = evalCommand(dot, cmd, value);
            // Go turns a nil interface result into an invalid value ("lovely!" in exec.go)
            if (value == null) value = Values.MISSING;
        }
        for (Variable v : pipe.decl()) {
            if (pipe.isAssign()) setVar(v.idents().getFirst(), value);
            else push(v.idents().getFirst(), value);
        }
        return value;
    }

    private Object evalCommand(Object dot, Command cmd, Object fin) {
        Node first = cmd.args().getFirst();
        switch (first) {
            case Field f -> { return evalField(dot, f, cmd.args(), fin); }
            case Chain c -> { return evalChain(dot, c, cmd.args(), fin); }
            case Identifier id -> { return evalFunction(dot, id, cmd, cmd.args(), fin); }
            case Pipe p -> {
                notAFunction(cmd.args(), fin);
                return evalPipeline(dot, p);
            }
            case Variable v -> { return evalVariable(dot, v, cmd.args(), fin); }
            default -> { }
        }
        current = first;
        notAFunction(cmd.args(), fin);
        return switch (first) {
            case Node.Bool b -> b.value();
            case Node.Dot d -> dot;
            case Node.Nil n -> throw error("nil is not a command");
            case Node.Number n -> n.value();
            case Node.Str s -> s.text();
            default -> throw error("can't evaluate command " + GoFmt.quote(Node.str(first), false));
        };
    }

    private void notAFunction(List<Node> args, Object fin) {
        if (args.size() > 1 || fin != NO_FINAL) throw error("can't give argument to non-function " + Node.str(args.getFirst()));
    }

    private Object evalField(Object dot, Field f, List<Node> args, Object fin) {
        current = f;
        return evalFieldChain(dot, f.idents(), 0, args, fin);
    }

    private Object evalChain(Object dot, Chain c, List<Node> args, Object fin) {
        current = c;
        if (c.base() instanceof Node.Nil) throw error("indirection through explicit nil in " + Node.str(c));
        Object base = evalArg(dot, P.ANY, c.base());
        current = c;
        return evalFieldChain(base, c.fields(), 0, args, fin);
    }

    private Object evalVariable(Object dot, Variable v, List<Node> args, Object fin) {
        current = v;
        Object value = varValue(v.idents().getFirst());
        if (v.idents().size() == 1) {
            notAFunction(args, fin);
            return value;
        }
        return evalFieldChain(value, v.idents(), 1, args, fin);
    }

    private Object evalFieldChain(Object receiver, List<String> idents, int from, List<Node> args, Object fin) {
        int n = idents.size();
        for (int k = from; k < n - 1; k++) receiver = fieldOf(receiver, idents.get(k), false);
        return fieldOf(receiver, idents.get(n - 1), args.size() > 1 || fin != NO_FINAL);
    }

    private Object fieldOf(Object receiver, String fieldName, boolean hasArgs) {
        Object r = Values.norm(receiver);
        if (r == Values.MISSING) return Values.MISSING;
        if (r == null) throw error("nil pointer evaluating interface {}." + fieldName);
        if (r instanceof Map<?, ?> m) {
            if (hasArgs) throw error(fieldName + " is not a method but has arguments");
            return Values.field(m, fieldName);
        }
        throw error("can't evaluate field " + fieldName + " in type " + Values.goType(r));
    }

    private Object evalFunction(Object dot, Identifier id, Node cmd, List<Node> args, Object fin) {
        current = id;
        Funcs.Def def = id.def();
        int given = args.size() - 1 + (fin != NO_FINAL ? 1 : 0);
        int fixed = def.fixed().size();
        if (def.variadic() != null) {
            if (given < fixed) {
                throw error("wrong number of args for " + def.name() + ": want at least " + fixed + " got " + (args.size() - 1));
            }
        } else if (given != fixed) {
            throw error("wrong number of args for " + def.name() + ": want " + fixed + " got " + given);
        }
        if (def.impl() == null) return andOr(dot, def.name().equals("or"), args, fin);
        Object[] argv = new Object[given];
        for (int k = 1; k < args.size(); k++) argv[k - 1] = evalArg(dot, def.param(k - 1), args.get(k));
        if (fin != NO_FINAL) argv[given - 1] = validate(fin, def.param(given - 1));
        try {
            return def.impl().call(argv);
        } catch (Funcs.CallError e) {
            current = cmd;
            throw error("error calling " + def.name() + ": " + e.getMessage());
        }
    }

    /** and/or evaluate lazily and return the deciding operand itself, as Go 1.18+ does. */
    private Object andOr(Object dot, boolean or, List<Node> args, Object fin) {
        Object v = null;
        for (int k = 1; k < args.size(); k++) {
            v = evalArg(dot, P.ANY, args.get(k));
            if (Values.truth(v) == or) return v;
        }
        if (fin != NO_FINAL) v = validate(fin, P.ANY);
        return v;
    }

    private Object evalArg(Object dot, P kind, Node n) {
        current = n;
        switch (n) {
            case Node.Dot d -> { return validate(dot, kind); }
            case Node.Nil x -> {
                if (kind == P.ANY) return null;
                if (kind == P.LIST) return List.of();
                throw error("cannot assign nil to " + kind.goName);
            }
            case Field f -> { return validate(evalField(dot, f, List.of(n), NO_FINAL), kind); }
            case Variable v -> { return validate(evalVariable(dot, v, List.of(n), NO_FINAL), kind); }
            case Pipe p -> { return validate(evalPipeline(dot, p), kind); }
            case Identifier id -> { return validate(evalFunction(dot, id, id, List.of(n), NO_FINAL), kind); }
            case Chain c -> { return validate(evalChain(dot, c, List.of(n), NO_FINAL), kind); }
            default -> { }
        }
        current = n;
        return switch (kind) {
            case ANY -> switch (n) {
                case Node.Bool b -> b.value();
                case Node.Number x -> x.value();
                case Node.Str s -> s.text();
                default -> throw error("can't handle " + Node.str(n) + " for arg of type interface {}");
            };
            case STRING -> {
                if (n instanceof Node.Str s) yield s.text();
                throw error("expected string; found " + Node.str(n));
            }
            case INT -> {
                if (n instanceof Node.Number x && x.isInt()) yield x.intValue();
                throw error("expected integer; found " + Node.str(n));
            }
            case LIST -> throw error("can't handle " + Node.str(n) + " for arg of type []string");
        };
    }

    /** Go's validateType: converts a computed value to a parameter kind or reports the mismatch. */
    private Object validate(Object raw, P kind) {
        Object v = Values.norm(raw);
        boolean nil = v == null || v == Values.MISSING;
        switch (kind) {
            case ANY -> { return v == Values.MISSING ? null : v; }
            case LIST -> {
                if (nil) return List.of();
                if (v instanceof Collection<?> c) return Values.asList(c);
            }
            case STRING -> {
                if (v instanceof String) return v;
                if (nil) throw error("invalid value; expected string");
            }
            case INT -> {
                if (Values.isInt(v)) return ((Number) v).longValue();
                if (Values.isFloat(v)) {
                    double d = Values.toDouble(v);
                    if (d == Math.rint(d) && Math.abs(d) < 0x1p63) return (long) d;
                }
                if (nil) throw error("invalid value; expected int");
            }
        }
        throw error("wrong type for value; expected " + kind.goName + "; got " + Values.goType(v));
    }
}
