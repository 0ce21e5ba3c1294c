package dev.mta.queue.log;

import dev.mta.queue.model.StorageFullException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one thread that appends to the {@link SegmentLog}, with group commit: it takes every request waiting, writes
 * them all, then makes them durable with a single fsync. Requests that arrive during that fsync form the next batch,
 * so under load one fsync covers many messages and throughput is bounded by disk bandwidth, not fsync latency.
 * Records that need no fsync of their own (delivery outcomes) are written at once and ride the next fsync, which
 * comes within {@link #LAZY_SYNC_MILLIS} whatever else is written.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
    private static final int MAX_BATCH = 4096;
    /** The longest a record written without its own fsync waits for one. */
    static final long LAZY_SYNC_MILLIS = 1000;

    private static final class Request {
        final byte type;
        final Supplier<ByteBuf> payload;
        final boolean sync;
        final AppendCallback callback;
        final Runnable task;
        Location location;
        /** Written again in a new segment after its batch's fsync failed. */
        boolean rewritten;

        Request(byte type, Supplier<ByteBuf> payload, boolean sync, AppendCallback callback, Runnable task) {
            this.type = type;
            this.payload = payload;
            this.sync = sync;
            this.callback = callback;
            this.task = task;
        }

        /**
         * Outcome, removal, hold and release records restate what already happened, so they are written again after
         * a failure.
         */
        boolean replayable() {
            return task == null && (type == RecordType.STATE || type == RecordType.REMOVE || type == RecordType.HOLD
                    || type == RecordType.RELEASE);
        }
    }

    private final SegmentLog segmentLog;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Runnable afterBatch;
    private final Consumer<Throwable> onFatal;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CommitObserver observer = CommitObserver.NONE;
    private int fsyncFailuresInARow;
    /**
     * Replayable records written since the last good fsync by batches that did not fsync: a failed fsync voids them
     * with the rest, so they are written again with the failed batch's own.
     */
    private final List<Request> unsynced = new ArrayList<>();
    /**
     * When ({@link System#nanoTime}, immune to clock steps) the oldest record written without an fsync was written;
     * meaningful only while {@link #pendingSync}.
     */
    private long unsyncedSince;
    private boolean pendingSync;

    /**
     * @param afterBatch runs on the writer thread after each batch (segment reclamation)
     * @param onFatal    hears of what the queue cannot go on from: two fsync failures in a row, a failure that
     *                   cannot be made safe, an Error on the writer thread
     */
    public LogWriter(SegmentLog segmentLog, Runnable afterBatch, Consumer<Throwable> onFatal) {
        this.segmentLog = segmentLog;
        this.afterBatch = afterBatch;
        this.onFatal = onFatal;
        this.thread = new Thread(this::run, "queue-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a record. {@code payload} is called on the writer thread (so it may use what earlier appends'
     * callbacks learned) and the buffer it returns is released after writing; returning null skips the record,
     * and its callback then hears of a failure. For STATE, REMOVE, HOLD and RELEASE records it may be called again, to write the
     * record anew after an fsync failure, and must then give the same record.
     *
     * @param sync whether the callback's done() must wait for an fsync; records without it ride the next one
     */
    public void append(byte type, Supplier<ByteBuf> payload, boolean sync, AppendCallback callback) {
        queue.add(new Request(type, payload, sync, callback, null));
    }

    /** Runs {@code task} on the writer thread, after everything queued before it. */
    public void execute(Runnable task) {
        queue.add(new Request((byte) 0, null, false, null, task));
    }

    public SegmentLog segmentLog() {
        return segmentLog;
    }

    /** {@code o} hears every batch from now on, in place of the one before. */
    public void observe(CommitObserver o) {
        observer = o;
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    syncIfDue();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("queue writer failed on a batch of {}", batch.size(), e);
            } catch (Error e) {
                onFatal.accept(e); // first: logging may itself fail when the heap is gone
                log.error("queue writer failed on a batch of {}", batch.size(), e);
            } finally {
                batch.clear();
            }
            long voids = segmentLog.voids();
            try {
                afterBatch.run();
            } catch (RuntimeException e) {
                log.warn("after-batch work failed", e);
            }
            if (segmentLog.voids() != voids) {
                rewriteUnsynced();
            }
        }
    }

    private void writeBatch(List<Request> batch) {
        Exception failure = null;
        Throwable fatal = null;
        SegmentLog.Mark mark = null;
        boolean needSync = false;
        long start = System.nanoTime();
        int records = 0;
        try {
            segmentLog.rollIfFull();
        } catch (IOException e) {
            // Nothing of this batch is written yet: once the log is safe again, the batch goes to the new segment.
            fatal = recover(batch, null, e);
        }
        try {
            mark = segmentLog.mark();
            for (Request r : batch) {
                if (r.task != null) {
                    continue;
                }
                ByteBuf payload = r.payload.get();
                if (payload == null) {
                    continue; // the producer withdrew it (e.g. a message whose earlier chunks failed)
                }
                try {
                    r.location = segmentLog.append(r.type, payload);
                } finally {
                    payload.release();
                }
                needSync |= r.sync;
                records++;
                r.callback.written(r.location);
            }
            needSync |= records > 0 && syncDue();
            if (needSync) {
                segmentLog.sync();
                synced();
            } else {
                segmentLog.flush();
                writtenUnsynced(batch, records);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            Throwable f = recover(batch, mark, e);
            fatal = fatal != null ? fatal : f;
        }
        tell(batch.size(), records, System.nanoTime() - start, needSync, failure);
        for (Request r : batch) {
            if (r.task != null) {
                runTask(r.task);
            } else {
                Exception outcome = failure != null && !r.rewritten ? failure
                        : r.location == null ? new IOException("record withdrawn") : null;
                try {
                    r.callback.done(r.location, outcome);
                } catch (RuntimeException e) {
                    log.warn("append callback failed", e);
                }
            }
        }
        if (fatal != null) {
            // After the callbacks: the sessions waiting are answered 451 before the process goes.
            onFatal.accept(fatal);
        }
    }

    /** Between batches: records written without an fsync get theirs once they have waited long enough. */
    private void syncIfDue() {
        if (!syncDue()) {
            return;
        }
        SegmentLog.Mark mark = segmentLog.mark();
        try {
            segmentLog.sync();
            synced();
        } catch (IOException | RuntimeException e) {
            Throwable fatal = recover(List.of(), mark, e);
            if (fatal != null) {
                onFatal.accept(fatal);
            }
        }
    }

    private boolean syncDue() {
        return pendingSync && System.nanoTime() - unsyncedSince >= TimeUnit.MILLISECONDS.toNanos(LAZY_SYNC_MILLIS);
    }

    /**
     * Someone else's failure (relocation's fsync, between batches) voided the log since the last good fsync: the
     * outcomes written since without one are written again, and fsynced.
     */
    private void rewriteUnsynced() {
        if (unsynced.isEmpty()) {
            return;
        }
        List<Request> again = takeUnsynced();
        SegmentLog.Mark mark = segmentLog.mark();
        try {
            rewriteOutcomes(again);
        } catch (IOException | RuntimeException e) {
            Throwable fatal = recover(again, mark, e);
            if (fatal != null) {
                onFatal.accept(fatal);
            }
        }
    }

    private void synced() {
        fsyncFailuresInARow = 0;
        takeUnsynced();
    }

    /** The records written without an fsync since the last good one, forgotten here (synced, or to write again). */
    private List<Request> takeUnsynced() {
        List<Request> taken = new ArrayList<>(unsynced);
        unsynced.clear();
        pendingSync = false;
        return taken;
    }

    private void writtenUnsynced(List<Request> batch, int records) {
        if (records == 0) {
            return;
        }
        if (!pendingSync) {
            pendingSync = true;
            unsyncedSince = System.nanoTime();
        }
        for (Request r : batch) {
            if (r.replayable() && r.location != null) {
                unsynced.add(r);
            }
        }
    }

    /**
     * Makes a failed batch safe: nothing of it may come back at recovery, and outcome records it held are written
     * again. Returns what the queue cannot go on from, or null.
     */
    private Throwable recover(List<Request> batch, SegmentLog.Mark mark, Exception cause) {
        boolean fsync = cause instanceof FsyncFailedException;
        if (fsync) {
            fsyncFailuresInARow++;
            log.error("queue fsync failed ({} in a row); {} record(s) refused: {}", fsyncFailuresInARow, batch.size(),
                    cause.toString());
        } else {
            log.warn("queue write failed, {} record(s) refused: {}", batch.size(), cause.toString());
        }
        try {
            if (segmentLog.discardSince(mark, cause)) {
                // The void reaches back to the last good fsync: outcomes written since without one go again too.
                List<Request> again = takeUnsynced();
                again.addAll(batch);
                rewriteOutcomes(again);
            }
        } catch (IOException | RuntimeException e) {
            log.error("the queue cannot write safely any more: {}", e.toString());
            return e;
        }
        return fsync && fsyncFailuresInARow >= 2 ? cause : null;
    }

    /**
     * Writes the STATE, REMOVE, HOLD and RELEASE records of the failed batch (and those written since the last good
     * fsync) again in the new segment: those did happen.
     */
    private void rewriteOutcomes(List<Request> batch) throws IOException {
        List<Request> again = new ArrayList<>();
        for (Request r : batch) {
            if (r.replayable() && r.location != null) {
                ByteBuf payload = r.payload.get();
                if (payload == null) {
                    continue;
                }
                try {
                    r.location = segmentLog.append(r.type, payload);
                } finally {
                    payload.release();
                }
                again.add(r);
            }
        }
        if (!again.isEmpty()) {
            segmentLog.sync();
            again.forEach(r -> r.rewritten = true);
        }
    }

    /** The observer hears of a batch that wrote something, or failed; tasks alone are not a commit. */
    private void tell(int requests, int records, long nanos, boolean synced, Exception failure) {
        try {
            if (failure != null) {
                observer.failed(requests, noSpace(failure));
            } else if (records > 0) {
                observer.committed(records, nanos, synced);
            }
        } catch (RuntimeException e) {
            log.warn("commit observer failed", e);
        }
    }

    /** Whether a failure, or one behind it (an fsync's), is a full file system. */
    private static boolean noSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && StorageFullException.isNoSpace((IOException) t)) {
                return true;
            }
        }
        return false;
    }

    private static void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("queue writer task failed", e);
        }
    }

    /** Writes what is queued, then stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
