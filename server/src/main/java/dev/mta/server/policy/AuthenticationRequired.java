package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;

/**
 * The submission listener's rule (RFC 6409 4.3, port 587): no MAIL before the client has authenticated, {@code 530
 * 5.7.0}. It reads {@link SessionFacts#authenticated()}, true once the client has authenticated with SMTP AUTH.
 * First in the submission listener's chain.
 */
public final class AuthenticationRequired implements SessionPolicy {
    static final SmtpReply REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");
    private static final Verdict REFUSED = Verdict.refuse(REQUIRED);

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        return session.authenticated() ? Verdict.ACCEPT : REFUSED;
    }
}
