package dev.mta.relay.dispatch;

import dev.mta.queue.model.Outcome;
import dev.mta.relay.transport.Delivery;

import java.util.List;

/**
 * A unit of due work as the dispatcher sees it: the delivery to hand a transport, plus what the queue knows
 * about the message's history.
 *
 * @param delivery      the recipients of one message for one route, with the content
 * @param lastOutcomes  what the last attempt did for each recipient, in order; null entries before any attempt
 * @param expired       the message has outlived its lifetime: fail these recipients, do not try
 * @param arrivalMillis when the message arrived (for the DSN)
 * @param ticket        the queue's own handle of the job, given back with the report (opaque to the relay)
 * @param queuedMillis  when the message was committed to the queue (the mail log's receipt and queue times)
 */
public record QueuedDelivery(Delivery delivery, List<Outcome> lastOutcomes, boolean expired, long arrivalMillis,
                             Object ticket, long queuedMillis) {
    public QueuedDelivery {
        if (lastOutcomes.size() != delivery.recipients().size()) {
            throw new IllegalArgumentException("one last outcome per recipient");
        }
    }

    /** Committed when it arrived, as far as anyone knows. */
    public QueuedDelivery(Delivery delivery, List<Outcome> lastOutcomes, boolean expired, long arrivalMillis,
                          Object ticket) {
        this(delivery, lastOutcomes, expired, arrivalMillis, ticket, arrivalMillis);
    }

    public String id() {
        return delivery.messageId();
    }
}
