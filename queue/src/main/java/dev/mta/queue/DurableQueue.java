package dev.mta.queue;

import dev.mta.queue.log.AppendCallback;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.LogWriter;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.schedule.DueScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The persistent outbound queue: a {@link SegmentLog} written by one {@link LogWriter} with group commit, and an
 * in-memory index of envelopes and recipient states (never bodies) with a {@link DueScheduler} over it.
 *
 * <p>A message is acknowledged once its MESSAGE record is durable. Outcomes are appended as small STATE records.
 * A message leaves the index when no recipient is pending; its first segment is then unpinned, and segments are
 * deleted oldest first as soon as nothing pins them.
 */
public final class DurableQueue implements MessageStore, DeliveryQueue {
    private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

    private final QueueConfig config;
    private final FatalErrorHandler fatal;
    private final SegmentPins pins = new SegmentPins();
    private final QueueIdGenerator ids = new QueueIdGenerator();
    private final Object lock = new Object();
    private final Map<Long, QueuedMessage> index = new HashMap<>();
    private final DueScheduler<QueuedMessage> scheduler = new DueScheduler<>();
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    private SegmentLog segmentLog;
    private LogWriter writer;
    private SpoolLock spoolLock;
    private RecoveryReport recovery;
    /** Body bytes of the messages in the index; guarded by the lock. */
    private long liveBytes;
    /** Heap the index takes, estimated; guarded by the lock. */
    private long indexBytes;
    /** Content of messages still arriving that waits in memory, all of them together. */
    private final java.util.concurrent.atomic.AtomicLong bufferedContent = new java.util.concurrent.atomic.AtomicLong();

