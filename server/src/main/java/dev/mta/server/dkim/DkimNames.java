package dev.mta.server.dkim;

import dev.mta.mailauth.dns.HostNames;

import java.util.Locale;

/**
 * The domain and selector of a key, checked and in lower case: they name a DNS record and the key's file, so a name
 * with a slash, an empty label or a non-ASCII letter is refused before it reaches either.
 */
final class DkimNames {
    /** What the options accept, for their error lines. */
    static final String SYNTAX = "labels of ASCII letters, digits, hyphens and underscores separated by dots; "
            + "an international name in its xn-- form";

    private DkimNames() {
    }

    /**
     * The domain, without the one trailing dot an absolute name may have; null when it is not a host name (the
     * caller names the option).
     */
    static String domain(String text) {
        String d = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return HostNames.isHostName(d) ? d.toLowerCase(Locale.ROOT) : null;
    }

    /** The selector (RFC 6376 3.1: labels, dots allowed), or null when it is none. */
    static String selector(String text) {
        return HostNames.isHostName(text) ? text.toLowerCase(Locale.ROOT) : null;
    }

    /** The name of the key record: {@code selector._domainkey.domain}, without the final dot. */
    static String recordName(String domain, String selector) {
        return selector + "._domainkey." + domain;
    }
}
