package dev.mta.server.smtp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap that the envelopes of transactions under way may take. A session holds its recipients from RCPT until its
 * message is queued or dropped; without a bound, clients that send many recipients and then wait could fill the
 * heap between them. Past the bound a further recipient gets 452 4.3.1.
 *
 * <p>Shared fairly: every transaction may hold a small envelope of its own whatever the others do (a message to a
 * few dozen recipients always goes through), and beyond that draws on a pool of which no one transaction may take
 * more than an eighth, so a handful of clients cannot starve everyone else.
 */
final class EnvelopeBudget {
    /** What every transaction may hold outside the pool: some dozens of ordinary addresses. */
    static final long OWN = 8 << 10;
    /** No transaction takes more than this share of the pool. */
    private static final int MAX_SHARE = 8;

    private final long pool;
    private final AtomicLong used = new AtomicLong();

    EnvelopeBudget(long pool) {
        this.pool = pool;
    }

    /** The heap one recipient address takes in a transaction, estimated: its path, strings and set entries. */
    static long cost(String address) {
        return 160 + 3L * address.length();
    }

    /** Lets {@code t} hold {@code cost} more bytes if the bound allows; false (nothing taken) when it does not. */
    boolean take(Transaction t, long cost) {
        long beyondOwn = Math.max(0, t.held + cost - OWN) - Math.max(0, t.held - OWN);
        if (beyondOwn > 0) {
            if (t.fromPool + beyondOwn > pool / MAX_SHARE || !tryTake(beyondOwn)) {
                return false;
            }
            t.fromPool += beyondOwn;
        }
        t.held += cost;
        return true;
    }

    /** The transaction is over: what it drew from the pool goes back. */
    void giveBack(Transaction t) {
        used.addAndGet(-t.fromPool);
        t.fromPool = 0;
        t.held = 0;
    }

    private boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > pool) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    long used() {
        return used.get();
    }
}
