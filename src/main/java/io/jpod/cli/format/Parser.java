package io.jpod.cli.format;

import io.jpod.cli.format.Lexer.T;
import io.jpod.cli.format.Lexer.Token;
import io.jpod.cli.format.Node.Branch;
import io.jpod.cli.format.Node.Command;
import io.jpod.cli.format.Node.Kind;
import io.jpod.cli.format.Node.ListNode;
import io.jpod.cli.format.Node.Pipe;
import io.jpod.cli.format.Node.Variable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser ported from Go's text/template/parse/parse.go, so that the accepted syntax
 * and the parse error messages are the ones podman users see.
 */
final class Parser {
    private final String name;
    private final List<Token> toks;
    private int i, furthest;
    private final List<String> vars = new ArrayList<>(List.of("$"));
    private int rangeDepth;

    private Parser(String name, String source) {
        this.name = name;
        this.toks = Lexer.lex(source);
    }

    static ListNode parse(String name, String source) {
        return new Parser(name, source).parse();
    }

    // ---- token plumbing: Go's peek/next/backup over a pre-lexed list ----

    private Token next() {
        // reading past the end keeps returning EOF; i still advances so backup() stays symmetric
        int at = Math.min(i++, toks.size() - 1);
        furthest = Math.max(furthest, at);
        Token t = toks.get(at);
        if (t.type() == T.ERROR) throw new TemplateException("template: " + name + ":" + t.line() + ": " + t.val());
        return t;
    }

    private void backup() {
        i--;
    }

    private Token peek() {
        Token t = next();
        backup();
        return t;
    }

    private Token nextNonSpace() {
        Token t;
        do t = next(); while (t.type() == T.SPACE);
        return t;
    }

    /** Like Go, this consumes the spaces it skips and leaves the non-space token pending. */
    private Token peekNonSpace() {
        Token t = nextNonSpace();
        backup();
        return t;
    }

    private TemplateException error(String msg) {
        return new TemplateException("template: " + name + ":" + toks.get(furthest).line() + ": " + msg);
    }

    private TemplateException unexpected(Token t, String context) {
        return error("unexpected " + t + " in " + context);
    }

    private Token expect(T type, String context) {
        Token t = nextNonSpace();
        if (t.type() != type) throw unexpected(t, context);
        return t;
    }

    // ---- grammar ----

    private ListNode parse() {
        List<Node> nodes = new ArrayList<>();
        int pos = peek().pos();
        while (peek().type() != T.EOF) {
            if (peek().type() == T.LEFT_DELIM) {
                int save = i;
                next();
                if (nextNonSpace().type() == T.DEFINE) throw error("{{define}} is not supported");
                i = save;
            }
            Node n = textOrAction();
            if (n instanceof Node.End || n instanceof Node.Else) throw error("unexpected " + Node.str(n));
            nodes.add(n);
        }
        return new ListNode(pos, nodes);
    }

    private Node textOrAction() {
        Token t = nextNonSpace();
        return switch (t.type()) {
            case TEXT -> new Node.Text(t.pos(), t.val());
            case LEFT_DELIM -> action();
            default -> throw unexpected(t, "input");
        };
    }

    private Node action() {
        Token t = nextNonSpace();
        switch (t.type()) {
            case BLOCK, TEMPLATE, DEFINE -> throw error("{{" + t.val() + "}} is not supported");
            case BREAK -> { return loopControl(t, "break"); }
            case CONTINUE -> { return loopControl(t, "continue"); }
            case ELSE -> { return elseControl(); }
            case END -> { return new Node.End(expect(T.RIGHT_DELIM, "end").pos()); }
            case IF -> { return control(Kind.IF); }
            case RANGE -> { return control(Kind.RANGE); }
            case WITH -> { return control(Kind.WITH); }
            default -> { }
        }
        backup();
        int pos = peek().pos();
        return new Node.Action(pos, pipeline("command", T.RIGHT_DELIM));
    }

    private Node loopControl(Token t, String word) {
        Token n = nextNonSpace();
        if (n.type() != T.RIGHT_DELIM) throw unexpected(n, "{{" + word + "}}");
        if (rangeDepth == 0) throw error("{{" + word + "}} outside {{range}}");
        return word.equals("break") ? new Node.Break(t.pos()) : new Node.Continue(t.pos());
    }

