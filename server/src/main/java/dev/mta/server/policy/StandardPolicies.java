package dev.mta.server.policy;

import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;

/** The chain every server runs: the configured limits, in the order their replies have always come. */
public final class StandardPolicies {
    private StandardPolicies() {
    }

    /**
     * MAIL: the declared size, then room in the queue. RCPT: SMTPUTF8 for non-ASCII addresses, then the recipient
     * limit. (The envelope budget is not a check but a reservation, so it is taken where the recipient is stored.)
     */
    public static PolicyChain of(ServerConfig config, MessageStore store) {
        return PolicyChain.of(
                new DeclaredSizeLimit(config.maxMessageSize()),
                new QueueRoom(store),
                new Utf8Recipients(),
                new RecipientLimit(config.maxRecipients()));
    }
}
