package dev.mta.queue;

import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.index.Recovery;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.log.SegmentPins;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.model.RouteResolver;
import dev.mta.queue.schedule.RetrySchedule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The spool of a server that is not running, read as its recovery would read it, for the queue tool's list and
 * show: without the spool's lock and without writing anything (no torn tail cut, no damaged segment set aside, no
 * file created: {@link SegmentLog#openReadOnly}). What it shows is the spool as it stands; the server repairs it at
 * its next start. Not for a running server's spool: that one answers on its control channel.
 */
public final class SpoolReader implements AutoCloseable {
    private final QueueIndex index;
    private final SegmentLog segmentLog;
    private final RecoveryReport recovery;

    private SpoolReader(QueueIndex index, SegmentLog segmentLog, RecoveryReport recovery) {
        this.index = index;
        this.segmentLog = segmentLog;
        this.recovery = recovery;
    }

    /** Reads the spool in {@code dir}; {@link java.nio.file.NoSuchFileException} when there is none. */
    public static SpoolReader open(Path dir) throws IOException {
        // No bound on the index: this reads what a server admitted, it admits nothing.
        QueueIndex index = new QueueIndex(RouteResolver.BY_DOMAIN, RetrySchedule.DEFAULT, Long.MAX_VALUE,
                new SegmentPins());
        Recovery recovered = new Recovery();
        SegmentLog log = SegmentLog.openReadOnly(dir, recovered);
        int live = recovered.admitTo(index);
        return new SpoolReader(index, log, log.recovery().withMessages(live, recovered.lostMessages()));
    }

    /** Every queued message with its remaining recipients, as {@link QueueAdmin#list()}. */
    public List<QueueEntry> list() {
        return index.list();
    }

    public Optional<QueueEntry> find(String id) {
        return index.find(id);
    }

    /** The entry and the envelope as received, as {@link QueueAdmin#show(String)}. */
    public Optional<QueueAdmin.MessageDetails> show(String id) throws IOException {
        QueueIndex.Stored at = index.locate(id);
        Optional<QueueEntry> entry = index.find(id);
        if (at == null || entry.isEmpty()) {
            return Optional.empty();
        }
        Envelope envelope = RecordCodec.readEnvelope(segmentLog, at.record(), at.headLength());
        return Optional.of(new QueueAdmin.MessageDetails(entry.get(), envelope));
    }

    /** What reading found: damage, a torn tail (left in place), messages. */
    public RecoveryReport recovery() {
        return recovery;
    }

    @Override
    public void close() throws IOException {
        segmentLog.close();
    }
}
