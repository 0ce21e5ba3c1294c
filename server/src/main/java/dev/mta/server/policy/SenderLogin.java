package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;

/**
 * An authenticated client sends only as itself (Postfix's reject_sender_login_mismatch, simplified): when the user
 * name is an address (it contains '@'), MAIL FROM must be that address (compared ignoring case), else {@code 553
 * 5.7.1}. A user name without '@' owns no address we could check, so its senders are not refused; nor is the null
 * sender (bounces). Clients that have not authenticated are not this policy's concern.
 */
public final class SenderLogin implements SessionPolicy {
    static final SmtpReply NOT_OWNED = SmtpReply.of(553, "5.7.1", "Sender address rejected: not owned by user");
    private static final Verdict REFUSED = Verdict.refuse(NOT_OWNED);

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        String user = session.authenticatedUser();
        if (user == null || user.indexOf('@') < 0 || sender.isNull()) {
            return Verdict.ACCEPT;
        }
        return sender.address().equalsIgnoreCase(user) ? Verdict.ACCEPT : REFUSED;
    }
}
