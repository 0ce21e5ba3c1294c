package dev.mta.queue;

/** Where the receiving server puts accepted messages: the boundary between smtpd and the queue. */
public interface MessageStore extends AutoCloseable {
    /** Starts storing a new message; nothing is visible in the queue until {@link IncomingMessage#commit()}. */
    IncomingMessage receive(Envelope envelope);

    /** Finishes pending work and releases the store's threads and files. */
    @Override
    void close();
}
