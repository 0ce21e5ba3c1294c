package dev.mta.server.policy;

import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.auth.AuthFailures;

/** At connect: a client address locked out for failed AUTH attempts ({@link AuthFailures}) gets 421 4.7.0 and is closed. */
public final class AuthLockout implements SessionPolicy {
    public static final SmtpReply TOO_MANY_FAILURES = SmtpReply.of(421, "4.7.0", "Too many failed authentications");
    private static final Verdict REFUSED = Verdict.refuse(TOO_MANY_FAILURES);

    private final AuthFailures failures;

    public AuthLockout(AuthFailures failures) {
        this.failures = failures;
    }

    @Override
    public Verdict onConnect(SessionFacts session) {
        return failures.lockedOut(session.clientAddress()) ? REFUSED : Verdict.ACCEPT;
    }
}
