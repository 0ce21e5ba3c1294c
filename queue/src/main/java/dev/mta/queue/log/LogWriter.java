package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that appends to the {@link SegmentLog}, with group commit: it takes every request waiting, writes
 * them all, then makes them durable with a single fsync. Requests that arrive during that fsync form the next batch,
 * so under load one fsync covers many messages and throughput is bounded by disk bandwidth, not fsync latency.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
    private static final int MAX_BATCH = 4096;

    private static final class Request {
        final byte type;
        final Supplier<ByteBuf> payload;
        final boolean sync;
        final AppendCallback callback;
        final Runnable task;
        Location location;

        Request(byte type, Supplier<ByteBuf> payload, boolean sync, AppendCallback callback, Runnable task) {
            this.type = type;
            this.payload = payload;
            this.sync = sync;
            this.callback = callback;
            this.task = task;
        }
    }

    private final SegmentLog segmentLog;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Runnable afterBatch;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param afterBatch runs on the writer thread after each batch (segment reclamation) */
    public LogWriter(SegmentLog segmentLog, Runnable afterBatch) {
        this.segmentLog = segmentLog;
        this.afterBatch = afterBatch;
        this.thread = new Thread(this::run, "queue-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a record. {@code payload} is called on the writer thread (so it may use what earlier appends'
     * callbacks learned) and the buffer it returns is released after writing; returning null skips the record,
     * and its callback then hears of a failure.
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

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("queue writer failed on a batch of {}", batch.size(), e);
            } finally {
                batch.clear();
            }
            try {
                afterBatch.run();
            } catch (RuntimeException e) {
                log.warn("after-batch work failed", e);
            }
        }
    }

    private void writeBatch(List<Request> batch) {
        Exception failure = null;
        long[] mark = null;
        boolean needSync = false;
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
                r.callback.written(r.location);
            }
            if (needSync) {
                segmentLog.sync();
            } else {
                segmentLog.flush();
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            log.warn("queue write failed, {} record(s) refused: {}", batch.size(), e.toString());
            if (mark != null) {
                try {
                    segmentLog.rollback(mark);
                } catch (IOException rollbackFailure) {
                    log.error("could not roll back a failed batch", rollbackFailure);
                }
            }
        }
        for (Request r : batch) {
            if (r.task != null) {
                runTask(r.task);
            } else {
                Exception outcome = failure != null ? failure
                        : r.location == null ? new IOException("record withdrawn") : null;
                try {
                    r.callback.done(r.location, outcome);
                } catch (RuntimeException e) {
                    log.warn("append callback failed", e);
                }
            }
        }
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
