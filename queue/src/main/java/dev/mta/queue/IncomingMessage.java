package dev.mta.queue;

import dev.mta.queue.model.StorageFullException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.concurrent.CompletableFuture;

/**
 * A message being received. Calls come from one thread at a time (the session's event loop); the work happens
 * on storage threads and never blocks the caller.
 */
public interface IncomingMessage {
    /** The largest header prefix {@link #commit(ByteBuf)} takes: a few signatures and results, never a body. */
    int MAX_HEADER_PREFIX = 64 * 1024;

    /** The queue id, known from the start so the Received header can name it. */
    String id();

    /**
     * Appends content; takes ownership of {@code data} and releases it.
     *
     * @return false when enough is waiting for the disk that the caller should stop reading until
     *         {@link #whenDrained(Runnable)} fires
     */
    boolean write(ByteBuf data);

    /** Runs {@code action} (on a storage thread) once no written data is waiting, at once if none is. */
    void whenDrained(Runnable action);

    /**
     * Makes the message durable and visible in the queue, with no header prefix: {@code commit(EMPTY_BUFFER)}.
     */
    default CompletableFuture<String> commit() {
        return commit(Unpooled.EMPTY_BUFFER);
    }

    /**
     * Makes the message durable and visible in the queue, beginning with {@code headerPrefix}: header fields learnt
     * only at the end of the content (Authentication-Results, a DKIM-Signature over the finished message) are put
     * above it. The stored message is the prefix, then the content written; every later read of it (each delivery
     * attempt, a bounce, the operator's show) gets both as one message, and its length counts both. The prefix is
     * stored in the same record and made durable by the same fsync as the message, so the future completes only
     * once both are on stable storage.
     *
     * <p>The future completes (on a storage thread) with the id once it is on stable storage, or exceptionally,
     * with {@link StorageFullException} when the disk is full.
     *
     * @param headerPrefix complete header fields, each ending in CRLF, or an empty buffer for none; at most
     *                     {@link #MAX_HEADER_PREFIX} bytes. Ownership passes to this call, which releases it, also
     *                     when it fails
     * @throws IllegalArgumentException (the prefix released, the message still open: abort it) when the prefix is
     *                     too long or does not end in CRLF
     */
    CompletableFuture<String> commit(ByteBuf headerPrefix);

    /** Drops the message; nothing of it stays visible. Safe to call at any time, also after a failed commit. */
    void abort();
}
