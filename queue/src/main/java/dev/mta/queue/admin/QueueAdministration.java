package dev.mta.queue.admin;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.queue.log.MessageBody;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.index.Journal;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.model.Envelope;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's operations over the {@link QueueIndex}: each change is made in memory under the index's lock,
 * then its record (REMOVE, HOLD, RELEASE) is queued to the writer through the {@link Journal}; reads of envelopes
 * and bodies go to the log with no lock held.
 */
public final class QueueAdministration implements QueueAdmin {
    /** How often a read is tried again when the compactor moved the message while it was being read. */
    private static final int READ_ATTEMPTS = 3;

    private final QueueIndex index;
    private final Journal journal;
    private final SegmentLog segmentLog;
    private final Runnable workAvailable;
    private final MailEvents events;

    public QueueAdministration(QueueIndex index, Journal journal, SegmentLog segmentLog, Runnable workAvailable,
                               MailEvents events) {
        this.events = events;
        this.index = index;
        this.journal = journal;
        this.segmentLog = segmentLog;
        this.workAvailable = workAvailable;
    }

    @Override
    public List<QueueEntry> list() {
        return index.list();
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        return index.find(id);
    }

    @Override
    public Optional<MessageDetails> show(String id) throws IOException {
        Optional<Envelope> envelope = envelope(id);
        Optional<QueueEntry> entry = index.find(id);
        if (envelope.isEmpty() || entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MessageDetails(entry.get(), envelope.get()));
    }

    @Override
    public Optional<Envelope> envelope(String id) throws IOException {
        for (int attempt = 1; ; attempt++) {
            QueueIndex.Stored at = index.locate(id);
            if (at == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(RecordCodec.readEnvelope(segmentLog, at.record(), at.headLength()));
            } catch (IOException e) {
                // The compactor may have moved the message and its old segment gone meanwhile: look again.
                QueueIndex.Stored now = index.locate(id);
                if (attempt >= READ_ATTEMPTS || now == null || Objects.equals(now.record(), at.record())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<MessageBody> body(String id) {
        QueueIndex.Stored at = index.locate(id);
        return at == null ? Optional.empty() : Optional.of(MessageBody.of(segmentLog, at.bodyPieces(), at.bodyLength()));
    }

    @Override
    public int flush() {
        int moved = index.flush(System.currentTimeMillis());
        workAvailable.run();
        return moved;
    }

    @Override
    public Optional<Integer> flush(String id) {
        int moved = index.flush(id, System.currentTimeMillis());
        if (moved < 0) {
            return Optional.empty();
        }
        workAvailable.run();
        return Optional.of(moved);
    }

    @Override
    public CompletableFuture<Boolean> delete(String id) {
        long queueId = QueueIndex.parseId(id);
        long unpin = index.remove(queueId);
        if (unpin < 0) {
            return CompletableFuture.completedFuture(false);
        }
        return journal.append(RecordType.REMOVE, () -> RecordCodec.encodeRemove(ByteBufAllocator.DEFAULT, queueId),
                unpin).thenApply(v -> {
                    events.messageRemoved(new MailEvent.MessageRemoved(id, MailEvent.MessageRemoved.Reason.DELETED));
                    return true;
                });
    }

    @Override
    public CompletableFuture<Boolean> hold(String id) {
        return setHeld(id, true);
    }

    @Override
    public CompletableFuture<Boolean> release(String id) {
        return setHeld(id, false);
    }

    private CompletableFuture<Boolean> setHeld(String id, boolean held) {
        long queueId = QueueIndex.parseId(id);
        if (!index.setHeld(queueId, held, System.currentTimeMillis())) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Void> written = journal.append(held ? RecordType.HOLD : RecordType.RELEASE,
                () -> RecordCodec.encodeHold(ByteBufAllocator.DEFAULT, queueId), -1);
        if (!held) {
            workAvailable.run();
        }
        return written.thenApply(v -> true);
    }
}
