package dev.mta.mailauth.results;

/**
 * How values are written in an Authentication-Results header (RFC 8601 2.2): a token as it is, an address
 * ({@code local-part@domain}) as it is, anything else as a quoted-string; comments with their parentheses escaped.
 * Control characters (CR and LF above all) are dropped: nothing written can end the header or start another.
 */
final class ResultValues {
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private ResultValues() {
    }

    /** A method, ptype or property name: letters, digits, hyphen, underscore (RFC 8601 Keyword, RFC 5321 Ldh-str). */
    static boolean isKeyword(String s) {
        if (s == null || s.isEmpty() || !isAlnum(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(c -> isAlnum(c) || c == '-' || c == '_');
    }

    /** A property value or reason as written: token, address, or quoted-string. */
    static String value(String raw) {
        String s = clean(raw);
        return isToken(s) || isAddress(s) ? s : quoted(s);
    }

    /** An authserv-id or reason as written: token or quoted-string (RFC 8601 value: no address form). */
    static String tokenOrQuoted(String raw) {
        String s = clean(raw);
        return isToken(s) ? s : quoted(s);
    }

    /** Whether {@link #value} writes {@code raw} as a quoted-string. */
    static boolean needsQuotes(String raw) {
        String s = clean(raw);
        return !isToken(s) && !isAddress(s);
    }

    static String comment(String raw) {
        StringBuilder sb = new StringBuilder("(");
        for (char c : clean(raw).toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(')').toString();
    }

    /** RFC 2045 token: printable ASCII but space and tspecials. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** [local-part] "@" domain-name, the local part a dot-atom or a quoted-string (RFC 8601 pvalue). */
    static boolean isAddress(String s) {
        int at = s.lastIndexOf('@');
        if (at < 0 || !isDotAtom(s.substring(at + 1))) {
            return false;
        }
        String local = s.substring(0, at);
        return local.isEmpty() || isDotAtom(local) || isQuotedString(local);
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        return s.chars().allMatch(c -> c == '.' || isAtext(c));
    }

    /** A complete quoted-string: quotes at both ends, inner quotes and backslashes escaped. */
    private static boolean isQuotedString(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i == s.length() - 1) {
                    return false; // the closing quote escaped
                }
            } else if (c == '"') {
                return false;
            }
        }
        return true;
    }

    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Without control characters; a tab becomes a space. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\t') {
                sb.append(' ');
            } else if (c >= ' ' && c != 0x7f) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** RFC 5322 atext, with RFC 6532's UTF-8 beyond ASCII. */
    private static boolean isAtext(int c) {
        return isAlnum(c) || ATEXT_SPECIALS.indexOf(c) >= 0 || c > 0x7f;
    }

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
