package dev.mta.mailauth.results;

/**
 * Reads a header field's value piece by piece: CFWS (white space, folding, nested comments), tokens, keywords,
 * quoted-strings (RFC 5322 3.2). A syntax error throws {@link Malformed}, which its caller turns into "not parsed".
 */
final class HeaderCursor {
    /** Bounds the nesting of comments, so that hostile input cannot take the stack. */
    private static final int MAX_COMMENT_DEPTH = 32;
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    /** The value does not follow the grammar. */
    static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false); // control flow only: no stack trace
        }
    }

    private final String s;
    private int pos;

    HeaderCursor(String s) {
        this.s = s;
    }

    boolean atEnd() {
        return pos >= s.length();
    }

    /** Skips white space (CR and LF count, so folded input reads as unfolded) and comments. */
    void skipCfws() {
        while (!atEnd()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        int depth = 0;
        while (!atEnd()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                if (++depth > MAX_COMMENT_DEPTH) {
                    throw new Malformed();
                }
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
        throw new Malformed(); // unterminated
    }

    /** Takes {@code c} if it is next. */
    boolean take(char c) {
        if (!atEnd() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!take(c)) {
            throw new Malformed();
        }
    }

    /** Takes {@code word}, any case, if it is next and not followed by more keyword characters. */
    boolean takeWord(String word) {
        int end = pos + word.length();
        if (end <= s.length() && s.regionMatches(true, pos, word, 0, word.length())
                && (end == s.length() || !isKeywordChar(s.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    /** Letters, digits, hyphens, underscores; "" if none are next. */
    String keyword() {
        int start = pos;
        while (!atEnd() && isKeywordChar(s.charAt(pos))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    String digits() {
        int start = pos;
        while (!atEnd() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return s.substring(start, pos);
    }

    boolean peekDigit() {
        return !atEnd() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9';
    }

    boolean peek(char c) {
        return !atEnd() && s.charAt(pos) == c;
    }

    /** RFC 8601 value: a token, or a quoted-string's content; "" if neither is next. */
    String value() {
        if (peek('"')) {
            return unescape(quotedString());
        }
        int start = pos;
        while (!atEnd() && isTokenChar(s.charAt(pos))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    /**
     * RFC 8601 pvalue: a quoted-string's content, or {@code "quoted"@domain} as written, or a run of characters up to
     * white space, ";" or a comment (a token or {@code local-part@domain}; "/" and "=" taken too, as other readers
     * do, for base64 in header.b).
     */
    String pvalue() {
        if (peek('"')) {
            String quoted = quotedString();
            if (!take('@')) {
                return unescape(quoted);
            }
            return quoted + "@" + run();
        }
        return run();
    }

    private String run() {
        int start = pos;
        while (!atEnd()) {
            char c = s.charAt(pos);
            if (c <= ' ' || c == ';' || c == '(' || c == ')' || c == '"') {
                break;
            }
            pos++;
        }
        return s.substring(start, pos);
    }

    /** A quoted-string as written, quotes included. */
    private String quotedString() {
        int start = pos;
        expect('"');
        while (!atEnd()) {
            char c = s.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '"') {
                return s.substring(start, pos);
            }
        }
        throw new Malformed(); // unterminated
    }

    /** A quoted-string's content: quotes off, quoted-pairs resolved, folding undone. */
    private static String unescape(String quoted) {
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                sb.append(quoted.charAt(++i));
            } else if (c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isKeywordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 0x7f && TSPECIALS.indexOf(c) < 0;
    }
}
