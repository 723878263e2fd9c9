package io.jpod.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The subset of Go's fmt package that templates reach: %v printing of values (lists as [a b], maps as
 * map[k:v]), Sprint/Sprintln spacing rules and Sprintf verbs with flags, width and precision.
 */
final class GoFmt {
    private GoFmt() {}

    // ---- Sprint family ----

    /** fmt.Sprint: a space between operands when neither side is a string. */
    static String sprint(Object... args) {
        StringBuilder sb = new StringBuilder();
        boolean prevString = false;
        for (int i = 0; i < args.length; i++) {
            boolean isString = Values.norm(args[i]) instanceof String;
            if (i > 0 && !isString && !prevString) sb.append(' ');
            printV(sb, args[i]);
            prevString = isString;
        }
        return sb.toString();
    }

    /** fmt.Sprintln: always spaces between operands, then a newline. */
    static String sprintln(Object... args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) sb.append(' ');
            printV(sb, args[i]);
        }
        return sb.append('\n').toString();
    }

    /** %v of one value. */
    static void printV(StringBuilder sb, Object v) {
        new Spec().arg(sb, v, 'v', 0);
    }

    static String toV(Object v) {
        StringBuilder sb = new StringBuilder();
        printV(sb, v);
        return sb.toString();
    }

    // ---- Sprintf ----

    /** fmt.Sprintf with Go's error annotations (%!d(string=x), %!s(MISSING), %!(EXTRA ...)). */
    static String sprintf(String format, Object... args) {
        StringBuilder sb = new StringBuilder();
        int argNum = 0, n = format.length();
        for (int i = 0; i < n; ) {
            int pct = format.indexOf('%', i);
            if (pct < 0) { sb.append(format, i, n); break; }
            sb.append(format, i, pct);
            i = pct + 1;
            Spec s = new Spec();
            flags:
            for (; i < n; i++) {
                switch (format.charAt(i)) {
                    case '#' -> s.sharp = true;
                    case '0' -> s.zero = !s.minus;
                    case '+' -> s.plus = true;
                    case '-' -> { s.minus = true; s.zero = false; }
                    case ' ' -> s.space = true;
                    default -> { break flags; }
                }
            }
            if (i < n && format.charAt(i) == '*') {
                i++;
                if (argNum < args.length && Values.isInt(Values.norm(args[argNum]))) {
                    s.wid = (int) ((Number) Values.norm(args[argNum++])).longValue();
                    s.widPresent = true;
                    if (s.wid < 0) { s.minus = true; s.zero = false; s.wid = -s.wid; }
                } else {
                    sb.append("%!(BADWIDTH)");
                    if (argNum < args.length) argNum++;
                }
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) i++;
                if (i > start) { s.wid = Integer.parseInt(format.substring(start, Math.min(i, start + 9))); s.widPresent = true; }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                s.precPresent = true;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    if (argNum < args.length && Values.isInt(Values.norm(args[argNum]))) {
                        s.prec = (int) ((Number) Values.norm(args[argNum++])).longValue();
                        if (s.prec < 0) { s.prec = 0; s.precPresent = false; }
                    } else {
                        sb.append("%!(BADPREC)");
                        if (argNum < args.length) argNum++;
                    }
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) i++;
                    s.prec = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 9))) : 0;
                }
            }
            if (i >= n) { sb.append("%!(NOVERB)"); break; }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') { sb.append('%'); continue; }
            if (argNum >= args.length) {
                sb.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            s.arg(sb, args[argNum++], verb, 0);
        }
        if (argNum < args.length) {
            sb.append("%!(EXTRA ");
            for (int k = argNum; k < args.length; k++) {
                if (k > argNum) sb.append(", ");
                Object a = Values.norm(args[k]);
                if (a == null) sb.append("<nil>");
                else { sb.append(Values.goType(a)).append('='); printV(sb, a); }
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** One formatting directive's flags; arg() prints a value under it. */
    private static final class Spec {
        boolean sharp, zero, plus, minus, space, widPresent, precPresent;
        int wid, prec;

        void arg(StringBuilder sb, Object raw, int verb, int depth) {
            Object v = Values.norm(raw);
            if (verb == 'T') { pad(sb, Values.goType(v), false); return; }
            switch (v) {
                case null -> {
                    if (verb == 'v' || depth > 0) pad(sb, "<nil>", false);
                    else badVerb(sb, verb, null);
                }
                case Values.NoValue nv -> pad(sb, "<no value>", false);
                case Boolean b -> {
                    if (verb == 't' || verb == 'v') pad(sb, b.toString(), false);
                    else badVerb(sb, verb, b);
                }
                case String str -> string(sb, str, verb);
                case Collection<?> c -> {
                    sb.append('[');
                    int k = 0;
                    for (Object e : c) {
                        if (k++ > 0) sb.append(' ');
                        arg(sb, e, verb, depth + 1);
                    }
                    sb.append(']');
                }
                case Map<?, ?> m -> {
                    sb.append("map[");
                    int k = 0;
                    for (Map.Entry<?, ?> e : Values.sortedEntries(m)) {
                        if (k++ > 0) sb.append(' ');
                        arg(sb, e.getKey(), verb, depth + 1);
                        sb.append(':');
                        arg(sb, e.getValue(), verb, depth + 1);
                    }
                    sb.append(']');
                }
                default -> {
                    if (Values.isInt(v)) integer(sb, v, verb);
                    else if (Values.isFloat(v)) floating(sb, Values.toDouble(v), verb);
                    else string(sb, v.toString(), verb == 'v' ? 's' : verb);
                }
            }
        }

        /** Go prints the operand with %v under the same flags, so "%.2e" of 0 gives %!e(int=00). */
        private void badVerb(StringBuilder sb, int verb, Object v) {
            sb.append("%!").appendCodePoint(verb).append('(');
            if (v == null) sb.append("<nil>");
            else { sb.append(Values.goType(v)).append('='); arg(sb, v, 'v', 0); }
            sb.append(')');
        }

        /** Pads to the width with spaces (or zeros when the 0 flag applies), counting runes like Go. */
        private void pad(StringBuilder sb, String s, boolean zeroOk) {
            if (!widPresent || wid == 0) { sb.append(s); return; }
            int w = s.codePointCount(0, s.length());
            if (w >= wid) { sb.append(s); return; }
            char padChar = zero && zeroOk ? '0' : ' ';
            if (minus) { sb.append(s).repeat(' ', wid - w); return; }
            sb.repeat(padChar, wid - w).append(s);
        }

        private void string(StringBuilder sb, String s, int verb) {
            switch (verb) {
                case 'v', 's' -> pad(sb, truncate(s), true);
                case 'q' -> pad(sb, sharp && canBackquote(s) ? "`" + s + "`" : quote(truncate(s), plus), true);
                case 'x', 'X' -> {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    int lim = precPresent ? Math.min(prec, b.length) : b.length;
                    StringBuilder h = new StringBuilder();
                    String digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
                    for (int k = 0; k < lim; k++) {
                        if (space && k > 0) h.append(' ');
                        if (sharp && (k == 0 || space)) h.append(verb == 'x' ? "0x" : "0X");
                        h.append(digits.charAt((b[k] >> 4) & 15)).append(digits.charAt(b[k] & 15));
                    }
                    pad(sb, h.toString(), true);
                }
                default -> badVerb(sb, verb, s);
            }
        }

        private String truncate(String s) {
            if (!precPresent || s.codePointCount(0, s.length()) <= prec) return s;
            return s.substring(0, s.offsetByCodePoints(0, prec));
        }

        private void integer(StringBuilder sb, Object v, int verb) {
            BigInteger n = v instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) v).longValue());
            switch (verb) {
                case 'v', 'd' -> number(sb, n, 10, "", false);
                case 'b' -> number(sb, n, 2, sharp ? "0b" : "", false);
                case 'o' -> number(sb, n, 8, sharp ? "0" : "", false);
                case 'O' -> number(sb, n, 8, "0o", false);
                case 'x' -> number(sb, n, 16, sharp ? "0x" : "", false);
                case 'X' -> number(sb, n, 16, sharp ? "0X" : "", true);
                case 'c' -> pad(sb, runeString(n), false);
                case 'q' -> pad(sb, quoteRune(n), false);
                case 'U' -> {
                    String hex = n.toString(16).toUpperCase(java.util.Locale.ROOT);
                    String u = "U+" + "0".repeat(Math.max(0, 4 - hex.length())) + hex;
                    if (sharp && n.signum() >= 0 && n.bitLength() < 32 && isPrint(n.intValue())) {
                        u += " '" + runeString(n) + "'";
                    }
                    pad(sb, u, false);
                }
                default -> badVerb(sb, verb, v);
            }
        }

        private void number(StringBuilder sb, BigInteger n, int radix, String prefix, boolean upper) {
            String digits = n.abs().toString(radix);
            if (upper) digits = digits.toUpperCase(java.util.Locale.ROOT);
            if (precPresent) {
                if (prec == 0 && n.signum() == 0) digits = "";
                else if (digits.length() < prec) digits = "0".repeat(prec - digits.length()) + digits;
            }
            if (radix == 8 && prefix.equals("0") && digits.startsWith("0")) prefix = "";
            String sign = n.signum() < 0 ? "-" : plus ? "+" : space ? " " : "";
            String body = prefix + digits;
            if (zero && widPresent && !precPresent && !minus) {
                int fill = wid - sign.length() - body.length();
                if (fill > 0) body = prefix + "0".repeat(fill) + digits;
            }
            pad(sb, sign + body, false);
        }

        private void floating(StringBuilder sb, double d, int verb) {
            String num;
            switch (verb) {
                case 'v' -> num = formatFloat(d, 'g', precPresent ? prec : -1);
                case 'g', 'G' -> num = formatFloat(d, (char) verb, precPresent ? prec : -1);
                case 'e', 'E', 'f', 'F' -> num = formatFloat(d, (char) verb, precPresent ? prec : 6);
                default -> { badVerb(sb, verb, d); return; }
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                if (Double.isNaN(d) && (plus || space)) num = (plus ? "+" : " ") + num;
                else if (Double.isInfinite(d) && d > 0 && space && !plus) num = " Inf";
                boolean z = zero;
                zero = false;
                pad(sb, num, false);
                zero = z;
                return;
            }
            String sign = num.startsWith("-") ? "-" : plus ? "+" : space ? " " : "";
            String digits = num.startsWith("-") ? num.substring(1) : num;
            if (zero && widPresent && !minus && wid > sign.length() + digits.length()) {
                sb.append(sign).repeat('0', wid - sign.length() - digits.length()).append(digits);
                return;
            }
            pad(sb, sign + digits, false);
        }
    }

    // ---- strconv ports ----

    /** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f F g G; prec -1 means shortest. */
    static String formatFloat(double v, char fmt, int prec) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        double a = Math.abs(v);
        boolean shortest = prec < 0;
        char lower = Character.toLowerCase(fmt);
        String digs;
        int dp;
        if (a == 0) {
            digs = "";
            dp = 0;
            if (shortest) prec = lower == 'e' ? 0 : lower == 'f' ? 0 : 1;
        } else {
            BigDecimal bd;
            if (shortest) {
                bd = new BigDecimal(Double.toString(a));
            } else {
                bd = new BigDecimal(a);
                bd = switch (lower) {
                    case 'e' -> bd.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
                    case 'f' -> bd.setScale(prec, RoundingMode.HALF_EVEN);
                    default -> bd.round(new MathContext(prec == 0 ? 1 : prec, RoundingMode.HALF_EVEN));
                };
            }
            if (bd.signum() == 0) {
                digs = "";
                dp = 0;
            } else {
                bd = bd.stripTrailingZeros();
                digs = bd.unscaledValue().toString();
                dp = digs.length() - bd.scale();
            }
            if (shortest) {
                prec = switch (lower) {
                    case 'e' -> digs.length() - 1;
                    case 'f' -> Math.max(digs.length() - dp, 0);
                    default -> digs.length();
                };
            }
        }
        StringBuilder sb = new StringBuilder();
        if (neg) sb.append('-');
        switch (lower) {
            case 'e' -> fmtE(sb, digs, dp, prec, fmt);
            case 'f' -> fmtF(sb, digs, dp, prec);
            default -> {
                int eprec = prec;
                if (eprec > digs.length() && digs.length() >= dp) eprec = digs.length();
                if (shortest) eprec = 6;
                int exp = dp - 1;
                if (exp < -4 || exp >= eprec) {
                    if (prec > digs.length()) prec = digs.length();
                    fmtE(sb, digs, dp, prec - 1, fmt == 'g' ? 'e' : 'E');
                } else {
                    if (prec > dp) prec = digs.length();
                    fmtF(sb, digs, dp, Math.max(prec - dp, 0));
                }
            }
        }
        return sb.toString();
    }

    private static void fmtE(StringBuilder sb, String d, int dp, int prec, char e) {
        sb.append(d.isEmpty() ? '0' : d.charAt(0));
        if (prec > 0) {
            sb.append('.');
            int m = Math.min(d.length(), prec + 1);
            if (m > 1) sb.append(d, 1, m);
            for (int k = Math.max(m, 1); k <= prec; k++) sb.append('0');
        }
        sb.append(e);
        int exp = d.isEmpty() ? 0 : dp - 1;
        sb.append(exp < 0 ? '-' : '+');
        exp = Math.abs(exp);
        if (exp < 10) sb.append('0');
        sb.append(exp);
    }

    private static void fmtF(StringBuilder sb, String d, int dp, int prec) {
        if (dp > 0) {
            int m = Math.min(d.length(), dp);
            sb.append(d, 0, m);
            for (; m < dp; m++) sb.append('0');
        } else {
            sb.append('0');
        }
        if (prec > 0) {
            sb.append('.');
            for (int k = 1; k <= prec; k++) {
                int j = dp + k - 1;
                sb.append(j >= 0 && j < d.length() ? d.charAt(j) : '0');
            }
        }
    }

    /** strconv.Quote (asciiOnly = strconv.QuoteToASCII, used by %+q). */
    static String quote(String s, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); ) {
            int r = s.codePointAt(k);
            k += Character.charCount(r);
            appendEscaped(sb, r, '"', asciiOnly);
        }
        return sb.append('"').toString();
    }

    private static String quoteRune(BigInteger n) {
        int r = n.signum() < 0 || n.bitLength() > 31 || n.intValue() > 0x10FFFF ? 0xFFFD : n.intValue();
        if (r >= 0xD800 && r < 0xE000) r = 0xFFFD;
        StringBuilder sb = new StringBuilder().append('\'');
        appendEscaped(sb, r, '\'', false);
        return sb.append('\'').toString();
    }

    private static String runeString(BigInteger n) {
        int r = n.signum() < 0 || n.bitLength() > 31 || n.intValue() > 0x10FFFF ? 0xFFFD : n.intValue();
        if (r >= 0xD800 && r < 0xE000) r = 0xFFFD;
        return new String(Character.toChars(r));
    }

    private static void appendEscaped(StringBuilder sb, int r, char quote, boolean asciiOnly) {
        if (r == quote || r == '\\') { sb.append('\\').appendCodePoint(r); return; }
        if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) { sb.appendCodePoint(r); return; }
        switch (r) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 11 -> sb.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7f) sb.append("\\x").append(hex(r, 2));
                else if (r < 0x10000) sb.append("\\u").append(hex(r, 4));
                else sb.append("\\U").append(hex(r, 8));
            }
        }
    }

    private static String hex(int v, int width) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, width - h.length())) + h;
    }

    private static boolean canBackquote(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '`' || c == 0xFEFF || (c < ' ' && c != '\t') || c == 0x7f) return false;
        }
        return true;
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int r) {
        if (r == ' ') return true;
        return switch (Character.getType(r)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** fmt's %#U: U+007B '{' (the rune is shown only when printable). */
    static String unicodeName(int r) {
        String h = Integer.toHexString(Math.max(r, 0)).toUpperCase(java.util.Locale.ROOT);
        String u = "U+" + "0".repeat(Math.max(0, 4 - h.length())) + h;
        return r >= 0 && isPrint(r) ? u + " '" + new String(Character.toChars(r)) + "'" : u;
    }
}
