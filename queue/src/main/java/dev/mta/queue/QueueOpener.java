package dev.mta.queue;

import dev.mta.queue.compaction.Compactor;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.index.Journal;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.Recovery;
import dev.mta.queue.log.LogWriter;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.log.SegmentPins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Opens the spool for a {@link DurableQueue}: locks it (or fails with {@link SpoolInUseException}, touching nothing),
 * replays the log into the index, wires the compactor, the writer and the journal, and says what it found.
 */
final class QueueOpener {
    /** Logged as the queue's own lines, as before this was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

    private QueueOpener() {
    }

    static DurableQueue open(QueueConfig config, FatalErrorHandler fatal, MailEvents events) throws IOException {
        SpoolLock lock = SpoolLock.acquire(config.directory());
        try {
            return recover(config, fatal, events, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static DurableQueue recover(QueueConfig config, FatalErrorHandler fatal, MailEvents events, SpoolLock lock)
            throws IOException {
        SegmentPins pins = new SegmentPins();
        QueueIndex index = new QueueIndex(config.routes(), config.retry(), config.maxIndexBytes(), pins);
        Recovery recovered = new Recovery();
        SegmentLog segmentLog = SegmentLog.open(config.directory(), config.segmentSize(), config.faults(), recovered);
        int live = recovered.admitTo(index);
        int lost = recovered.lostMessages();
        RecoveryReport recovery = segmentLog.recovery().withMessages(live, lost);
        Compactor compactor = new Compactor(index, segmentLog, pins, config.segmentSize(), config.inlineLimit(),
                broken -> fatal.fatal("queue writer", broken));
        LogWriter writer = new LogWriter(segmentLog, compactor::reclaim, e -> fatal.fatal("queue writer", e));
        Journal journal = new Journal(writer, pins);
        DurableQueue queue = new DurableQueue(config, events, lock, pins, index, segmentLog, writer, journal, recovery);
        writer.execute(() -> { });
        if (recovery.foundDamage()) {
            log.error("queue in {}: damage found: {} record(s) and {} byte(s) lost, {} message(s) known lost, {} segment(s) "
                    + "set aside in corrupt/; {} message(s) recovered", config.directory(), recovery.damagedRecords(),
                    recovery.damagedBytes(), lost, recovery.setAside(), live);
        }
        log.info("queue in {}: {} message(s) recovered, {} segment(s), {} bytes on disk", config.directory(), live,
                segmentLog.segmentCount(), segmentLog.diskBytes());
        return queue;
    }
}
