package dev.mta.server.policy;


import dev.mta.queue.MessageStore;
import dev.mta.relay.verify.RecipientVerifier;
import dev.mta.server.config.RecipientVerification;
import dev.mta.server.config.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/** The chain every server runs: the configured limits, in the order their replies have always come. */
public final class StandardPolicies {
    private StandardPolicies() {
    }

    /**
     * MAIL: the declared size, then room in the queue. RCPT: SMTPUTF8 for non-ASCII addresses, then the recipient
     * limit. (The envelope budget is not a check but a reservation, so it is taken where the recipient is stored.)
     */
    public static PolicyChain of(ServerConfig config, MessageStore store) {
        return of(config, store, null);
    }

    /**
     * As {@link #of(ServerConfig, MessageStore)}, and at RCPT, last (the cheap checks first), recipients of the relay
     * domains verified by {@code verifier} when the configuration asks for it (null: no verification).
     */
    public static PolicyChain of(ServerConfig config, MessageStore store, RecipientVerifier verifier) {
        List<SessionPolicy> chain = new ArrayList<>(List.of(
                new DeclaredSizeLimit(config.maxMessageSize()),
                new QueueRoom(store),
                new Utf8Recipients(),
                new RecipientLimit(config.maxRecipients())));
        RecipientVerification v = config.verification();
        if (verifier != null && v.enabled()) {
            chain.add(new CallAheadPolicy(v::isRelayDomain, config.hostname(), verifier));
        }
        return PolicyChain.of(chain);
    }
}
