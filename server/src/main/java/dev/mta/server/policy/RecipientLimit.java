package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.Replies;

/**
 * At most max-recipients RCPT commands accepted per transaction, repeats included as in Postfix, so that repeats
 * cannot go on without end; past it 452 4.5.3 (RFC 5321 4.5.3.1.10: the client sends the rest in another message).
 */
public final class RecipientLimit implements SessionPolicy {
    private static final Verdict TOO_MANY = Verdict.refuse(Replies.TOO_MANY_RECIPIENTS);

    private final int maxRecipients;

    public RecipientLimit(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        return transaction.acceptedRecipients() >= maxRecipients ? TOO_MANY : Verdict.ACCEPT;
    }
}
