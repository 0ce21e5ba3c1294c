package dev.mta.relay.dispatch;

import dev.mta.queue.DeliveryQueue;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** What the dispatcher needs of the queue: due work, the outcomes back, and a word when work arrives. */
public interface WorkQueue {
    /** The earliest due unit of work for a route {@code allowed} accepts, or null. */
    QueuedDelivery poll(long nowMillis, Predicate<Route> allowed);

    /** Records each recipient's outcome, in the delivery's order; completes once durable. */
    CompletableFuture<Void> report(QueuedDelivery work, List<Outcome> outcomes);

    /** When the next unit of work comes due (milliseconds); Long.MAX_VALUE when none waits or it is not known. */
    default long nextDueMillis() {
        return Long.MAX_VALUE;
    }

    /** Called (on any thread) whenever work may have become due. */
    void onWorkAvailable(Runnable listener);

    /** The MTA's delivery queue as work for the dispatcher. */
    static WorkQueue of(DeliveryQueue queue) {
        return new DeliveryQueueWork(queue);
    }
}
