package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;

import java.util.List;

/** Policies run in order at every hook; the first that does not accept decides. Immutable, shared by all sessions. */
public final class PolicyChain implements SessionPolicy {
    // An array, walked by index: a decision on the hot path allocates nothing.
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
        for (SessionPolicy p : policies) {
            Verdict v = p.onConnect(session);
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onHelo(SessionFacts session, String heloName, boolean esmtp) {
        for (SessionPolicy p : policies) {
            Verdict v = p.onHelo(session, heloName, esmtp);
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        for (SessionPolicy p : policies) {
            Verdict v = p.onMail(session, sender, parameters);
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        for (SessionPolicy p : policies) {
            Verdict v = p.onRcpt(session, transaction, recipient);
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }

    @Override
    public Verdict onData(SessionFacts session, TransactionFacts transaction) {
        for (SessionPolicy p : policies) {
            Verdict v = p.onData(session, transaction);
            if (!v.accepted()) {
                return v;
            }
        }
        return Verdict.ACCEPT;
    }
}
