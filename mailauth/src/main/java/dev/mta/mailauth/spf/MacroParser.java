package dev.mta.mailauth.spf;

import dev.mta.mailauth.spf.MacroString.Literal;
import dev.mta.mailauth.spf.MacroString.Macro;
import dev.mta.mailauth.spf.MacroString.Part;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the macro-strings of RFC 7208 7.1: the domain-spec of mechanisms and modifiers, an unknown modifier's value,
 * and explanation text. Empty means a syntax error.
 */
final class MacroParser {
    private static final String RECORD_LETTERS = "slodiphv";
    /** c, r and t are allowed in explanation text only (RFC 7208 7.1). */
    private static final String EXPLANATION_LETTERS = RECORD_LETTERS + "crt";
    private static final String DELIMITERS = ".-+,/_=";
    /** A bigger count keeps every part anyway: a domain has at most 127 labels, a local part at most 64 octets. */
    private static final int MAX_PARTS = 1000;

    private MacroParser() {
    }

    /** A domain-spec: a non-empty macro-string ending in a macro or in "." and a toplabel (and maybe a dot). */
    static Optional<MacroString> domainSpec(String text) {
        Parsed p = parse(text, false);
        if (p == null || text.isEmpty()) {
            return Optional.empty();
        }
        return hasDomainEnd(text.substring(p.tailStart())) ? Optional.of(p.string()) : Optional.empty();
    }

    /** The value of an unknown modifier: any macro-string, empty included. */
    static Optional<MacroString> macroString(String text) {
        Parsed p = parse(text, false);
        return p == null ? Optional.empty() : Optional.of(p.string());
    }

    /** Explanation text (RFC 7208 6.2): macro-strings and spaces, with the letters c, r and t allowed. */
    static Optional<MacroString> explanation(String text) {
        Parsed p = parse(text, true);
        return p == null ? Optional.empty() : Optional.of(p.string());
    }

    /** The parts, and where the literal text after the last macro-expand begins. */
    private record Parsed(MacroString string, int tailStart) {
    }

    private static Parsed parse(String s, boolean explanation) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int tailStart = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '%') {
                if (!(c > ' ' && c < 0x7f) && !(explanation && c == ' ')) {
                    return null;
                }
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                return null;
            }
            char next = s.charAt(i + 1);
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = s.indexOf('}', i + 2);
                    Macro m = close < 0 ? null : macro(s.substring(i + 2, close), explanation);
                    if (m == null) {
                        return null;
                    }
                    if (literal.length() > 0) {
                        parts.add(new Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(m);
                    i = close + 1;
                    tailStart = i;
                    continue;
                }
                default -> {
                    return null;
                }
            }
            i += 2;
            tailStart = i;
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return new Parsed(new MacroString(parts), tailStart);
    }

    /** The inside of "%{...}": macro-letter transformers *delimiter. */
    private static Macro macro(String body, boolean explanation) {
        if (body.isEmpty()) {
            return null;
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        String allowed = explanation ? EXPLANATION_LETTERS : RECORD_LETTERS;
        if (letter > 0x7f || allowed.indexOf(lower) < 0) {
            return null;
        }
        int i = 1;
        int digitsStart = i;
        long count = 0;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            count = Math.min(count * 10 + (body.charAt(i) - '0'), MAX_PARTS);
            i++;
        }
        if (i > digitsStart && count == 0) {
            return null; // "If a DIGIT is specified, the value MUST be nonzero."
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (int k = 0; k < delimiters.length(); k++) {
            if (DELIMITERS.indexOf(delimiters.charAt(k)) < 0) {
                return null;
            }
        }
        return new Macro(lower, letter != lower, (int) count, reverse, delimiters.isEmpty() ? "." : delimiters);
    }

    /** Whether the literal tail of a domain-spec is "." toplabel [ "." ] (or empty: it ended with a macro). */
    private static boolean hasDomainEnd(String tail) {
        if (tail.isEmpty()) {
            return true;
        }
        String t = DomainNames.withoutTrailingDot(tail);
        int dot = t.lastIndexOf('.');
        return dot >= 0 && DomainNames.isTopLabel(t.substring(dot + 1));
    }
}
