package dev.mta.queue.index;

import dev.mta.queue.log.Location;
import dev.mta.queue.log.SegmentPins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compactor's side of the {@link QueueIndex} (writer thread): which messages began in a segment, each as it
 * stands to copy ({@link Relocation}), and pointing one at its copy if nothing changed meanwhile. Under the index's
 * one lock, for work in memory only: the copy itself is read and written with no lock held.
 */
public final class IndexRelocations {
    private final Object lock;
    private final Map<Long, QueuedMessage> index;
    private final SegmentPins pins;

    /** {@code lock} and {@code index} are the index's own. */
    IndexRelocations(Object lock, Map<Long, QueuedMessage> index, SegmentPins pins) {
        this.lock = lock;
        this.index = index;
        this.pins = pins;
    }

    /** The messages that began in {@code segment}, or null when one of them is leased (it must not move yet). */
    public List<QueuedMessage> startedIn(long segment) {
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

    /** The message as it stands, for the compactor to copy; null when it is gone or leased. */
    public Relocation relocationOf(QueuedMessage m) {
        synchronized (lock) {
            return m.removed || m.leases > 0 ? null : new Relocation(m);
        }
    }

    /** Whether the message is still queued, not leased and unchanged since {@code r} was taken. */
    public boolean isUnchanged(Relocation r) {
        synchronized (lock) {
            return unchanged(r);
        }
    }

    private static boolean unchanged(Relocation r) {
        QueuedMessage m = r.message;
        return !m.removed && m.leases == 0 && m.changes == r.changes;
    }

    /**
     * Points the message at its durable copy, if nothing changed since {@code r} was taken: it is still queued, not
     * leased, and no change was made (its count of changes is the same). The new first segment is pinned and the old
     * one released. Otherwise the copy is abandoned and false returned: the old records stay in use.
     */
    public boolean moveIfUnchanged(Relocation r, long[] chunks, Location record) {
        QueuedMessage m = r.message;
        synchronized (lock) {
            if (!unchanged(r)) {
                return false;
            }
            long old = m.firstSegment;
            m.moveTo(chunks, record);
            pins.pin(m.firstSegment);
            pins.release(old);
            return true;
        }
    }
}
