package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.Replies;

/**
 * A non-ASCII recipient in a transaction whose MAIL did not ask for SMTPUTF8 gets 553 5.6.7 (RFC 6531 3.4). Protocol
 * misuse, so it counts as an error.
 */
public final class Utf8Recipients implements SessionPolicy {
    private static final Verdict NEEDS_SMTPUTF8 = Verdict.error(Replies.NON_ASCII_WITHOUT_SMTPUTF8);

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        return recipient.isUtf8() && !transaction.parameters().smtputf8() ? NEEDS_SMTPUTF8 : Verdict.ACCEPT;
    }
}
