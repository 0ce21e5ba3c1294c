package dev.mta.archplant.relay.transport;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

/** Planted control: a transport that knows only the model passes. */
public final class PlantedTransportOnTheModel {
    public Outcome deliver(Route route) {
        return Outcome.deferred(route.toString());
    }
}
