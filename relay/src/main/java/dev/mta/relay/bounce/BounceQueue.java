package dev.mta.relay.bounce;

import dev.mta.queue.model.Envelope;

import java.util.concurrent.CompletableFuture;

/** Where a bounce goes: queued like any message (an interface so the bounce service is tested without a queue). */
@FunctionalInterface
public interface BounceQueue {
    /** Queues {@code content} under {@code envelope}; completes with the queue id once durable, or fails. */
    CompletableFuture<String> enqueue(Envelope envelope, byte[] content);
}
