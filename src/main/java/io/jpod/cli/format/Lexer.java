package io.jpod.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into tokens the way Go's text/template lexer does, so that trim markers, comments,
 * spacing rules and error messages ("bad character U+007B '{'") match podman's.
 */
final class Lexer {
    enum T {
        TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, FIELD, VARIABLE, IDENTIFIER, STRING, RAW_STRING, CHAR_CONST,
        NUMBER, BOOL, PIPE, DECLARE, ASSIGN, LEFT_PAREN, RIGHT_PAREN, CHAR, ERROR, EOF,
        // keywords: printed as <name> in parse errors, like Go's item.String()
        DOT, NIL, BLOCK, BREAK, CONTINUE, DEFINE, ELSE, END, IF, RANGE, TEMPLATE, WITH;

        boolean keyword() { return ordinal() >= DOT.ordinal(); }
    }

    /** One token; pos is a char offset into the source, line is 1-based. */
    record Token(T type, int pos, int line, String val) {
        /** Go's item.String(), used in "unexpected X in Y" messages. */
        @Override
        public String toString() {
            return switch (type) {
                case EOF -> "EOF";
                case ERROR -> val;
                default -> {
                    if (type.keyword()) yield "<" + val + ">";
                    if (val.codePointCount(0, val.length()) > 10) {
                        yield GoFmt.quote(val.substring(0, val.offsetByCodePoints(0, 10)), false) + "...";
                    }
                    yield GoFmt.quote(val, false);
                }
            };
        }
    }

    private static final String LEFT = "{{", RIGHT = "}}";

    private final String in;
    private final List<Token> out = new ArrayList<>();
    private int pos, start, parenDepth;
    private int lineCursor, lineAtCursor = 1;

    private Lexer(String in) {
        this.in = in;
    }

