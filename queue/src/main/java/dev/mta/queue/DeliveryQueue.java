package dev.mta.queue;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the relay uses: due work and outcomes. Every method works in memory and may be called from an event loop;
 * the operator's list, show, flush, delete, hold and release are {@link dev.mta.queue.admin.QueueAdmin}.
 */
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

    /**
     * Makes the waiting recipients of one route due now, as a flush limited to that route (held messages stay held):
     * the relay's call when a next hop that was down answers again. Returns how many units of work moved.
     */
    int makeDue(Route route);

    /** Called (on any thread) whenever work may have become due. */
    void onWorkAvailable(Runnable listener);
}
