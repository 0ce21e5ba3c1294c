package dev.mta.server.auth;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The few threads password checks run on, never an event loop: an Argon2id check takes tens of milliseconds and
 * up to {@code --auth-max-argon2-memory} of heap, so at most {@code threads} run at once and at most
 * {@code queueSize} wait; a check beyond that is refused at once ({@link BusyException}), never queued without bound.
 * Memory is then bounded by threads x the largest memory cost allowed.
 */
public final class VerifierPool implements AutoCloseable {
    /** Threads: two at most, fewer on a single core, so checks never take every core from the event loops. */
    public static final int DEFAULT_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /** Checks that may wait for a thread; past it a check is refused as busy. */
    public static final int DEFAULT_QUEUE = 64;

    /** The pool was full: the caller answers "try again later" (454 4.7.0 in SMTP AUTH). */
    public static final class BusyException extends RejectedExecutionException {
        private static final long serialVersionUID = 1L;

        BusyException(int threads, int queue) {
            super("password checks busy (" + threads + " running, " + queue + " waiting)");
        }
    }

    private final ThreadPoolExecutor executor;
    private final int queueSize;

    public VerifierPool(int threads, int queueSize) {
        if (threads < 1 || queueSize < 0) {
            throw new IllegalArgumentException("threads must be at least 1 and the queue not negative");
        }
        this.queueSize = queueSize;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queueSize == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(r, "auth-verify-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    public VerifierPool() {
        this(DEFAULT_THREADS, DEFAULT_QUEUE);
    }

    /**
     * A pool whose checks fit the heap: as many threads (at most {@link #DEFAULT_THREADS}) as checks of the largest
     * Argon2id cost allowed fit in half of {@code maxHeapBytes} at once. BouncyCastle's Argon2 takes its whole memory
     * cost from the heap, so two 64 MiB checks at once in a 128 MB heap would end the process. IllegalArgumentException
     * naming the option when not even one fits.
     */
    public static VerifierPool forHeap(long maxArgon2MemoryKiB, long maxHeapBytes) {
        return new VerifierPool(threadsFor(maxArgon2MemoryKiB, maxHeapBytes), DEFAULT_QUEUE);
    }

    /** The threads {@link #forHeap} gives; IllegalArgumentException naming the option when not even one fits. */
    public static int threadsFor(long maxArgon2MemoryKiB, long maxHeapBytes) {
        long budget = maxHeapBytes / 2;
        long perCheck = maxArgon2MemoryKiB * 1024;
        long fit = budget / perCheck;
        if (fit < 1) {
            throw new IllegalArgumentException("auth-max-argon2-memory (" + maxArgon2MemoryKiB + " KiB) does not fit "
                    + "in half the heap (" + (budget >> 20) + " MiB of -Xmx" + (maxHeapBytes >> 20) + "m): a password "
                    + "check could run the MTA out of memory; raise -Xmx or lower auth-max-argon2-memory");
        }
        return (int) Math.min(DEFAULT_THREADS, fit);
    }

    /** Threads checks run on at once. */
    public int threads() {
        return executor.getMaximumPoolSize();
    }

    /** Runs {@code check} on the pool; the future fails with {@link BusyException} when the pool is full. */
    public CompletableFuture<Boolean> submit(BooleanSupplier check) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(check.getAsBoolean());
                } catch (Throwable e) { // OutOfMemoryError included: the caller must hear of it
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(executor.isShutdown() ? e
                    : new BusyException(executor.getMaximumPoolSize(), queueSize));
        }
        return result;
    }

    /** Checks waiting for a thread now. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
