package dev.mta.queue;

import java.util.List;

/** A queued message as the queue tool lists it: envelope and every remaining recipient's state. */
public record QueueEntry(String id, long arrivalMillis, String sender, String mailParameters, long bodyLength,
                         List<Recipient> recipients) {

    /** One recipient still on the destination list. */
    public record Recipient(String address, RecipientState state, int attempts, long nextAttemptMillis,
                            String lastError) {
    }
}
