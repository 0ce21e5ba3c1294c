package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;

/**
 * A check the session runs at connect, HELO/EHLO, MAIL, RCPT and DATA; every hook accepts unless overridden.
 * Hooks run on the session's event loop and must not block.
 *
 * <p>A policy that must ask someone first (DNS, the next hop) returns {@link Verdict#pending}: the session then stops
 * reading with a POLICY reason of its {@code InputPause}, exactly as it does while a message commits, and goes on
 * with the command on its event loop once the verdict is in, so pipelined commands keep their order and their
 * replies stay in order. The policy itself must still not block: it starts its lookup and returns.
 */
public interface SessionPolicy {
    /** A client connected; a refusal is sent instead of the greeting and the connection is closed. */
    default Verdict onConnect(SessionFacts session) {
        return Verdict.ACCEPT;
    }

    /** HELO or EHLO with {@code heloName}; the session's facts still hold the previous greeting, if any. */
    default Verdict onHelo(SessionFacts session, String heloName, boolean esmtp) {
        return Verdict.ACCEPT;
    }

    /** MAIL in sequence; no transaction exists yet. */
    default Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        return Verdict.ACCEPT;
    }

    /** RCPT in sequence; {@code recipient} as it will be stored (a bare postmaster already names this host). */
    default Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        return Verdict.ACCEPT;
    }

    /** DATA with at least one recipient, before the 354. */
    default Verdict onData(SessionFacts session, TransactionFacts transaction) {
        return Verdict.ACCEPT;
    }

    /**
     * MAIL accepted and its transaction begun: a check of the message's content to run through DATA, or
     * {@link ContentCheck#NONE} (the first policy that gives one decides). It may start its lookups now.
     */
    default ContentCheck contentCheck(SessionFacts session, TransactionFacts transaction) {
        return ContentCheck.NONE;
    }

    /**
     * VRFY {@code argument}: the answer, or null to leave it to the policies after this one (and in the end 252: no
     * address harvesting, RFC 5321 3.5.3).
     */
    default SmtpReply onVrfy(SessionFacts session, String argument) {
        return null;
    }

    /** EXPN {@code argument}: the answer, or null to leave it to the policies after this one (and in the end 502). */
    default SmtpReply onExpn(SessionFacts session, String argument) {
        return null;
    }
}
