package dev.mta.server.policy;


import dev.mta.queue.MessageStore;
import dev.mta.relay.verify.RecipientVerifier;
import dev.mta.server.config.RecipientVerification;
import dev.mta.server.config.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/** The chain every server runs: the configured limits, in the order their replies have always come, then relay control and recipient verification. */
public final class StandardPolicies {
    private StandardPolicies() {
    }

    /** The standard chain without a relay recipient table (relay-domain recipients are not checked). */
    public static PolicyChain of(ServerConfig config, MessageStore store) {
        return of(config, store, RelayRecipients.none(), null);
    }

    /**
     * MAIL: an authenticated user's own address ({@link SenderLogin}), the declared size, then room in the queue. RCPT: SMTPUTF8 for non-ASCII addresses, the recipient
     * limit, relay access (with {@code recipients}, the relay recipient table in force), then, when the configuration
     * asks for it, call-ahead verification of relay-domain recipients by {@code verifier} (null: none): last, so it
     * sees only recipients that may be relayed, and the cheap checks come first. (The envelope budget is not a check
     * but a reservation, so it is taken where the recipient is stored.)
     */
    public static PolicyChain of(ServerConfig config, MessageStore store, RelayRecipients recipients,
                                 RecipientVerifier verifier) {
        return of(config, store, RelayRules.of(config.relayControl(), config.verification()), recipients, verifier);
    }

    /**
     * As above, with the relay control in force in {@code rules} (which a reload may replace): relay access reads it
     * at each recipient, and call-ahead verifies the relay domains it names then.
     */
    public static PolicyChain of(ServerConfig config, MessageStore store, RelayRules rules, RelayRecipients recipients,
                                 RecipientVerifier verifier) {
        List<SessionPolicy> chain = new ArrayList<>(List.of(
                new SenderLogin(),
                new DeclaredSizeLimit(config.maxMessageSize()),
                new QueueRoom(store),
                new Utf8Recipients(),
                new RecipientLimit(config.maxRecipients()),
                new RelayAccess(rules, config.hostname(), recipients, config.verification().sender(config.hostname()))));
        RecipientVerification v = config.verification();
        if (verifier != null && v.enabled()) {
            // The relay domains in force, not those at start: a reload that adds one has its recipients verified.
            chain.add(new CallAheadPolicy(rules::isVerified, config.hostname(), verifier));
        }
        return PolicyChain.of(chain);
    }
}
