package dev.mta.relay.dispatch;

import dev.mta.queue.DeliveryJob;
import dev.mta.queue.DeliveryQueue;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.transport.Delivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The queue's delivery jobs turned into plain deliveries; the job rides along as the ticket for the report. */
final class DeliveryQueueWork implements WorkQueue {
    private final DeliveryQueue queue;

    DeliveryQueueWork(DeliveryQueue queue) {
        this.queue = queue;
    }

    @Override
    public QueuedDelivery poll(long nowMillis, Predicate<Route> allowed) {
        DeliveryJob job = queue.poll(nowMillis, allowed);
        if (job == null) {
            return null;
        }
        Delivery d = new Delivery(job.id(), job.sender(), job.parameters(), job.route(), job.recipients(), job.body());
        return new QueuedDelivery(d, job.lastOutcomes(), job.expired(), job.arrivalMillis(), job, job.queuedMillis());
    }

    @Override
    public CompletableFuture<Void> report(QueuedDelivery work, List<Outcome> outcomes) {
        return queue.report((DeliveryJob) work.ticket(), outcomes);
    }

    @Override
    public long nextDueMillis() {
        return queue.nextDueMillis();
    }

    @Override
    public void onWorkAvailable(Runnable listener) {
        queue.onWorkAvailable(listener);
    }
}
