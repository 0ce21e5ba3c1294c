package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;

/** MAIL with a SIZE above the maximum message size gets 552 5.3.4 before the client sends the content (RFC 1870). */
public final class DeclaredSizeLimit implements SessionPolicy {
    private final long maxMessageSize;
    private final Verdict tooBig;

    public DeclaredSizeLimit(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
        this.tooBig = Verdict.refuse(SmtpReply.of(552, "5.3.4",
                "Error: message size exceeds fixed maximum message size of " + maxMessageSize + " bytes"));
    }

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        return parameters.declaredSize() > maxMessageSize ? tooBig : Verdict.ACCEPT;
    }
}