    private DurableQueue(QueueConfig config, FatalErrorHandler fatal) {
        this.config = config;
        this.fatal = fatal;
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
        SpoolLock lock = SpoolLock.acquire(config.directory());
        try {
            return recover(new DurableQueue(config, fatal), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static DurableQueue recover(DurableQueue q, SpoolLock lock) throws IOException {
        QueueConfig config = q.config;
        Recovery recovered = new Recovery();
        q.segmentLog = SegmentLog.open(config.directory(), config.segmentSize(), config.faults(), recovered);
        q.spoolLock = lock;
        int live = 0;
        int lost = recovered.lostMessages;
        synchronized (q.lock) {
            for (QueuedMessage m : recovered.messages.values()) {
                if (m.isComplete()) {
                    continue;
                }
                if (recovered.damagesBody(m)) {
                    lost++;
                    log.error("{}: from=<{}> nrcpt={}: part of its body is damaged on disk; the message is lost "
                            + "(the damaged segment is kept in corrupt/)", m.idText(), m.sender.address(),
                            m.recipients.length);
                    continue;
                }
                q.index.put(m.id, m);
                q.account(m, 1);
                q.pins.pin(m.firstSegment);
                q.schedule(m);
                live++;
            }
        }
        q.recovery = q.segmentLog.recovery().withMessages(live, lost);
        SpaceReclaimer reclaimer = new SpaceReclaimer(q, q.segmentLog, q.fatal);
        q.writer = new LogWriter(q.segmentLog, reclaimer::reclaim, e -> q.fatal.fatal("queue writer", e));
        q.writer.execute(() -> { });
        if (q.recovery.foundDamage()) {
            log.error("queue in {}: damage found: {} record(s) and {} byte(s) lost, {} message(s) known lost, {} segment(s) "
                    + "set aside in corrupt/; {} message(s) recovered", config.directory(), q.recovery.damagedRecords(),
                    q.recovery.damagedBytes(), lost, q.recovery.setAside(), live);
        }
        log.info("queue in {}: {} message(s) recovered, {} segment(s), {} bytes on disk", config.directory(), live,
                q.segmentLog.segmentCount(), q.segmentLog.diskBytes());
        return q;
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

    /** Adds ({@code sign} 1) or takes away (-1) a message's share of the live bytes and of the index's heap. */
    private void account(QueuedMessage m, int sign) {
        liveBytes += sign * m.bodyLength;
        indexBytes += sign * m.footprint();
    }

    /**
     * Whether the index has room for more mail. It lives on the heap (envelopes and recipient states, never bodies),
     * so past its share new mail is refused as for a full disk, rather than the heap running out.
     */
    @Override
    public boolean hasRoom() {
        synchronized (lock) {
            return indexBytes < config.maxIndexBytes();
        }
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
        synchronized (lock) {
            return indexBytes;
        }
    }

    /** A durable new message enters the index and the schedule (on the writer thread). */
    void admit(QueuedMessage m) {
        synchronized (lock) {
            index.put(m.id, m);
            account(m, 1);
            schedule(m);
        }
        notifyWork();
    }

    /** Groups a message's pending recipients by route into units of work, due at their next attempt. */
    private void schedule(QueuedMessage m) {
        Map<Route, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < m.recipients.length; i++) {
            if (m.states[i] == RecipientState.PENDING.ordinal()) {
                groups.computeIfAbsent(config.routes().routeOf(m.recipients[i]), d -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<Route, List<Integer>> g : groups.entrySet()) {
            int[] idx = g.getValue().stream().mapToInt(Integer::intValue).toArray();
            long due = Long.MAX_VALUE;
            for (int i : idx) {
                due = Math.min(due, m.nextAttempt[i]);
            }
            scheduler.add(m, g.getKey(), idx, due);
        }
    }

    // ---- delivering -------------------------------------------------------------------------------------------

    @Override
    public DeliveryJob poll(long nowMillis) {
        return firstLive(() -> scheduler.pollDue(nowMillis), nowMillis);
    }

    @Override
    public DeliveryJob poll(long nowMillis, java.util.function.Predicate<Route> allowed) {
        return firstLive(() -> scheduler.pollDue(nowMillis, allowed), nowMillis);
    }

    @Override
    public DeliveryJob poll(Route route, long nowMillis) {
        return firstLive(() -> scheduler.pollDue(route, nowMillis), nowMillis);
    }

    /** Takes units from {@code next} until one belongs to a message still queued (deleted ones are skipped). */
    private DeliveryJob firstLive(java.util.function.Supplier<DueScheduler.Unit<QueuedMessage>> next, long now) {
        synchronized (lock) {
            DueScheduler.Unit<QueuedMessage> u;
            while ((u = next.get()) != null) {
                if (!u.item.removed) {
                    return job(u, now);
                }
            }
            return null;
        }
    }

    private DeliveryJob job(DueScheduler.Unit<QueuedMessage> u, long now) {
        u.item.leases++;
        return new DeliveryJob(u.item, u.indexes, u.route, config.retry().isExpired(u.item.arrival, now),
                MessageBody.of(segmentLog, u.item));
    }

    @Override
    public long nextDueMillis() {
        synchronized (lock) {
            return scheduler.nextDue();
        }
    }

    @Override
    public CompletableFuture<Void> report(DeliveryJob job, List<Outcome> outcomes) {
        if (outcomes.size() != job.indexes.length) {
            throw new IllegalArgumentException("one outcome per recipient of the job");
        }
        QueuedMessage m = job.message;
        long unpin = -1;
        long now = System.currentTimeMillis();
        synchronized (lock) {
            m.leases--;
            if (m.removed) {
                return CompletableFuture.completedFuture(null);
            }
            List<Integer> deferred = new ArrayList<>();
            for (int k = 0; k < job.indexes.length; k++) {
                int i = job.indexes[k];
                Outcome o = outcomes.get(k);
                switch (o.kind()) {
                    case DELIVERED:
                        m.states[i] = (byte) RecipientState.DELIVERED.ordinal();
                        m.setOutcome(i, null);
                        break;
                    case FAILED:
                        m.states[i] = (byte) RecipientState.FAILED.ordinal();
                        m.attempts[i]++;
                        m.setOutcome(i, o);
                        break;
                    default:
                        m.attempts[i]++;
                        m.setOutcome(i, o);
                        deferred.add(i);
                }
            }
            if (!deferred.isEmpty()) {
                int attempts = 0;
                for (int i : deferred) {
                    attempts = Math.max(attempts, m.attempts[i]);
                }
                long next = config.retry().nextAttempt(attempts, m.arrival, now);
                int[] idx = deferred.stream().mapToInt(Integer::intValue).toArray();
                for (int i : idx) {
                    m.nextAttempt[i] = next;
                }
                scheduler.add(m, job.route(), idx, next);
            }
            if (m.isComplete()) {
                index.remove(m.id);
                account(m, -1);
                m.removed = true;
                unpin = m.firstSegment;
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        final int[] changed = job.indexes.clone();
        writer.append(RecordType.STATE, () -> RecordCodec.encodeState(ByteBufAllocator.DEFAULT, m, changed), true,
                completion(done, unpin));
        return done;
    }

    private AppendCallback completion(CompletableFuture<Void> done, long unpinSegment) {
        return (loc, failure) -> {
            if (unpinSegment >= 0) {
                pins.release(unpinSegment);
            }
            if (failure != null) {
                done.completeExceptionally(storageFailure(failure));
            } else {
                done.complete(null);
            }
        };
    }

    // ---- the operator's view ----------------------------------------------------------------------------------

    @Override
    public List<QueueEntry> list() {
        List<QueueEntry> all = new ArrayList<>();
        synchronized (lock) {
            for (QueuedMessage m : index.values()) {
                all.add(m.toEntry());
            }
        }
        all.sort(Comparator.comparing(QueueEntry::id));
        return all;
    }

    @Override
    public Optional<QueueEntry> find(String id) {
        synchronized (lock) {
            QueuedMessage m = index.get(parseId(id));
            return m == null ? Optional.empty() : Optional.of(m.toEntry());
        }
    }

    @Override
    public Optional<Envelope> envelope(String id) throws IOException {
        QueuedMessage m;
        synchronized (lock) {
            m = index.get(parseId(id));
        }
        if (m == null) {
            return Optional.empty();
        }
        Location record;
        int headLength;
        synchronized (lock) {
            record = m.record;
            headLength = m.inlineOffset;
        }
        return Optional.of(readEnvelope(segmentLog, record, headLength));
    }

    /** The envelope at the head of a MESSAGE record. */
    static Envelope readEnvelope(SegmentLog segmentLog, Location record, int headLength) throws IOException {
        ByteBuf head = Unpooled.buffer(headLength);
        try {
            segmentLog.read(record, 0, head.nioBuffer(0, headLength));
            head.writerIndex(headLength);
            return RecordCodec.decodeEnvelope(head, segmentLog.formatOf(record.segment()));
        } finally {
            head.release();
        }
    }

    @Override
    public Optional<MessageBody> body(String id) {
        synchronized (lock) {
            QueuedMessage m = index.get(parseId(id));
            return m == null ? Optional.empty() : Optional.of(MessageBody.of(segmentLog, m));
        }
    }

    @Override
    public int flush() {
        int moved;
        synchronized (lock) {
            moved = scheduler.makeAllDue(System.currentTimeMillis());
        }
        notifyWork();
        return moved;
    }

    @Override
    public boolean delete(String id) throws IOException {
        QueuedMessage m;
        long unpin;
        synchronized (lock) {
            m = index.remove(parseId(id));
            if (m == null) {
                return false;
            }
            m.removed = true;
            account(m, -1);
            unpin = m.firstSegment;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.append(RecordType.REMOVE, () -> RecordCodec.encodeRemove(ByteBufAllocator.DEFAULT, m.id), true,
                completion(done, unpin));
        try {
            done.join();
        } catch (RuntimeException e) {
            throw new IOException("could not record the removal of " + id, e.getCause());
        }
        return true;
    }

    private static long parseId(String id) {
        try {
            return QueueIds.parse(id);
        } catch (IllegalArgumentException e) {
            return -1;
        }
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

    /** Messages in the index. */
    public int size() {
        synchronized (lock) {
            return index.size();
        }
    }

    /** fsyncs so far and records written, for the benchmark's fsyncs-per-message ratio. */
    public long syncCount() {
        return segmentLog.syncCount();
    }

    public long diskBytes() {
        return segmentLog.diskBytes();
    }

    /** A failure as the SMTP session should see it: disk full is {@link StorageFullException}. */
    static Exception storageFailure(Exception e) {
        if (e instanceof StorageFullException) {
            return e;
        }
        if (e instanceof IOException && StorageFullException.isNoSpace((IOException) e)) {
            return new StorageFullException(e.getMessage(), e);
        }
        return e;
    }

    // ---- for the space reclaimer (writer thread) ---------------------------------------------------------------

    /** Body bytes of the live messages. */
    long liveBytes() {
        synchronized (lock) {
            return liveBytes;
        }
    }

    /**
     * The messages that began in {@code segment}, or null when one of them is leased (its body may be being read
     * right now, so it must not move yet).
     */
    List<QueuedMessage> startedIn(long segment) {
        List<QueuedMessage> movers = new ArrayList<>();
        synchronized (lock) {
            for (QueuedMessage m : index.values()) {
                if (m.firstSegment == segment) {
                    if (m.leases > 0) {
                        return null;
                    }
                    movers.add(m);
                }
            }
        }
        return movers;
    }

    /** The index's lock: relocation changes a message's location under it. */
    Object indexLock() {
        return lock;
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
