package dev.mta.archplant.server.smtp;

import dev.mta.queue.model.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;

/** Breaks nothing: a session hands its message to the MessageStore interface. */
public final class PlantedSessionThroughTheStore {
    public static IncomingMessage receive(MessageStore store, Envelope envelope) {
        return store.receive(envelope);
    }
}
