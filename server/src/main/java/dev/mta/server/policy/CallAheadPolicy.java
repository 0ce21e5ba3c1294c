package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.relay.verify.RecipientVerifier;
import dev.mta.relay.verify.Verification;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * RCPT for a relay domain is taken only when its next hop takes the recipient (call-ahead, through a
 * {@link RecipientVerifier} and its cache), so that we never accept mail we would have to bounce (no backscatter):
 * a recipient it rejects gets {@code 550 5.1.1} with its reply, one that cannot be verified now {@code 450 4.1.1}.
 * Recipients of other domains (our own name, mail relayed for trusted clients) are left to other policies. An
 * answer from the cache is given at once; a probe makes the verdict pending.
 */
public final class CallAheadPolicy implements SessionPolicy {
    private final Predicate<String> relayDomain;
    private final String ourDomain;
    private final RecipientVerifier verifier;

    /**
     * @param relayDomain whether a domain (lower case) is one whose recipients are verified
     * @param hostname    our name: its recipients (the probes' own sender among them) are ours, never probed
     */
    public CallAheadPolicy(Predicate<String> relayDomain, String hostname, RecipientVerifier verifier) {
        this.relayDomain = relayDomain;
        this.ourDomain = hostname.toLowerCase(Locale.ROOT);
        this.verifier = verifier;
    }

    @Override
    public Verdict onRcpt(SessionFacts session, TransactionFacts transaction, MailPath recipient) {
        String domain = recipient.domainKey();
        if (domain.equals(ourDomain) || !relayDomain.test(domain)) {
            return Verdict.ACCEPT;
        }
        CompletableFuture<Verification> answer = verifier.verify(recipient);
        if (answer.isDone()) {
            return verdict(recipient, answer.join()); // cached: no wait, no pause
        }
        return Verdict.pending(answer.thenApply(v -> verdict(recipient, v)));
    }

    static Verdict verdict(MailPath recipient, Verification v) {
        switch (v.kind()) {
            case ACCEPTED:
                return Verdict.ACCEPT;
            case REJECTED:
                String said = v.code() != 0 ? "next hop said: " + v.code() + " " + v.text() : v.text();
                return Verdict.refuse(SmtpReply.of(550, "5.1.1", recipient + ": Recipient address rejected: " + said));
            default:
                return Verdict.refuse(SmtpReply.of(450, "4.1.1",
                        recipient + ": Recipient address verification failed, try again later"));
        }
    }
}
