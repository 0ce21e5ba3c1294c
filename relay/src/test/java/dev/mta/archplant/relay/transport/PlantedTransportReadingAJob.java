package dev.mta.archplant.relay.transport;

import dev.mta.queue.DeliveryJob;
import dev.mta.queue.model.Outcome;

/** Planted: a transport that takes the queue's job instead of a Delivery of plain values. */
public final class PlantedTransportReadingAJob {
    public Outcome deliver(DeliveryJob job) {
        return Outcome.deferred(job.id());
    }
}
