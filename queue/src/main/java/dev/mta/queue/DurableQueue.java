package dev.mta.queue;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.queue.log.MessageBody;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.admin.QueueAdministration;
import dev.mta.queue.compaction.Compactor;
import dev.mta.queue.index.Journal;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.QueuedMessage;
import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.index.Recovery;
import dev.mta.queue.log.LogWriter;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.log.SegmentPins;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The persistent outbound queue, wired from its parts: a {@link SegmentLog} written by one {@link LogWriter} with
 * group commit; the in-memory {@link QueueIndex} of envelopes and recipient states (never bodies) and their schedule;
 * the {@link Compactor} that keeps the disk following the live queue; the operator's {@link QueueAdmin}.
 *
 * <p>A message is acknowledged once its MESSAGE record is durable. Outcomes are appended as small STATE records.
 * A message leaves the index when no recipient is pending; its first segment is then unpinned, and segments are
 * deleted oldest first as soon as nothing pins them. The index's lock is only ever held for work in memory.
 */
public final class DurableQueue implements MessageStore, DeliveryQueue, QueueAdmin {
    private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

    private final QueueConfig config;
    private final FatalErrorHandler fatal;
    private final SegmentPins pins = new SegmentPins();
    private final QueueIdGenerator ids = new QueueIdGenerator();
    private final QueueIndex index;
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    /** Content of messages still arriving that waits in memory, all of them together. */
    private final AtomicLong bufferedContent = new AtomicLong();
    private SegmentLog segmentLog;
    private LogWriter writer;
    private Journal journal;
    private QueueAdmin admin;
    private SpoolLock spoolLock;
    private RecoveryReport recovery;
    private final MailEvents events;

    private DurableQueue(QueueConfig config, FatalErrorHandler fatal, MailEvents events) {
        this.config = config;
        this.fatal = fatal;
        this.events = events;
        this.index = new QueueIndex(config.routes(), config.retry(), config.maxIndexBytes(), pins);
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
        SpoolLock lock = SpoolLock.acquire(config.directory());
        try {
            return new DurableQueue(config, fatal, events).recover(lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private DurableQueue recover(SpoolLock lock) throws IOException {
        Recovery recovered = new Recovery();
        segmentLog = SegmentLog.open(config.directory(), config.segmentSize(), config.faults(), recovered);
        spoolLock = lock;
        int live = recovered.admitTo(index);
        int lost = recovered.lostMessages();
        recovery = segmentLog.recovery().withMessages(live, lost);
        Compactor compactor = new Compactor(index, segmentLog, pins, config.segmentSize(), config.inlineLimit(),
                broken -> fatal.fatal("queue writer", broken));
        writer = new LogWriter(segmentLog, compactor::reclaim, e -> fatal.fatal("queue writer", e));
        journal = new Journal(writer, pins);
        admin = new QueueAdministration(index, journal, segmentLog, this::notifyWork, events);
        writer.execute(() -> { });
        if (recovery.foundDamage()) {
            log.error("queue in {}: damage found: {} record(s) and {} byte(s) lost, {} message(s) known lost, {} segment(s) "
                    + "set aside in corrupt/; {} message(s) recovered", config.directory(), recovery.damagedRecords(),
                    recovery.damagedBytes(), lost, recovery.setAside(), live);
        }
        log.info("queue in {}: {} message(s) recovered, {} segment(s), {} bytes on disk", config.directory(), live,
                segmentLog.segmentCount(), segmentLog.diskBytes());
        return this;
    }

    /** What recovery found on disk when the queue was opened. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** False once the queue cannot write safely any more (the process should be restarted). */
    public boolean isWritable() {
        return segmentLog.isWritable();
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
        CompletableFuture<Void> written = journal.append(RecordType.STATE,
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
    public QueueAdmin admin() {
        return admin;
    }

    @Override
    public List<QueueEntry> list() {
        return admin.list();
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        return admin.find(id);
    }

    @Override
    public Optional<MessageDetails> show(String id) throws IOException {
        return admin.show(id);
    }

    @Override
    public Optional<Envelope> envelope(String id) throws IOException {
        return admin.envelope(id);
    }

    @Override
    public Optional<MessageBody> body(String id) {
        return admin.body(id);
    }

    @Override
    public int flush() {
        return admin.flush();
    }

    @Override
    public Optional<Integer> flush(String id) {
        return admin.flush(id);
    }

    @Override
    public CompletableFuture<Boolean> delete(String id) {
        return admin.delete(id);
    }

    @Override
    public CompletableFuture<Boolean> hold(String id) {
        return admin.hold(id);
    }

    @Override
    public CompletableFuture<Boolean> release(String id) {
        return admin.release(id);
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