    /** Tokenises the whole input; a lexical error becomes a final ERROR token so earlier parse errors win. */
    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        l.run();
        return l.out;
    }

    private int lineOf(int p) {
        // positions are requested in increasing order, so one forward scan counts all newlines
        if (p < lineCursor) { lineCursor = 0; lineAtCursor = 1; }
        for (; lineCursor < p; lineCursor++) if (in.charAt(lineCursor) == '\n') lineAtCursor++;
        return lineAtCursor;
    }

    private void emit(T type) {
        out.add(new Token(type, start, lineOf(start), in.substring(start, pos)));
        start = pos;
    }

    private boolean error(String msg) {
        out.add(new Token(T.ERROR, start, lineOf(start), msg));
        return false;
    }

    private void run() {
        while (true) {
            int x = in.indexOf(LEFT, pos);
            if (x < 0) {
                pos = in.length();
                if (pos > start) emit(T.TEXT);
                out.add(new Token(T.EOF, pos, lineOf(pos), ""));
                return;
            }
            int textEnd = x;
            if (hasLeftTrimMarker(x + LEFT.length())) {
                while (textEnd > start && isSpace(in.charAt(textEnd - 1))) textEnd--;
            }
            if (textEnd > start) {
                pos = textEnd;
                emit(T.TEXT);
            }
            pos = x + LEFT.length();
            start = x;
            if (!lexLeftDelim()) return;
        }
    }

    private boolean hasLeftTrimMarker(int p) {
        return p + 1 < in.length() && in.charAt(p) == '-' && isSpace(in.charAt(p + 1));
    }

    private boolean hasRightTrimMarker(int p) {
        return p + 1 < in.length() && isSpace(in.charAt(p)) && in.charAt(p + 1) == '-';
    }

    /** 0 = not at a right delimiter, 1 = at "}}", 2 = at " -}}". */
    private int atRightDelim() {
        if (hasRightTrimMarker(pos) && in.startsWith(RIGHT, pos + 2)) return 2;
        return in.startsWith(RIGHT, pos) ? 1 : 0;
    }

    private boolean lexLeftDelim() {
        int after = hasLeftTrimMarker(pos) ? 2 : 0;
        if (in.startsWith("/*", pos + after)) {
            pos += after;
            start = pos;
            return lexComment();
        }
        emit(T.LEFT_DELIM);
        pos += after;
        start = pos;
        parenDepth = 0;
        return lexInsideAction();
    }

    private boolean lexComment() {
        int x = in.indexOf("*/", pos + 2);
        if (x < 0) return error("unclosed comment");
        pos = x + 2;
        int d = atRightDelim();
        if (d == 0) return error("comment ends before closing delimiter");
        pos += (d == 2 ? 2 : 0) + RIGHT.length();
        if (d == 2) skipLeadingSpace();
        start = pos;
        return true;
    }

    private void skipLeadingSpace() {
        while (pos < in.length() && isSpace(in.charAt(pos))) pos++;
    }

    private int peek() {
        return pos < in.length() ? in.codePointAt(pos) : -1;
    }

    private int next() {
        if (pos >= in.length()) { pos++; return -1; }
        int c = in.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private void backup(int c) {
        pos -= c < 0 ? 1 : Character.charCount(c);
    }

    private boolean lexInsideAction() {
        while (true) {
            int d = atRightDelim();
            if (d != 0) {
                if (parenDepth != 0) return error("unclosed left paren");
                if (d == 2) { pos += 2; start = pos; }
                pos += RIGHT.length();
                emit(T.RIGHT_DELIM);
                if (d == 2) { skipLeadingSpace(); start = pos; }
                return true;
            }
            int r = next();
            if (r < 0) return error("unclosed action");
            if (isSpace(r)) {
                backup(r);
                lexSpace();
            } else if (r == '=') {
                emit(T.ASSIGN);
            } else if (r == ':') {
                if (next() != '=') return error("expected :=");
                emit(T.DECLARE);
            } else if (r == '|') {
                emit(T.PIPE);
            } else if (r == '"') {
                if (!lexQuote('"', T.STRING, "unterminated quoted string")) return false;
            } else if (r == '`') {
                int x = in.indexOf('`', pos);
                if (x < 0) return error("unterminated raw quoted string");
                pos = x + 1;
                emit(T.RAW_STRING);
            } else if (r == '$') {
                if (!lexFieldOrVariable(T.VARIABLE)) return false;
            } else if (r == '\'') {
                if (!lexQuote('\'', T.CHAR_CONST, "unterminated character constant")) return false;
            } else if (r == '.' && !(pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9')) {
                if (!lexFieldOrVariable(T.FIELD)) return false;
            } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
                backup(r);
                if (!lexNumber()) return false;
            } else if (isAlphaNumeric(r)) {
                backup(r);
                if (!lexIdentifier()) return false;
            } else if (r == '(') {
                emit(T.LEFT_PAREN);
                parenDepth++;
            } else if (r == ')') {
                emit(T.RIGHT_PAREN);
                if (--parenDepth < 0) return error("unexpected right paren");
            } else if (r < 0x80 && r >= 0x20 && r != 0x7f) {
                emit(T.CHAR);
            } else {
                return error("unrecognized character in action: " + GoFmt.unicodeName(r));
            }
        }
    }

    private void lexSpace() {
        int n = 0;
        while (pos < in.length() && isSpace(in.charAt(pos))) { pos++; n++; }
        // a space followed by "-}}" belongs to the trim marker, not to the action
        if (hasRightTrimMarker(pos - 1) && in.startsWith(RIGHT, pos + 1)) {
            pos--;
            if (n == 1) { start = pos; return; }
        }
        emit(T.SPACE);
    }

    private boolean lexQuote(char q, T type, String unterminated) {
        while (true) {
            int c = next();
            if (c == '\\') {
                c = next();
                if (c >= 0 && c != '\n') continue;
                return error(unterminated);
            }
            if (c < 0 || c == '\n') return error(unterminated);
            if (c == q) break;
        }
        emit(type);
        return true;
    }

    private boolean atTerminator() {
        int r = peek();
        if (r < 0 || isSpace(r)) return true;
        return switch (r) {
            case '.', ',', '|', ':', ')', '(' -> true;
            default -> in.startsWith(RIGHT, pos);
        };
    }

    private boolean lexFieldOrVariable(T type) {
        if (atTerminator()) {
            emit(type == T.VARIABLE ? T.VARIABLE : T.DOT);
            return true;
        }
        int r;
        while (true) {
            r = next();
            if (!isAlphaNumeric(r)) { backup(r); break; }
        }
        if (!atTerminator()) return error("bad character " + GoFmt.unicodeName(peek()));
        emit(type);
        return true;
    }

    private boolean lexIdentifier() {
        while (true) {
            int r = next();
            if (!isAlphaNumeric(r)) { backup(r); break; }
        }
        if (!atTerminator()) return error("bad character " + GoFmt.unicodeName(peek()));
        String word = in.substring(start, pos);
        emit(switch (word) {
            case "true", "false" -> T.BOOL;
            case "nil" -> T.NIL;
            case "block" -> T.BLOCK;
            case "break" -> T.BREAK;
            case "continue" -> T.CONTINUE;
            case "define" -> T.DEFINE;
            case "else" -> T.ELSE;
            case "end" -> T.END;
            case "if" -> T.IF;
            case "range" -> T.RANGE;
            case "template" -> T.TEMPLATE;
            case "with" -> T.WITH;
            default -> T.IDENTIFIER;
        });
        return true;
    }

    private boolean accept(String valid) {
        if (pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0) { pos++; return true; }
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) { /* absorb */ }
    }

    private boolean lexNumber() {
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (accept("oO")) digits = "01234567_";
            else if (accept("bB")) digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (digits.length() == 11 && accept("eE")) { accept("+-"); acceptRun("0123456789_"); }
        if (digits.length() == 23 && accept("pP")) { accept("+-"); acceptRun("0123456789_"); }
        accept("i");
        if (peek() >= 0 && isAlphaNumeric(peek())) {
            next();
            return error("bad number syntax: " + GoFmt.quote(in.substring(start, pos), false));
        }
        emit(T.NUMBER);
        return true;
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static boolean isAlphaNumeric(int c) {
        return c == '_' || Character.isLetter(c) || Character.isDigit(c);
    }
}
