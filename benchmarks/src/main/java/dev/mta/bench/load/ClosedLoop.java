package dev.mta.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** Closed loop: a session takes its next message as soon as its last one finished; latency starts when taken. */
final class ClosedLoop implements Dispatcher {
    private final long limit;
    private final long deadlineNanos;
    private final AtomicLong next = new AtomicLong();

    /** {@code limit} messages (Long.MAX_VALUE: no limit) until {@code deadlineNanos} (Long.MAX_VALUE: none). */
    ClosedLoop(long limit, long deadlineNanos) {
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public Ticket poll(long nowNanos) {
        if (nowNanos - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE) {
            return null;
        }
        while (true) {
            long seq = next.get();
            if (seq >= limit) {
                return null;
            }
            if (next.compareAndSet(seq, seq + 1)) {
                return new Ticket(seq, nowNanos);
            }
        }
    }

    @Override
    public long nextDueNanos() {
        return System.nanoTime();
    }

    @Override
    public boolean finished(long nowNanos) {
        return next.get() >= limit || (deadlineNanos != Long.MAX_VALUE && nowNanos - deadlineNanos >= 0);
    }

    @Override
    public long issued() {
        return next.get();
    }
}
