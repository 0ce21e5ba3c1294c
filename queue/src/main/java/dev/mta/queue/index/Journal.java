package dev.mta.queue.index;

import dev.mta.queue.model.StorageFullException;
import dev.mta.queue.log.LogWriter;
import dev.mta.queue.log.SegmentPins;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Writes what changed in the index to the log after the change was made in memory: STATE, REMOVE, HOLD and RELEASE
 * records, each through the {@link LogWriter} (group commit). A change is always made in the index first and its
 * record queued after, so a record restating the message (relocation, on the writer thread) either saw the change
 * or is followed in the log by its record.
 */
public final class Journal {
    private final LogWriter writer;
    private final SegmentPins pins;

    public Journal(LogWriter writer, SegmentPins pins) {
        this.writer = writer;
        this.pins = pins;
    }

    /**
     * Queues a record; the future completes once it is durable (fsynced). {@code unpinSegment} (or -1) is released when the
     * record is written or has failed: the first segment of a message that left the index.
     */
    public CompletableFuture<Void> append(byte type, Supplier<ByteBuf> payload, long unpinSegment) {
        return append(type, payload, unpinSegment, true);
    }

    /**
     * Queues a record that needs no fsync of its own: the future completes once it is written, and it rides the
     * next fsync (within a second). For delivery outcomes: a power cut before that fsync forgets the outcome, and the
     * recipient is tried again (a duplicate, never a loss), as Postfix's queue manager marks recipients done without
     * an fsync; a process crash loses nothing written.
     */
    public CompletableFuture<Void> appendUnsynced(byte type, Supplier<ByteBuf> payload, long unpinSegment) {
        return append(type, payload, unpinSegment, false);
    }

    private CompletableFuture<Void> append(byte type, Supplier<ByteBuf> payload, long unpinSegment, boolean sync) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.append(type, payload, sync, (loc, failure) -> {
            if (unpinSegment >= 0) {
                pins.release(unpinSegment);
            }
            if (failure != null) {
                done.completeExceptionally(StorageFullException.classify(failure));
            } else {
                done.complete(null);
            }
        });
        return done;
    }
}
