package dev.mta.queue.model;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;

import java.util.List;

/**
 * A queued message as the queue tool lists it: envelope and every remaining recipient's state, and whether the
 * operator holds it (then none of it is delivered until it is released).
 */
public record QueueEntry(String id, long arrivalMillis, MailPath sender, MailParameters parameters, long bodyLength,
                         List<Recipient> recipients, boolean held) {

    /** The MAIL parameters as they would be sent ("BODY=8BITMIME"). */
    public String mailParameters() {
        return parameters.toString();
    }

    /** One recipient still on the destination list, with what its last attempt did (null before any). */
    public record Recipient(MailPath path, RecipientState state, int attempts, long nextAttemptMillis,
                            Outcome lastOutcome) {
        public String address() {
            return path.address();
        }

        /** The last attempt's outcome in one line, null before any. */
        public String lastError() {
            return lastOutcome == null ? null : lastOutcome.detail();
        }
    }
}
