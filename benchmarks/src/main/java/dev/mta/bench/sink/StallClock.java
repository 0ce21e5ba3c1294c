package dev.mta.bench.sink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The sink's one stall: once the N-th message is accepted, no reply leaves for a while. Shared by all sessions. */
final class StallClock {
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final long afterMessages;
    private final long forNanos;
    private final AtomicLong until = new AtomicLong(NOT_STARTED);

    StallClock(long afterMessages, long forMs) {
        this.afterMessages = afterMessages;
        this.forNanos = TimeUnit.MILLISECONDS.toNanos(forMs);
    }

    /** Called with each accepted message's number (from 1): the N-th starts the stall. */
    void messageAccepted(long number) {
        if (afterMessages > 0 && number == afterMessages) {
            until.compareAndSet(NOT_STARTED, System.nanoTime() + forNanos);
        }
    }

    /** How long a reply due now must still wait; 0 outside the stall. */
    long remainingNanos() {
        long u = until.get();
        return u == NOT_STARTED ? 0 : Math.max(0, u - System.nanoTime());
    }
}
