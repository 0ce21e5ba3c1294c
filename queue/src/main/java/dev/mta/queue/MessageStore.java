package dev.mta.queue;

import dev.mta.queue.model.Envelope;

/** Where the receiving server puts accepted messages: the boundary between smtpd and the queue. */
public interface MessageStore extends AutoCloseable {
    /** Starts storing a new message; nothing is visible in the queue until {@link IncomingMessage#commit()}. */
    IncomingMessage receive(Envelope envelope);

    /** Whether new mail can be taken now; when not, a session says 452 4.3.1 at MAIL instead of after the content. */
    default boolean hasRoom() {
        return true;
    }

    /** Finishes pending work and releases the store's threads and files. */
    @Override
    void close();
}
