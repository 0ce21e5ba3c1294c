package dev.mta.relay.transport;

import dev.mta.queue.model.Outcome;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A way of delivering mail (SMTP now, local later): the recipients of one message for one next hop. */
public interface Transport {
    /**
     * Delivers and returns one outcome per recipient, in the delivery's order. The future never fails: trouble
     * becomes deferrals, so the dispatcher always has something to report.
     */
    CompletableFuture<List<Outcome>> deliver(Delivery delivery);

    /**
     * Delivers as {@link #deliver(Delivery)}, marking {@code clock} when a connection is ready for the transaction,
     * so the mail log can tell connection setup from transmission. A transport that makes no connection ignores it.
     */
    default CompletableFuture<List<Outcome>> deliver(Delivery delivery, AttemptClock clock) {
        return deliver(delivery);
    }

    /** Called about once a second by the dispatcher: let go of what has been idle too long (kept connections). */
    default void closeIdle() {
    }

    /** Releases what the transport keeps; deliveries under way have ended or been given up on. */
    default void close() {
    }
}
