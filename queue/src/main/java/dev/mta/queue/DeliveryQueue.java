package dev.mta.queue;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.model.Envelope;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What relay workers and the queue tool use: due work, outcomes, and the operator's list, flush and delete. */
public interface DeliveryQueue {
    /** The earliest due unit of work for any route, or null when nothing is due at {@code nowMillis}. */
    DeliveryJob poll(long nowMillis);

    /** The earliest due unit of work for a route {@code allowed} accepts, or null. */
    DeliveryJob poll(long nowMillis, java.util.function.Predicate<Route> allowed);

    /** The earliest due unit of work for one route (to reuse a connection), or null. */
    DeliveryJob poll(Route route, long nowMillis);

    /** When the next unit of work comes due; Long.MAX_VALUE when none waits. */
    long nextDueMillis();

    /**
     * Records what happened to each recipient of {@code job}, in the job's order. Delivered and failed recipients
     * leave the queue; deferred ones come back after a back-off. Completes once durable.
     */
    CompletableFuture<Void> report(DeliveryJob job, List<Outcome> outcomes);

    /** Every queued message with its remaining recipients, oldest first. */
    List<QueueEntry> list();

    Optional<QueueEntry> find(String id);

    /** The envelope as received (with every original recipient), read back from storage. */
    Optional<Envelope> envelope(String id) throws IOException;

    /** The body of a queued message, to stream. */
    Optional<MessageBody> body(String id);

    /** Makes every waiting recipient due now; returns how many units of work moved. */
    int flush();

    /** Removes a message and all its recipients; false when there is no such message. */
    boolean delete(String id) throws IOException;

    /** Called (on any thread) whenever work may have become due. */
    void onWorkAvailable(Runnable listener);
}
