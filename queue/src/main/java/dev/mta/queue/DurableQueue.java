package dev.mta.queue;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.queue.log.MessageBody;

import dev.mta.queue.admin.ForwardingQueueAdmin;
import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.admin.QueueAdministration;
import dev.mta.queue.index.Journal;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.QueuedMessage;
import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.log.CommitObserver;
import dev.mta.queue.log.LogWriter;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.log.SegmentPins;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.QueueCounts;
import dev.mta.queue.model.Route;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The persistent outbound queue, wired from its parts: a {@link SegmentLog} written by one {@link LogWriter} with
 * group commit; the in-memory {@link QueueIndex} of envelopes and recipient states (never bodies) and their schedule;
 * the {@link dev.mta.queue.compaction.Compactor} that keeps the disk following the live queue; the operator's {@link QueueAdmin}.
 *
 * <p>A message is acknowledged once its MESSAGE record is durable. Outcomes are appended as small STATE records.
 * A message leaves the index when no recipient is pending; its first segment is then unpinned, and segments are
 * deleted oldest first as soon as nothing pins them. The index's lock is only ever held for work in memory.
 * {@link QueueOpener} opens the spool and wires the parts; the operator's calls are handed on to {@link #admin()}.
 */
public final class DurableQueue implements MessageStore, DeliveryQueue, ForwardingQueueAdmin {
    private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

    private final QueueConfig config;
    private final SegmentPins pins;
    private final QueueIdGenerator ids = new QueueIdGenerator();
    private final QueueIndex index;
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    /** Content of messages still arriving that waits in memory, all of them together. */
    private final AtomicLong bufferedContent = new AtomicLong();
    private final SegmentLog segmentLog;
    private final LogWriter writer;
    private final Journal journal;
    private final QueueAdmin admin;
    private final SpoolLock spoolLock;
    private final RecoveryReport recovery;
    private final MailEvents events;
    private final WriteHealth writeHealth = new WriteHealth();

    /** A queue of the parts {@link QueueOpener} opened and recovered. */
    DurableQueue(QueueConfig config, MailEvents events, SpoolLock spoolLock, SegmentPins pins, QueueIndex index,
            SegmentLog segmentLog, LogWriter writer, Journal journal, RecoveryReport recovery) {
        this.config = config;
        this.events = events;
        this.spoolLock = spoolLock;
        this.pins = pins;
        this.index = index;
        this.segmentLog = segmentLog;
        this.writer = writer;
        this.journal = journal;
        this.recovery = recovery;
        this.admin = new QueueAdministration(index, journal, segmentLog, this::notifyWork, events);
        writer.observe(writeHealth);
    }

    /** Opens the queue, recovering every acknowledged message with its remaining recipients. */
    public static DurableQueue open(QueueConfig config) throws IOException {
        return open(config, FatalErrorHandler.LOG_ONLY);
    }

    /**
     * Opens the queue: locks the spool (or fails with {@link SpoolInUseException}, touching nothing), then recovers
     * every acknowledged message with its remaining recipients. {@code fatal} hears when the queue cannot go on.
     */
    public static DurableQueue open(QueueConfig config, FatalErrorHandler fatal) throws IOException {
        return open(config, fatal, MailEvents.NONE);
    }

    /** As {@link #open(QueueConfig, FatalErrorHandler)}; {@code events} hears each message leave the queue. */
    public static DurableQueue open(QueueConfig config, FatalErrorHandler fatal, MailEvents events) throws IOException {
        return QueueOpener.open(config, fatal, events);
    }

    /** What recovery found on disk when the queue was opened. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** False once the queue cannot write safely any more (the process should be restarted). */
    public boolean isWritable() {
        return segmentLog.isWritable();
    }

    /** How the last batch written went: a failure stays until a later batch succeeds. Any thread, no lock. */
    public WriteHealth.State writeState() {
        return writeHealth.state();
    }

    /** {@code o} hears every batch the writer commits or fails from now on (metrics: latency and batch size). */
    public void observeCommits(CommitObserver o) {
        writeHealth.forwardTo(o);
    }

    /** Messages and recipients by state and the oldest arrival, as of the last change; takes no lock. */
    public QueueCounts counts() {
        return index.counts();
    }

    QueueConfig config() {
        return config;
    }

    LogWriter writer() {
        return writer;
    }

