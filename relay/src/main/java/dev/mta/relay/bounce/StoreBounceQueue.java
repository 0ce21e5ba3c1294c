package dev.mta.relay.bounce;

import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.model.Envelope;
import io.netty.buffer.Unpooled;

import java.util.concurrent.CompletableFuture;

/** Bounces queued in the MTA's own message store, as received mail is. */
public final class StoreBounceQueue implements BounceQueue {
    private final MessageStore store;

    public StoreBounceQueue(MessageStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<String> enqueue(Envelope envelope, byte[] content) {
        try {
            IncomingMessage m = store.receive(envelope);
            m.write(Unpooled.wrappedBuffer(content));
            return m.commit();
        } catch (RuntimeException e) {
            // A store that refuses at once (full, closing) is a bounce not queued, as a failed commit is.
            return CompletableFuture.failedFuture(e);
        }
    }
}
