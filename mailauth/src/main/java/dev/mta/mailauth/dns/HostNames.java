package dev.mta.mailauth.dns;

/** The syntax of the names DKIM and DMARC look up: LDH labels (underscore allowed, as in _domainkey and _dmarc). */
public final class HostNames {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /**
     * Whether {@code name} (no trailing dot) is labels of ASCII letters in either case, digits, hyphens and
     * underscores, none empty or over 63 octets, 253 in all at most.
     */
    public static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                if (++labelLength > MAX_LABEL) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return labelLength > 0;
    }
}
