package dev.mta.queue.admin;

import dev.mta.queue.log.MessageBody;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.model.Envelope;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the operator does with the queue (Postfix's mailq, postqueue -f, postsuper -d/-h/-H): list, show, flush,
 * delete, hold and release. Apart from {@link dev.mta.queue.DeliveryQueue}, which is what the relay needs.
 *
 * <p>Listing and flushing work in memory and never wait on the disk. Reading an envelope or a body reads the disk:
 * call those from a thread that may block. Operations that write return a future that completes once their record
 * is durable; none of them waits for it.
 */
public interface QueueAdmin {
    /** Every queued message with its remaining recipients, oldest first; held ones say so. */
    List<QueueEntry> list();

    Optional<QueueEntry> find(String id);

    /** The entry and the envelope as received (every original recipient), read from the disk. */
    Optional<MessageDetails> show(String id) throws IOException;

    /** The envelope as received (with every original recipient), read back from storage. */
    Optional<Envelope> envelope(String id) throws IOException;

    /** The body of a queued message, to stream. */
    Optional<MessageBody> body(String id);

    /** Makes every waiting recipient due now (held messages stay held); returns how many units of work moved. */
    int flush();

    /** Makes the waiting recipients of one message due now; empty when there is no such message. */
    Optional<Integer> flush(String id);

    /** Removes a message and all its recipients; completes with false when there is no such message. */
    CompletableFuture<Boolean> delete(String id);

    /**
     * Puts a message on hold: none of it is handed out for delivery until it is released, across restarts too.
     * A delivery already under way finishes. Completes with false when there is no such message.
     */
    CompletableFuture<Boolean> hold(String id);

    /**
     * Releases a held message: what waited while it was held is due now. Its lifetime still counts from its
     * arrival, so one that outlived it while held fails (and bounces) at its first attempt. Completes with false when
     * there is no such message.
     */
    CompletableFuture<Boolean> release(String id);

    /** A queued message in full: its entry (state now) and the envelope as received. */
    record MessageDetails(QueueEntry entry, Envelope envelope) {
    }
}
