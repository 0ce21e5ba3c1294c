package dev.mta.queue.index;

import dev.mta.queue.model.QueueCounts;
import dev.mta.queue.model.RecipientState;

import java.util.TreeMap;

/**
 * Keeps {@link QueueCounts} up to date as messages change, so that metrics and health read a snapshot instead of
 * listing the queue: each change takes the message's old share away and adds its new one. Called under the
 * {@link QueueIndex}'s lock; the snapshot is published through a volatile field and read with no lock.
 */
final class QueueTally {
    static final byte NONE = -1;
    static final byte ACTIVE = 0;
    static final byte DEFERRED = 1;
    static final byte HELD = 2;

    private final int[] messages = new int[3];
    private final long[] recipients = new long[3];
    /** Arrival times of the messages counted, with how many arrived at each millisecond. */
    private final TreeMap<Long, int[]> arrivals = new TreeMap<>();
    private volatile QueueCounts current = QueueCounts.EMPTY;

    /** The counts as of the last change; any thread, no lock. */
    QueueCounts current() {
        return current;
    }

    /** Counts {@code m} as it stands now (not at all once removed), in place of what it was counted as before. */
    void update(QueuedMessage m) {
        byte before = m.talliedAs;
        if (before != NONE) {
            messages[before]--;
            recipients[before] -= m.talliedOwn;
            if (before != HELD) {
                recipients[DEFERRED] -= m.talliedDeferred;
            }
        }
        if (m.removed) {
            m.talliedAs = NONE;
            if (before != NONE) {
                forget(m.arrival);
            }
        } else {
            int fresh = 0;
            int tried = 0;
            for (int i = 0; i < m.states.length; i++) {
                if (m.states[i] == RecipientState.PENDING.ordinal()) {
                    if (m.attempts[i] > 0) {
                        tried++;
                    } else {
                        fresh++;
                    }
                }
            }
            byte now;
            if (m.held) {
                now = HELD;
                m.talliedOwn = fresh + tried;
                m.talliedDeferred = 0;
            } else {
                now = fresh == 0 && tried > 0 ? DEFERRED : ACTIVE;
                // An active message's tried recipients are deferred ones all the same.
                m.talliedOwn = now == DEFERRED ? tried : fresh;
                m.talliedDeferred = now == DEFERRED ? 0 : tried;
            }
            messages[now]++;
            recipients[now] += m.talliedOwn;
            if (now != HELD) {
                recipients[DEFERRED] += m.talliedDeferred;
            }
            if (before == NONE) {
                arrivals.computeIfAbsent(m.arrival, a -> new int[1])[0]++;
            }
            m.talliedAs = now;
        }
        current = new QueueCounts(messages[ACTIVE], messages[DEFERRED], messages[HELD], recipients[ACTIVE],
                recipients[DEFERRED], recipients[HELD], arrivals.isEmpty() ? 0 : arrivals.firstKey());
    }

    private void forget(long arrival) {
        int[] n = arrivals.get(arrival);
        if (n != null && --n[0] == 0) {
            arrivals.remove(arrival);
        }
    }
}
