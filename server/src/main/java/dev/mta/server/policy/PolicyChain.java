package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;

import java.util.List;

/**
 * Policies run in order at every hook; the first that does not accept decides. Immutable, shared by all sessions.
 * A pending verdict holds up the policies after it: they are asked (by the session, on its event loop) only once it
 * settles as accepted.
 */
public final class PolicyChain implements SessionPolicy {
    // An array, walked by index: a decision on the hot path allocates nothing (a pending one may).
    private final SessionPolicy[] policies;

    private PolicyChain(List<SessionPolicy> policies) {
        this.policies = policies.toArray(new SessionPolicy[0]);
    }

    public static PolicyChain of(SessionPolicy... policies) {
        return new PolicyChain(List.of(policies));
    }

    public static PolicyChain of(List<SessionPolicy> policies) {
        return new PolicyChain(List.copyOf(policies));
    }

    @Override
    public Verdict onConnect(SessionFacts session) {
        return onConnect(0, session);
    }

    private Verdict onConnect(int from, SessionFacts session) {
        for (int i = from; i < policies.length; i++) {
            Verdict v = policies[i].onConnect(session);
            if (v.isPending()) {
                int next = i + 1;
                return next == policies.length ? v : v.then(() -> onConnect(next, session));
            }
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onHelo(SessionFacts session, String heloName, boolean esmtp) {
        return onHelo(0, session, heloName, esmtp);
    }

    private Verdict onHelo(int from, SessionFacts session, String heloName, boolean esmtp) {
        for (int i = from; i < policies.length; i++) {
            Verdict v = policies[i].onHelo(session, heloName, esmtp);
            if (v.isPending()) {
                int next = i + 1;
                return next == policies.length ? v : v.then(() -> onHelo(next, session, heloName, esmtp));
            }
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        return onMail(0, session, sender, parameters);
    }

    private Verdict onMail(int from, SessionFacts session, MailPath sender, MailParameters parameters) {
        for (int i = from; i < policies.length; i++) {
            Verdict v = policies[i].onMail(session, sender, parameters);
            if (v.isPending()) {
                int next = i + 1;
                return next == policies.length ? v : v.then(() -> onMail(next, session, sender, parameters));
            }
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        return onRcpt(0, session, transaction, recipient);
    }

    private Verdict onRcpt(int from, SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        for (int i = from; i < policies.length; i++) {
            Verdict v = policies[i].onRcpt(session, transaction, recipient);
            if (v.isPending()) {
                int next = i + 1;
                return next == policies.length ? v : v.then(() -> onRcpt(next, session, transaction, recipient));
            }
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onData(SessionFacts session, TransactionFacts transaction) {
        return onData(0, session, transaction);
    }

    private Verdict onData(int from, SessionFacts session, TransactionFacts transaction) {
        for (int i = from; i < policies.length; i++) {
            Verdict v = policies[i].onData(session, transaction);
            if (v.isPending()) {
                int next = i + 1;
                return next == policies.length ? v : v.then(() -> onData(next, session, transaction));
            }
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public ContentCheck contentCheck(SessionFacts session, TransactionFacts transaction) {
        for (SessionPolicy p : policies) {
            ContentCheck check = p.contentCheck(session, transaction);
            if (check != ContentCheck.NONE) {
                return check;
            }
        }
        return ContentCheck.NONE;
    }

    @Override
    public SmtpReply onVrfy(SessionFacts session, String argument) {
        for (SessionPolicy p : policies) {
            SmtpReply r = p.onVrfy(session, argument);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Override
    public SmtpReply onExpn(SessionFacts session, String argument) {
        for (SessionPolicy p : policies) {
            SmtpReply r = p.onExpn(session, argument);
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
