package dev.mta.server.smtp;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.server.policy.ContentCheck;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.queue.model.Envelope;
import dev.mta.server.policy.TransactionFacts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One mail transaction: the MAIL command's sender and parameters and the accepted recipients, each once (as Postfix
 * does, a repeated RCPT is answered but not stored again, so the message is not delivered to it twice).
 */
final class Transaction implements TransactionFacts {
    final MailPath sender;
    final MailParameters parameters;
    private final List<MailPath> paths = new ArrayList<>();
    private final List<String> recipients = new ArrayList<>();
    // MailPath equality: the local part exactly, the domain in any case.
    private final Set<MailPath> distinct = new HashSet<>();
    private final EnvelopeBudget budget;
    /** The policies' check of this message's content, begun at MAIL. */
    ContentCheck check = ContentCheck.NONE;
    /** RCPT commands accepted, repeats included. */
    private int accepted;
    /** Envelope memory this transaction holds, and the part of it drawn from the shared pool (see EnvelopeBudget). */
    long held;
    long fromPool;

    Transaction(MailPath sender, MailParameters parameters, EnvelopeBudget budget) {
        this.sender = sender;
        this.parameters = parameters;
        this.budget = budget;
    }

    /**
     * Adds a recipient within the envelope budget (452 4.3.1 past it). Every RCPT accepted counts toward the
     * recipient limit ({@link dev.mta.server.policy.RecipientLimit}); a repeat is stored once, and so costs no memory
     * and is delivered once.
     */
    SmtpReply addRecipient(MailPath recipient) {
        if (!distinct.contains(recipient)) {
            long cost = EnvelopeBudget.cost(recipient.address());
            if (!budget.take(this, cost)) {
                return Replies.STORAGE_FULL;
            }
            distinct.add(recipient);
            paths.add(recipient);
            recipients.add(recipient.address());
        }
        accepted++;
        return Replies.RECIPIENT_OK;
    }

    /** The Received "with" keyword (RFC 3848, RFC 6531): ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS...  */
    String protocol(boolean esmtp, boolean tls, boolean authenticated) {
        return dev.mta.protocol.trace.WithProtocol.keyword(esmtp, parameters.smtputf8(), tls, authenticated);
    }

    /** What the queue keeps of this transaction besides the content. */
    Envelope envelope(String client, String heloName, String protocol) {
        return new Envelope(sender, parameters, paths, client, heloName, protocol);
    }

    /** The transaction is over (queued, refused, reset, or the client gone): its share of the budget goes back. */
    void end() {
        budget.giveBack(this);
        check.abort(); // RSET, a new greeting, a refused DATA or the end of the message: let go of what it holds
    }

    /** The distinct recipients, in the order first given, as the first spelling of each. */
    @Override
    public List<String> recipients() {
        return Collections.unmodifiableList(recipients);
    }

    @Override
    public MailPath sender() {
        return sender;
    }

    @Override
    public MailParameters parameters() {
        return parameters;
    }

    @Override
    public int acceptedRecipients() {
        return accepted;
    }
}
