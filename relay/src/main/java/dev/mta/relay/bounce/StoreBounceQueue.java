package dev.mta.relay.bounce;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.trace.HeaderValueScanner;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.model.Envelope;
import io.netty.buffer.Unpooled;

import java.util.concurrent.CompletableFuture;

/** Bounces queued in the MTA's own message store, as received mail is. */
public final class StoreBounceQueue implements BounceQueue {
    private final MessageStore store;
    private final MailEvents events;

    public StoreBounceQueue(MessageStore store) {
        this(store, MailEvents.NONE);
    }

    /** @param events hears each bounce queued, as a session's message is (no client: it was made here) */
    public StoreBounceQueue(MessageStore store, MailEvents events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public CompletableFuture<String> enqueue(Envelope envelope, byte[] content) {
        try {
            IncomingMessage m = store.receive(envelope);
            HeaderValueScanner messageId = HeaderValueScanner.messageId();
            messageId.scan(content, 0, content.length);
            m.write(Unpooled.wrappedBuffer(content));
            long start = System.nanoTime();
            return m.commit().thenApply(id -> {
                events.messageQueued(new MailEvent.MessageQueued(id, envelope.sender(), envelope.recipients().size(),
                        content.length, null, System.nanoTime() - start, messageId.value()));
                return id;
            });
        } catch (RuntimeException e) {
            // A store that refuses at once (full, closing) is a bounce not queued, as a failed commit is.
            return CompletableFuture.failedFuture(e);
        }
    }
}