    private Node elseControl() {
        Token peek = peekNonSpace();
        // "{{else if" / "{{else with" leave the keyword pending; control() nests it in the else list
        if (peek.type() == T.IF || peek.type() == T.WITH) return new Node.Else(peek.pos(), peek.line());
        Token t = expect(T.RIGHT_DELIM, "else");
        return new Node.Else(t.pos(), t.line());
    }

    private record ListAndNext(ListNode list, Node next) {}

    private ListAndNext itemList() {
        List<Node> nodes = new ArrayList<>();
        int pos = peekNonSpace().pos();
        while (peekNonSpace().type() != T.EOF) {
            Node n = textOrAction();
            if (n instanceof Node.End || n instanceof Node.Else) return new ListAndNext(new ListNode(pos, nodes), n);
            nodes.add(n);
        }
        throw error("unexpected EOF");
    }

    private Branch control(Kind kind) {
        String context = kind.name().toLowerCase(java.util.Locale.ROOT);
        int mark = vars.size();
        try {
            Pipe pipe = pipeline(context, T.RIGHT_DELIM);
            if (kind == Kind.RANGE) rangeDepth++;
            ListAndNext body = itemList();
            if (kind == Kind.RANGE) rangeDepth--;
            ListNode elseList = null;
            if (body.next() instanceof Node.Else e) {
                T chained = kind == Kind.IF ? T.IF : kind == Kind.WITH ? T.WITH : null;
                if (chained != null && peek().type() == chained) {
                    next();
                    elseList = new ListNode(e.pos(), List.of(control(kind)));
                } else {
                    ListAndNext el = itemList();
                    if (!(el.next() instanceof Node.End)) throw error("expected end; found " + Node.str(el.next()));
                    elseList = el.list();
                }
            }
            return new Branch(kind, pipe.pos(), pipe, body.list(), elseList);
        } finally {
            vars.subList(mark, vars.size()).clear();
        }
    }

    private Pipe pipeline(String context, T end) {
        int pos = peekNonSpace().pos();
        List<Variable> decl = new ArrayList<>();
        boolean isAssign = false;
        decls:
        while (true) {
            Token v = peekNonSpace();
            if (v.type() != T.VARIABLE) break;
            int at = i;
            next();
            Token nx = peekNonSpace();
            if (nx.type() == T.ASSIGN || nx.type() == T.DECLARE) {
                isAssign = nx.type() == T.ASSIGN;
                nextNonSpace();
                decl.add(new Variable(v.pos(), List.of(v.val())));
                vars.add(v.val());
            } else if (nx.type() == T.CHAR && nx.val().equals(",")) {
                nextNonSpace();
                decl.add(new Variable(v.pos(), List.of(v.val())));
                vars.add(v.val());
                if (context.equals("range") && decl.size() < 2) {
                    switch (peekNonSpace().type()) {
                        case VARIABLE, RIGHT_DELIM, RIGHT_PAREN -> { continue decls; }
                        default -> throw error("range can only initialize variables");
                    }
                }
                throw error("too many declarations in " + context);
            } else {
                i = at; // "$x foo": the variable is an operand, not a declaration
            }
            break;
        }
        List<Command> cmds = new ArrayList<>();
        while (true) {
            Token t = nextNonSpace();
            if (t.type() == end) {
                if (cmds.isEmpty()) throw error("missing value for " + context);
                for (int k = 1; k < cmds.size(); k++) {
                    switch (cmds.get(k).args().getFirst()) {
                        case Node.Bool b -> throw error("non executable command in pipeline stage " + (k + 1));
                        case Node.Dot d -> throw error("non executable command in pipeline stage " + (k + 1));
                        case Node.Nil n -> throw error("non executable command in pipeline stage " + (k + 1));
                        case Node.Number n -> throw error("non executable command in pipeline stage " + (k + 1));
                        case Node.Str s -> throw error("non executable command in pipeline stage " + (k + 1));
                        default -> { }
                    }
                }
                return new Pipe(pos, isAssign, decl, cmds);
            }
            switch (t.type()) {
                case BOOL, CHAR_CONST, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN -> {
                    backup();
                    cmds.add(command());
                }
                default -> throw unexpected(t, context);
            }
        }
    }

