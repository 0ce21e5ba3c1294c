package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.RelayControl;

/**
 * Never an open relay. At RCPT, a recipient in a relay or local domain is taken from anyone; any other recipient
 * only from a client in mynetworks or an authenticated one ({@link SessionFacts#authenticated()}); everyone else
 * gets {@code 554 5.7.1 Relay access denied}. The sender grants nothing, nor does an address literal.
 *
 * <p>A recipient is judged by the mailbox the mail would really go to. The source route of
 * {@code <@hop1,@hop2:user@domain>} is already dropped by the parser (RFC 5321 4.1.1.3), so the final mailbox is
 * what is seen here. A local part that routes on by itself, the percent hack ({@code user%other@ourdomain}), a bang
 * path ({@code other!user@ourdomain}) or a quoted one holding an {@code @} ({@code "user@other"@ourdomain}), is
 * refused as a relay attempt from clients that may not relay, whatever the domain after it (Postfix's
 * allow_untrusted_routing = no).
 *
 * <p>With a relay recipient table, a recipient of a relay domain it does not know gets {@code 550 5.1.1}, from
 * every client (it could not be delivered anyway), as Postfix's relay_recipient_maps. Policies after this one in the chain (recipient verification)
 * see only recipients that may be relayed. {@link #destination} tells them which kind a recipient is.
 */
public final class RelayAccess implements SessionPolicy {
    private static final Verdict DENIED = Verdict.refuse(SmtpReply.of(554, "5.7.1", "Relay access denied"));

    /** What a recipient is to this MTA, as far as relaying goes. */
    public enum Destination {
        /** In a local domain, or our own postmaster. */
        LOCAL,
        /** In a relay domain. */
        RELAY_DOMAIN,
        /** Anywhere else: relayed only for clients that may relay. */
        ELSEWHERE
    }

    private final RelayRules rules;
    private final String hostname;
    private final RelayRecipients recipients;
    private final String discarded;

    /**
     * @param hostname   our own name: {@code postmaster@hostname} (a bare {@code <Postmaster>} comes here as
     *                   that) is always taken (RFC 5321 4.5.1)
     * @param recipients the relay recipient table in force, if any
     */
    public RelayAccess(RelayControl control, String hostname, RelayRecipients recipients) {
        this(control, hostname, recipients, "");
    }

    /** @param discarded an address of ours that is always taken, and dropped (our probes' sender); "" for none */
    public RelayAccess(RelayControl control, String hostname, RelayRecipients recipients, String discarded) {
        this(RelayRules.of(control), hostname, recipients, discarded);
    }

    /** As above, judging by the relay control in force in {@code rules} at each recipient (a reload may replace it). */
    public RelayAccess(RelayRules rules, String hostname, RelayRecipients recipients, String discarded) {
        this.rules = rules;
        this.hostname = hostname;
        this.recipients = recipients;
        this.discarded = discarded;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        boolean trusted = maySendAnywhere(session);
        if (!trusted && routesOn(recipient.localPart())) {
            return DENIED;
        }
        switch (destination(recipient)) {
            case LOCAL:
                return Verdict.ACCEPT;
            case RELAY_DOMAIN:
                RecipientTable table = recipients.current();
                return table == null || table.contains(recipient) ? Verdict.ACCEPT : unknown(recipient);
            default:
                return trusted ? Verdict.ACCEPT : DENIED;
        }
    }

    /** Whether the session may relay to any domain: a client in mynetworks, or an authenticated one. */
    public boolean maySendAnywhere(SessionFacts session) {
        return session.authenticated() || rules.current().inMynetworks(session.clientAddress());
    }

    /** Which kind of destination {@code recipient}'s domain is (see {@link #routesOn} for its local part). */
    public Destination destination(MailPath recipient) {
        String domain = recipient.domain();
        RelayControl control = rules.current();
        if (control.localDomains().matches(domain)
                || domain.equalsIgnoreCase(hostname) && recipient.localPart().equalsIgnoreCase("postmaster")
                || !discarded.isEmpty() && recipient.address().equalsIgnoreCase(discarded)) {
            return Destination.LOCAL;
        }
        return control.relayDomains().matches(domain) ? Destination.RELAY_DOMAIN : Destination.ELSEWHERE;
    }

    /**
     * Whether a local part names a further destination: an '@', '%' or '!' in it, outside quotes or (unescaped
     * or escaped) inside them, as in {@code user%other}, {@code other!user}, {@code "user@other"}.
     */
    public static boolean routesOn(String localPart) {
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '@' || c == '%' || c == '!') {
                return true;
            }
        }
        return false;
    }

    private static Verdict unknown(MailPath recipient) {
        // Built per refusal: the reply names the recipient (refusals are the rare case).
        return Verdict.refuse(SmtpReply.of(550, "5.1.1",
                recipient + ": Recipient address rejected: User unknown in relay recipient table"));
    }
}
