package dev.mta.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Open loop: message {@code n} is due at {@code start + n / rate}, whether or not a session is free then, and its
 * latency counts from that moment, so a server that stalls is charged for every message it kept waiting (no
 * coordinated omission). Free sessions take due messages in order.
 */
final class OpenLoop implements Dispatcher {
    private final long startNanos;
    private final double intervalNanos;
    private final long limit;
    private final long deadlineNanos;
    private final AtomicLong next = new AtomicLong();

    /** {@code limit} messages (Long.MAX_VALUE: no limit); none is due at or after {@code deadlineNanos}. */
    OpenLoop(long startNanos, double ratePerSecond, long limit, long deadlineNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
    }

    private long due(long seq) {
        return startNanos + (long) (seq * intervalNanos);
    }

    @Override
    public Ticket poll(long nowNanos) {
        while (true) {
            long seq = next.get();
            if (seq >= limit) {
                return null;
            }
            long due = due(seq);
            if (deadlineNanos != Long.MAX_VALUE && due - deadlineNanos >= 0) {
                return null;
            }
            if (due - nowNanos > 0) {
                return null;
            }
            if (next.compareAndSet(seq, seq + 1)) {
                return new Ticket(seq, due);
            }
        }
    }

    @Override
    public long nextDueNanos() {
        return due(next.get());
    }

    @Override
    public boolean finished(long nowNanos) {
        long seq = next.get();
        return seq >= limit || (deadlineNanos != Long.MAX_VALUE && due(seq) - deadlineNanos >= 0);
    }

    @Override
    public long issued() {
        return next.get();
    }
}