    private Command command() {
        int pos = peekNonSpace().pos();
        List<Node> args = new ArrayList<>();
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) args.add(operand);
            Token t = next();
            if (t.type() == T.SPACE) continue;
            switch (t.type()) {
                case RIGHT_DELIM, RIGHT_PAREN -> backup();
                case PIPE -> { }
                default -> throw unexpected(t, "operand");
            }
            break;
        }
        if (args.isEmpty()) throw error("empty command");
        return new Command(pos, args);
    }

    private Node operand() {
        Node node = term();
        if (node == null || peek().type() != T.FIELD) return node;
        int pos = peek().pos();
        List<String> fields = new ArrayList<>();
        while (peek().type() == T.FIELD) fields.add(next().val().substring(1));
        return switch (node) {
            case Node.Field f -> new Node.Field(pos, concat(f.idents(), fields));
            case Node.Variable v -> new Node.Variable(pos, concat(v.idents(), fields));
            case Node.Bool b -> throw error("unexpected . after term " + GoFmt.quote(Node.str(node), false));
            case Node.Str s -> throw error("unexpected . after term " + GoFmt.quote(Node.str(node), false));
            case Node.Number n -> throw error("unexpected . after term " + GoFmt.quote(Node.str(node), false));
            case Node.Nil n -> throw error("unexpected . after term " + GoFmt.quote(Node.str(node), false));
            case Node.Dot d -> throw error("unexpected . after term " + GoFmt.quote(Node.str(node), false));
            default -> new Node.Chain(pos, node, List.copyOf(fields));
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        return List.copyOf(r);
    }

    private Node term() {
        Token t = nextNonSpace();
        switch (t.type()) {
            case IDENTIFIER -> {
                Funcs.Def def = Funcs.lookup(t.val());
                if (def == null) throw error("function " + GoFmt.quote(t.val(), false) + " not defined");
                return new Node.Identifier(t.pos(), t.val(), def);
            }
            case DOT -> { return new Node.Dot(t.pos()); }
            case NIL -> { return new Node.Nil(t.pos()); }
            case VARIABLE -> {
                if (!vars.contains(t.val())) throw error("undefined variable " + GoFmt.quote(t.val(), false));
                return new Variable(t.pos(), List.of(t.val()));
            }
            case FIELD -> { return new Node.Field(t.pos(), List.of(t.val().substring(1))); }
            case BOOL -> { return new Node.Bool(t.pos(), t.val().equals("true")); }
            case CHAR_CONST, NUMBER -> { return number(t); }
            case LEFT_PAREN -> { return pipeline("parenthesized pipeline", T.RIGHT_PAREN); }
            case STRING, RAW_STRING -> { return new Node.Str(t.pos(), t.val(), unquote(t.val())); }
            default -> { }
        }
        backup();
        return null;
    }

    // ---- literals ----

    private Node.Number number(Token t) {
        String text = t.val();
        if (t.type() == T.CHAR_CONST) {
            String s = unquote(text);
            if (s.codePointCount(0, s.length()) != 1) throw error("malformed character constant: " + text);
            long cp = s.codePointAt(0);
            return new Node.Number(t.pos(), text, cp, true, cp);
        }
        if (text.endsWith("i")) throw error("complex numbers are not supported: " + text);
        Long asInt = parseGoInt(text);
        if (asInt != null) {
            boolean floaty = !isHexInt(text) && containsAny(text, ".eEpP");
            return new Node.Number(t.pos(), text, floaty ? (Object) (double) asInt : asInt, true, asInt);
        }
        double f;
        try {
            f = parseGoFloat(text);
        } catch (NumberFormatException e) {
            throw error("illegal number syntax: " + GoFmt.quote(text, false));
        }
        if (!containsAny(text, ".eEpP")) throw error("integer overflow: " + GoFmt.quote(text, false));
        boolean integral = f == Math.rint(f) && Math.abs(f) < 0x1p63;
        Object value = isHexInt(text) && integral ? (Object) (long) f : (Object) f;
        return new Node.Number(t.pos(), text, value, integral, integral ? (long) f : 0);
    }

    private static boolean containsAny(String s, String chars) {
        for (int k = 0; k < s.length(); k++) if (chars.indexOf(s.charAt(k)) >= 0) return true;
        return false;
    }

    private static boolean isHexInt(String s) {
        String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return u.length() > 2 && u.charAt(0) == '0' && (u.charAt(1) == 'x' || u.charAt(1) == 'X') && !containsAny(u, "pP");
    }

    /** strconv.ParseInt(text, 0, 64): sign, 0x/0o/0b/0 prefixes and underscores; null if not an int. */
    static Long parseGoInt(String text) {
        String s = text;
        boolean neg = false;
        if (s.startsWith("+") || s.startsWith("-")) { neg = s.charAt(0) == '-'; s = s.substring(1); }
        int radix = 10;
        if (s.length() > 1 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x') { radix = 16; s = s.substring(2); }
            else if (p == 'o') { radix = 8; s = s.substring(2); }
            else if (p == 'b') { radix = 2; s = s.substring(2); }
            else { radix = 8; s = s.substring(1); }
        }
        s = s.replace("_", "");
        if (s.isEmpty()) return null;
        try {
            return neg ? Long.parseLong("-" + s, radix) : Long.parseLong(s, radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double parseGoFloat(String text) {
        String s = text.replace("_", "");
        if (isHexFloat(s) && !containsAny(s, "pP")) throw new NumberFormatException(text);
        return Double.parseDouble(s);
    }

    private static boolean isHexFloat(String s) {
        String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return u.length() > 1 && u.charAt(0) == '0' && (u.charAt(1) == 'x' || u.charAt(1) == 'X');
    }

    private String unquote(String quoted) {
        String s = unquoteOrNull(quoted);
        if (s == null) throw error("invalid syntax");
        return s;
    }

    /** strconv.Unquote for "..." , `...` and '...' literals; null on invalid syntax. */
    static String unquoteOrNull(String q) {
        if (q.length() < 2) return null;
        char quote = q.charAt(0);
        if (q.charAt(q.length() - 1) != quote) return null;
        String body = q.substring(1, q.length() - 1);
        if (quote == '`') return body.replace("\r", "");
        ByteArrayOutputStream buf = new ByteArrayOutputStream(body.length());
        for (int k = 0; k < body.length(); ) {
            char c = body.charAt(k);
            if (c == quote || c == '\n') return null;
            if (c != '\\') {
                int cp = body.codePointAt(k);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                buf.write(b, 0, b.length);
                k += Character.charCount(cp);
                continue;
            }
            if (++k >= body.length()) return null;
            char e = body.charAt(k++);
            switch (e) {
                case 'a' -> buf.write(7);
                case 'b' -> buf.write(8);
                case 'f' -> buf.write(12);
                case 'n' -> buf.write('\n');
                case 'r' -> buf.write('\r');
                case 't' -> buf.write('\t');
                case 'v' -> buf.write(11);
                case '\\' -> buf.write('\\');
                case '\'', '"' -> {
                    if (e != quote) return null;
                    buf.write(e);
                }
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (k + n > body.length()) return null;
                    int v;
                    try {
                        v = Integer.parseUnsignedInt(body.substring(k, k + n), 16);
                    } catch (NumberFormatException ex) {
                        return null;
                    }
                    k += n;
                    if (e == 'x') buf.write(v);
                    else {
                        if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return null;
                        byte[] b = new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8);
                        buf.write(b, 0, b.length);
                    }
                }
                default -> {
                    if (e < '0' || e > '7' || k + 2 > body.length()) return null;
                    int v = 0;
                    for (int d = k - 1; d < k + 2; d++) {
                        char o = body.charAt(d);
                        if (o < '0' || o > '7') return null;
                        v = v * 8 + (o - '0');
                    }
                    if (v > 255) return null;
                    k += 2;
                    buf.write(v);
                }
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
