package dev.mta.queue;

import dev.mta.queue.model.StorageFullException;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;

/**
 * A message being received. Calls come from one thread at a time (the session's event loop); the work happens
 * on storage threads and never blocks the caller.
 */
public interface IncomingMessage {
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
     * Makes the message durable and visible in the queue. The future completes (on a storage thread) with the
     * id once it is on stable storage, or exceptionally, with {@link StorageFullException} when the disk is full.
     */
    CompletableFuture<String> commit();

    /** Drops the message; nothing of it stays visible. Safe to call at any time, also after a failed commit. */
    void abort();
}
