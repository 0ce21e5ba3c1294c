package dev.mta.protocol.command;

import java.util.Locale;

/**
 * A reverse- or forward-path mailbox (RFC 5321 4.1.2): the local part exactly as sent (quotes kept), and the domain
 * or address literal. The null reverse-path {@code <>} has both empty; {@code <Postmaster>} has an empty domain.
 */
public final class MailPath {
    /** The null reverse-path {@code <>}. */
    public static final MailPath NULL = new MailPath("", "", false);

    private final String localPart;
    private final String domain;
    private final boolean utf8;

    public MailPath(String localPart, String domain, boolean utf8) {
        this.localPart = localPart;
        this.domain = domain;
        this.utf8 = utf8;
    }

    public String localPart() {
        return localPart;
    }

    /** The domain or address literal ("[192.0.2.1]"); empty for the null path and the bare Postmaster. */
    public String domain() {
        return domain;
    }

    /** Whether the path has non-ASCII characters and so needs SMTPUTF8. */
    public boolean isUtf8() {
        return utf8;
    }

    public boolean isNull() {
        return localPart.isEmpty();
    }

    /** The special {@code <Postmaster>} recipient without a domain (RFC 5321 4.1.1.3). */
    public boolean isBarePostmaster() {
        return domain.isEmpty() && localPart.equalsIgnoreCase("postmaster");
    }

    /** The mailbox as local@domain (empty for the null path, the local part alone for bare Postmaster). */
    public String address() {
        if (isNull()) {
            return "";
        }
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    /** The domain in lower case, for routing and comparisons. */
    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailPath)) {
            return false;
        }
        MailPath p = (MailPath) o;
        return localPart.equals(p.localPart) && domain.equalsIgnoreCase(p.domain);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + domain.toLowerCase(Locale.ROOT).hashCode();
    }

    /** The path as written in SMTP: {@code <local@domain>}. */
    @Override
    public String toString() {
        return "<" + address() + ">";
    }
}
