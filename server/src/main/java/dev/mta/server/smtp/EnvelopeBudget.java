package dev.mta.server.smtp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap that the envelopes of transactions under way may take, all sessions together. A session holds its
 * recipients from RCPT until its message is queued or dropped; without a bound, clients that send many recipients
 * and then wait could fill the heap between them. Past the bound a further recipient gets 452 4.3.1.
 */
final class EnvelopeBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    EnvelopeBudget(long limit) {
        this.limit = limit;
    }

    /** The heap one recipient address takes in a transaction, estimated: its path, strings and set entries. */
    static long cost(String address) {
        return 160 + 3L * address.length();
    }

    /** Takes {@code bytes} if the bound allows; false when it does not (nothing is taken then). */
    boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
