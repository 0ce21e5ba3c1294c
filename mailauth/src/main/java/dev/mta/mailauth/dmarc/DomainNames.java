package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.HostNames;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/** Domain names as DMARC compares them: A-labels, lower case (RFC 4343), no trailing dot; and their labels. */
final class DomainNames {

    private DomainNames() {
    }

    /**
     * {@code name} as an A-label name in lower case without a trailing dot (RFC 9989 5.3.1 converts U-labels), or
     * empty if it cannot be a host name: empty labels, labels over 63 octets, characters other than letters, digits,
     * hyphen and underscore.
     */
    static Optional<String> normalize(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty()) {
            return Optional.empty();
        }
        try {
            n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return valid(n) ? Optional.of(n) : Optional.empty();
    }

    private static boolean valid(String n) {
        return HostNames.isHostName(n); // lower case already: normalize lowers it first
    }

    static int labelCount(String name) {
        int count = 1;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.') {
                count++;
            }
        }
        return count;
    }

    /** The last {@code count} labels of {@code name} (all of it if it has no more). */
    static String lastLabels(String name, int count) {
        int end = name.length();
        int seen = 0;
        for (int i = end - 1; i >= 0; i--) {
            if (name.charAt(i) == '.' && ++seen == count) {
                return name.substring(i + 1);
            }
        }
        return name;
    }

    /** Whether the two names end in the same label: without one, no walk can give them one organizational domain. */
    static boolean shareTopLabel(String a, String b) {
        return lastLabels(a, 1).equals(lastLabels(b, 1));
    }
}
