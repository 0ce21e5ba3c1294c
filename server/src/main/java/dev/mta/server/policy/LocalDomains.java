package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;

/**
 * Which recipients are delivered here: those of the local domains in force, and, when there are local domains,
 * {@code postmaster@} our own name (RFC 5321 4.5.1, a bare {@code <Postmaster>} arrives as that), but not the sender of our own verification probes,
 * whose mail is dropped. Read per recipient: a reload that adds a local domain counts at once, at RCPT and in routing.
 */
public final class LocalDomains {
    private final RelayRules rules;
    private final String hostname;
    private final String discarded;

    /** @param discarded the address of ours that is taken and dropped (our probes' sender); "" for none */
    public LocalDomains(RelayRules rules, String hostname, String discarded) {
        this.rules = rules;
        this.hostname = hostname;
        this.discarded = discarded;
    }

    /** Whether {@code recipient} is delivered here. */
    public boolean isLocal(MailPath recipient) {
        if (!discarded.isEmpty() && recipient.address().equalsIgnoreCase(discarded)) {
            return false;
        }
        return isLocalDomain(recipient.domain())
                || recipient.domain().equalsIgnoreCase(hostname) && recipient.localPart().equalsIgnoreCase("postmaster")
                && !rules.current().localDomains().isEmpty(); // without local domains there is no one here to take it
    }

    /**
     * The local domain a bare alias target ({@code alice}) takes when {@code domain}'s alias is expanded: that
     * domain when it is a local one, else (our own postmaster) the first local domain, so the target stays here.
     */
    public String homeOf(String domain) {
        return isLocalDomain(domain) ? domain : home();
    }

    /** The first local domain in force, or our own name without one: where a bare local name (VRFY alice) lives. */
    public String home() {
        String first = rules.current().localDomains().first();
        return first != null ? first : hostname;
    }

    /** Whether {@code domain} is one of the local domains in force. */
    public boolean isLocalDomain(String domain) {
        return rules.current().localDomains().matches(domain);
    }

}
