package dev.mta.mailauth.spf;

import java.util.List;

/**
 * A parsed macro-string of RFC 7208 7.1: literal text and macros in order, ready to expand. Made by
 * {@link MacroParser} only, so a MacroString is always well-formed.
 */
record MacroString(List<Part> parts) {
    /** Literal text, or one macro. */
    sealed interface Part permits Literal, Macro {
    }

    /** Text copied as it is ("%%", "%_" and "%-" already turned into "%", " " and "%20"). */
    record Literal(String text) implements Part {
    }

    /**
     * One "%{...}" macro.
     *
     * @param letter     the macro letter, lower case
     * @param urlEscape  the letter was upper case: the value is URL-escaped (RFC 7208 7.3)
     * @param rightParts how many right-hand parts to keep, 0 for all
     * @param reverse    the "r" transformer
     * @param delimiters the characters to split on ("." when none were given)
     */
    record Macro(char letter, boolean urlEscape, int rightParts, boolean reverse, String delimiters) implements Part {
    }

    MacroString {
        parts = List.copyOf(parts);
    }

    /** Whether the string uses macro {@code letter} (lower case). */
    boolean uses(char letter) {
        for (Part p : parts) {
            if (p instanceof Macro m && m.letter() == letter) {
                return true;
            }
        }
        return false;
    }
}
