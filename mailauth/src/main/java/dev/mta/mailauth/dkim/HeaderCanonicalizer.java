package dev.mta.mailauth.dkim;

/** Header field canonicalization, simple and relaxed (RFC 6376 3.4.1, 3.4.2), on text that is one char per octet. */
final class HeaderCanonicalizer {
    private HeaderCanonicalizer() {
    }

    /** The canonical form of {@code raw} (a whole field, no final CRLF), with its CRLF appended to {@code out}. */
    static void append(StringBuilder out, String raw, Canonicalization c) {
        appendWithoutCrlf(out, raw, c);
        out.append("\r\n");
    }

    /** The canonical form of {@code raw} without a final CRLF (how the signature's own field is hashed). */
    static void appendWithoutCrlf(StringBuilder out, String raw, Canonicalization c) {
        if (c == Canonicalization.SIMPLE) {
            out.append(raw);
        } else {
            relaxed(out, raw);
        }
    }

    /**
     * Lower-case name; unfolded; each run of WSP one SP; no WSP at the end of the value, nor around the colon.
     */
    private static void relaxed(StringBuilder out, String raw) {
        int colon = raw.indexOf(':');
        if (colon < 0) {
            colon = raw.length(); // no colon: canonicalize it all as the name, so that it still hashes stably
        }
        String name = raw.substring(0, colon);
        int nameEnd = name.length();
        while (nameEnd > 0 && isWsp(name.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        out.append(asciiLower(name.substring(0, nameEnd)));
        if (colon == raw.length()) {
            return;
        }
        out.append(':');
        boolean pendingSpace = false;
        boolean valueStarted = false;
        for (int i = colon + 1; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                i++; // unfold: a CRLF inside a field is always followed by WSP
                continue;
            }
            if (isWsp(ch)) {
                pendingSpace = valueStarted;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(ch);
            valueStarted = true;
        }
    }

    /** Lower case for ASCII letters only: other chars are octets of 8-bit text and must stay as they are. */
    static String asciiLower(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