    SegmentPins pins() {
        return pins;
    }

    // ---- receiving --------------------------------------------------------------------------------------------

    @Override
    public IncomingMessage receive(Envelope envelope) {
        return new QueueIncomingMessage(this, ids.nextId(), System.currentTimeMillis(), envelope);
    }

    /** Whether the index has room for more mail; in memory, never waits on the disk (event loops ask it). */
    @Override
    public boolean hasRoom() {
        return index.hasRoom();
    }

    /** Content of messages being received now is held in memory ({@code delta} bytes more, or fewer). */
    void contentBuffered(long delta) {
        bufferedContent.addAndGet(delta);
    }

    /** Whether content held in memory has passed its bound: messages then write theirs ahead sooner. */
    boolean contentOverBudget() {
        return bufferedContent.get() > config.maxBufferedContent();
    }

    /** Content of messages being received that is held in memory now, all of them together. */
    long bufferedContent() {
        return bufferedContent.get();
    }

    /** The heap the index takes, estimated. */
    public long indexBytes() {
        return index.indexBytes();
    }

    /** A durable new message enters the index and the schedule (on the writer thread). */
    void admit(QueuedMessage m) {
        index.admit(m);
        notifyWork();
    }

    // ---- delivering -------------------------------------------------------------------------------------------

    @Override
    public DeliveryJob poll(long nowMillis) {
        return job(index.poll(nowMillis));
    }

    @Override
    public DeliveryJob poll(long nowMillis, Predicate<Route> allowed) {
        return job(index.poll(nowMillis, allowed));
    }

    @Override
    public DeliveryJob poll(Route route, long nowMillis) {
        return job(index.poll(route, nowMillis));
    }

    private DeliveryJob job(QueueIndex.Lease lease) {
        return lease == null ? null
                : new DeliveryJob(lease, MessageBody.of(segmentLog, lease.bodyPieces(), lease.message().bodyLength()));
    }

    @Override
    public long nextDueMillis() {
        return index.nextDueMillis();
    }

    @Override
    public int makeDue(Route route) {
        int moved = index.flush(route, System.currentTimeMillis());
        if (moved > 0) {
            notifyWork();
        }
        return moved;
    }

    @Override
    public CompletableFuture<Void> report(DeliveryJob job, List<Outcome> outcomes) {
        if (outcomes.size() != job.lease.indexes().length) {
            throw new IllegalArgumentException("one outcome per recipient of the job");
        }
        QueueIndex.Reported r = index.report(job.lease, outcomes, System.currentTimeMillis());
        if (!r.write()) {
            return CompletableFuture.completedFuture(null);
        }
        QueuedMessage m = job.lease.message();
        int[] changed = job.lease.indexes().clone();
        // Written at once, fsynced with the next batch (Journal.appendUnsynced): delivery need not wait for the disk.
        CompletableFuture<Void> written = journal.appendUnsynced(RecordType.STATE,
                () -> RecordCodec.encodeState(ByteBufAllocator.DEFAULT, m, changed), r.unpinSegment());
        if (r.unpinSegment() < 0) {
            return written;
        }
        // Every recipient is done: once that is on disk, the message has left the queue.
        return written.thenRun(() -> events.messageRemoved(
                new MailEvent.MessageRemoved(job.id(), MailEvent.MessageRemoved.Reason.DONE)));
    }

    @Override
    public void onWorkAvailable(Runnable listener) {
        workListeners.add(listener);
    }

    private void notifyWork() {
        for (Runnable r : workListeners) {
            r.run();
        }
    }

    // ---- the operator's view ----------------------------------------------------------------------------------

    /** The operator's operations; this queue also answers them itself, by handing them on. */
    @Override
    public QueueAdmin admin() {
        return admin;
    }

    /** Messages in the index. */
    public int size() {
        return index.size();
    }

    /** fsyncs so far and records written, for the benchmark's fsyncs-per-message ratio. */
    public long syncCount() {
        return segmentLog.syncCount();
    }

    public long diskBytes() {
        return segmentLog.diskBytes();
    }

    @Override
    public void close() {
        writer.close();
        try {
            segmentLog.close();
        } catch (IOException e) {
            log.warn("closing the queue: {}", e.toString());
        }
        try {
            spoolLock.close();
        } catch (IOException e) {
            log.warn("releasing the spool lock: {}", e.toString());
        }
    }
}
