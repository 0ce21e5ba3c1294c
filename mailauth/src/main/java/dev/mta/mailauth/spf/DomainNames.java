package dev.mta.mailauth.spf;

import java.util.Optional;

/** The checks on domain names that SPF makes before it asks DNS anything (RFC 7208 4.3, 7.1 and 7.3). */
final class DomainNames {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private DomainNames() {
    }

    /**
     * Whether {@code domain} may be checked at all (RFC 7208 4.3): a multi-label name of ASCII letters, digits, hyphens
     * and underscores, no empty or over-long label, no address literal; anything else gives "none". Non-ASCII (U-label)
     * names are the caller's to turn into A-labels first.
     */
    static boolean isCheckable(String domain) {
        String d = withoutTrailingDot(domain);
        if (d.isEmpty() || d.length() > MAX_NAME || d.indexOf('.') < 0) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            if (i == d.length() || d.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!isNameChar(d.charAt(i))) {
                return false;
            }
        }
        return !allDigits(d.substring(d.lastIndexOf('.') + 1)); // an IPv4 address is no domain
    }

    /**
     * A macro-expanded target name made fit for a query: without its trailing dot, cut from the left to 253 characters
     * (RFC 7208 7.3); empty when it cannot be asked for (an empty or over-long label, a character outside
     * printable ASCII), which the mechanisms
     * take as a name that does not exist.
     */
    static Optional<String> forQuery(String expanded) {
        String d = withoutTrailingDot(expanded);
        while (d.length() > MAX_NAME) {
            int dot = d.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            d = d.substring(dot + 1);
        }
        if (d.isEmpty()) {
            return Optional.empty();
        }
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            if (i == d.length() || d.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL) {
                    return Optional.empty();
                }
                labelStart = i + 1;
            } else if (d.charAt(i) < ' ' || d.charAt(i) > '~') {
                return Optional.empty(); // a non-ASCII local part (SMTPUTF8) expanded into a name: no query
            }
        }
        return Optional.of(d);
    }

    /**
     * Whether {@code label} is a toplabel of RFC 7208 7.1: letters, digits and inner hyphens, not all digits (so that
     * "a:192.0.2.1" is refused as a domain).
     */
    static boolean isTopLabel(String label) {
        if (label.isEmpty() || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            return false;
        }
        boolean hyphen = false;
        boolean alpha = false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '-') {
                hyphen = true;
            } else if (isAlpha(c)) {
                alpha = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return alpha || hyphen;
    }

    /** Whether {@code name} is {@code domain} or one of its subdomains, in any case. */
    static boolean isWithin(String name, String domain) {
        String n = withoutTrailingDot(name);
        String d = withoutTrailingDot(domain);
        if (n.equalsIgnoreCase(d)) {
            return true;
        }
        return n.length() > d.length() && n.charAt(n.length() - d.length() - 1) == '.'
                && n.regionMatches(true, n.length() - d.length(), d, 0, d.length());
    }

    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isNameChar(char c) {
        return isAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
