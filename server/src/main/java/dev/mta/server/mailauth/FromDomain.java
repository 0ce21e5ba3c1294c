package dev.mta.server.mailauth;

import java.util.List;
import java.util.Locale;

/**
 * The RFC5322.From domain DMARC is about: the domain of the one address of the one From field. With no From field,
 * several, or several addresses in it, there is none (RFC 9989 5.3.1 leaves such mail outside DMARC here).
 */
final class FromDomain {
    private FromDomain() {
    }

    /** The domain in lower case, or null. */
    static String of(List<String> fromValues) {
        if (fromValues.size() != 1) {
            return null;
        }
        String value = withoutComments(fromValues.get(0).replace("\r", "").replace("\n", ""));
        if (topLevelComma(value)) {
            return null;
        }
        int open = value.lastIndexOf('<');
        String address = open >= 0 ? value.substring(open + 1, closing(value, open)) : value;
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String domain = address.substring(at + 1).strip();
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return domain.isEmpty() || domain.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == '"')
                ? null : domain.toLowerCase(Locale.ROOT);
    }

    private static int closing(String value, int open) {
        int close = value.indexOf('>', open);
        return close < 0 ? value.length() : close;
    }

    /** The value without (comments), nested, and with quoted strings kept as they are. */
    private static String withoutComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                if (depth == 0) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (quoted) {
                out.append(c);
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                quoted = c == '"';
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether a comma outside quotes and angle brackets separates several mailboxes. */
    private static boolean topLevelComma(String value) {
        boolean quoted = false;
        boolean angle = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle = true;
            } else if (!quoted && c == '>') {
                angle = false;
            } else if (!quoted && !angle && c == ',') {
                return true;
            }
        }
        return false;
    }
}
