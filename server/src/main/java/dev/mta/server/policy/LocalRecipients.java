package dev.mta.server.policy;

import dev.mta.mailbox.aliases.Alias;
import dev.mta.mailbox.directory.LocalAddress;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.AddressQueries;

import java.util.ArrayList;
import java.util.List;

/**
 * The recipients of the local domains: at RCPT, one that is neither a user nor an alias gets {@code 550 5.1.1}
 * then and there, not a bounce later (postmaster is always someone: the start makes sure). It also answers VRFY and
 * EXPN as {@link AddressQueries} allows. In memory only: never blocks.
 */
public final class LocalRecipients implements SessionPolicy {
    private final LocalDomains domains;
    private final LocalDirectory directory;
    private final AddressQueries queries;
    private final RelayRules rules;

    public LocalRecipients(LocalDomains domains, LocalDirectory directory, AddressQueries queries, RelayRules rules) {
        this.domains = domains;
        this.directory = directory;
        this.queries = queries;
        this.rules = rules;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        if (!domains.isLocal(recipient) || known(recipient)) {
            return Verdict.ACCEPT;
        }
        return Verdict.refuse(SmtpReply.of(550, "5.1.1", "<" + recipient.address()
                + ">: Recipient address rejected: User unknown in local recipient table"));
    }

    private boolean known(MailPath recipient) {
        return recipient.localPart().equalsIgnoreCase("postmaster")
                || !(directory.lookup(recipient.localPart(), recipient.domain()) instanceof LocalAddress.Unknown);
    }

    @Override
    public SmtpReply onVrfy(SessionFacts session, String argument) {
        if (queries.vrfy() == AddressQueries.Vrfy.OFF || !mayAsk(session)) {
            return Replies.CANNOT_VRFY;
        }
        MailPath a = address(argument);
        if (a == null || !domains.isLocal(a)) {
            return Replies.CANNOT_VRFY;
        }
        return known(a) ? SmtpReply.of(250, "2.1.5", "<" + a.address() + ">") : unknown(a);
    }

    @Override
    public SmtpReply onExpn(SessionFacts session, String argument) {
        if (queries.expn() == AddressQueries.Expn.OFF || !mayAsk(session)) {
            return Replies.EXPN_DISABLED;
        }
        MailPath a = address(argument);
        if (a == null || !domains.isLocal(a)) {
            return SmtpReply.of(550, "5.1.1", "<" + (a == null ? argument.strip() : a.address())
                    + ">: not a mailing list of this server");
        }
        LocalAddress found = directory.lookup(a.localPart(), a.domain());
        if (found instanceof LocalAddress.Aliased al) {
            Alias alias = al.alias();
            List<String> lines = new ArrayList<>();
            for (MailPath t : alias.targetsIn(a.domain())) {
                lines.add("<" + t.address() + ">");
            }
            return SmtpReply.of(250, dev.mta.protocol.reply.EnhancedStatus.of(2, 1, 5), lines);
        }
        if (found instanceof LocalAddress.Mailbox) {
            return SmtpReply.of(250, "2.1.5", "<" + a.address() + ">"); // a user: as VRFY (RFC 5321 3.5.2)
        }
        return unknown(a);
    }

    private static SmtpReply unknown(MailPath a) {
        return SmtpReply.of(550, "5.1.1", "<" + a.address() + ">: User unknown");
    }

    private boolean mayAsk(SessionFacts session) {
        return !queries.trustedOnly() || session.authenticated()
                || rules.current().inMynetworks(session.clientAddress());
    }

    /**
     * The address a VRFY or EXPN string names: {@code <a@b>}, {@code a@b}, or a bare local part (taken in the first
     * local domain, else our own name); null when there is nothing to read.
     */
    private MailPath address(String argument) {
        String s = argument == null ? "" : argument.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            return null;
        }
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            return at == 0 || at == s.length() - 1 ? null : new MailPath(s.substring(0, at), s.substring(at + 1), false);
        }
        return new MailPath(s, domains.home(), false);
    }
}
