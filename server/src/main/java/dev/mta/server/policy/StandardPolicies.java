package dev.mta.server.policy;

import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;

/** The chain every server runs: the configured limits, in the order their replies have always come, then relay control. */
public final class StandardPolicies {
    private StandardPolicies() {
    }

    /** The standard chain without a relay recipient table (relay-domain recipients are not checked). */
    public static PolicyChain of(ServerConfig config, MessageStore store) {
        return of(config, store, RelayRecipients.none());
    }

    /**
     * MAIL: the declared size, then room in the queue. RCPT: SMTPUTF8 for non-ASCII addresses, the recipient
     * limit, then relay access (with {@code recipients}, the relay recipient table in force). A recipient
     * verification policy belongs after relay access: it then sees only recipients that may be relayed. (The
     * envelope budget is not a check but a reservation, so it is taken where the recipient is stored.)
     */
    public static PolicyChain of(ServerConfig config, MessageStore store, RelayRecipients recipients) {
        return PolicyChain.of(
                new DeclaredSizeLimit(config.maxMessageSize()),
                new QueueRoom(store),
                new Utf8Recipients(),
                new RecipientLimit(config.maxRecipients()),
                new RelayAccess(config.relayControl(), config.hostname(), recipients));
    }
}
