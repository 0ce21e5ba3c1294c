package dev.mta.queue.index;

import dev.mta.queue.model.QueueCounts;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.model.QueueIds;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.SegmentPins;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.model.RouteResolver;
import dev.mta.queue.schedule.DueScheduler;
import dev.mta.queue.schedule.RetrySchedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The in-memory index of queued messages: envelopes and recipient states (never bodies), their units of work in a
 * {@link DueScheduler}, and what they take of the heap. One lock guards it all, and it is only ever held for work
 * in memory: nothing here reads or writes the disk, so an event loop that asks {@link #hasRoom()} or a relay thread
 * that polls never waits behind an fsync. Records of what changed are written after the change, by the caller
 * ({@link Journal}); the compactor copies messages without the lock and only swaps locations under it
 * ({@link IndexRelocations}).
 */
public final class QueueIndex {
    private final Object lock = new Object();
    private final Map<Long, QueuedMessage> index = new HashMap<>();
    private final DueScheduler<QueuedMessage> scheduler = new DueScheduler<>();
    private final RouteResolver routes;
    private final RetrySchedule retry;
    private final long maxIndexBytes;
    private final SegmentPins pins;
    private final IndexRelocations relocations;
    /** Messages and recipients by state, kept as they change (metrics read it with no lock). */
    private final QueueTally tally = new QueueTally();
    /** Body bytes of the messages in the index. */
    private long liveBytes;
    /** Heap the index takes, estimated. */
    private long indexBytes;

    public QueueIndex(RouteResolver routes, RetrySchedule retry, long maxIndexBytes, SegmentPins pins) {
        this.routes = routes;
        this.retry = retry;
        this.maxIndexBytes = maxIndexBytes;
        this.pins = pins;
        this.relocations = new IndexRelocations(lock, index, pins);
    }

    /** A message that recovery found still pending enters the index; its first segment is pinned. */
    public void recovered(QueuedMessage m) {
        pins.pin(m.firstSegment);
        admit(m);
    }

    /** A durable new message enters the index and the schedule (its first segment is already pinned). */
    public void admit(QueuedMessage m) {
        synchronized (lock) {
            index.put(m.id, m);
            account(m, 1);
            Scheduling.schedule(scheduler, routes, m);
            tally.update(m);
        }
    }

    /** Adds ({@code sign} 1) or takes away (-1) a message's share of the live bytes and of the index's heap. */
    private void account(QueuedMessage m, int sign) {
        liveBytes += sign * m.bodyLength;
        indexBytes += sign * m.footprint();
    }

    /** Whether the index has room for more mail (it lives on the heap: past its share, mail is refused). */
    public boolean hasRoom() {
        synchronized (lock) {
            return indexBytes < maxIndexBytes;
        }
    }

    public long indexBytes() {
        synchronized (lock) {
            return indexBytes;
        }
    }

    /** Body bytes of the live messages. */
    public long liveBytes() {
        synchronized (lock) {
            return liveBytes;
        }
    }

    public int size() {
        synchronized (lock) {
            return index.size();
        }
    }

    /** Messages and recipients by state and the oldest arrival, as of the last change; takes no lock. */
    public QueueCounts counts() {
        return tally.current();
    }

    // ---- delivering -------------------------------------------------------------------------------------------

    /** A unit of work handed out: its message is leased (it will not move) until the outcome is reported. */
    public record Lease(QueuedMessage message, Route route, int[] indexes, long[] bodyPieces, boolean expired) {
    }

    public Lease poll(long now) {
        return firstLive(() -> scheduler.pollDue(now), now);
    }

    public Lease poll(long now, Predicate<Route> allowed) {
        return firstLive(() -> scheduler.pollDue(now, allowed), now);
    }

    public Lease poll(Route route, long now) {
        return firstLive(() -> scheduler.pollDue(route, now), now);
    }

    /** Takes units until one can go: those of deleted messages are dropped, those of held ones parked. */
    private Lease firstLive(Supplier<DueScheduler.Unit<QueuedMessage>> next, long now) {
        synchronized (lock) {
            DueScheduler.Unit<QueuedMessage> u;
            while ((u = next.get()) != null) {
                QueuedMessage m = u.item;
                if (m.removed) {
                    continue;
                }
                if (m.held) {
                    Scheduling.park(m, u);
                    continue;
                }
                m.leases++;
                return new Lease(m, u.route, u.indexes, m.bodyPieces(), retry.isExpired(m.arrival, now));
            }
            return null;
        }
    }

    public long nextDueMillis() {
        synchronized (lock) {
            return scheduler.nextDue();
        }
    }

    /** What a report changed: whether a STATE record is to be written, and the segment to unpin after it (or -1). */
    public record Reported(boolean write, long unpinSegment) {
    }

    /**
     * Applies the outcomes of a lease, in its order: delivered and failed recipients leave the destination list,
     * deferred ones come back after a back-off. A message with no recipient pending leaves the index.
     */
    public Reported report(Lease lease, List<Outcome> outcomes, long now) {
        QueuedMessage m = lease.message();
        synchronized (lock) {
            m.leases--;
            if (m.removed) {
                return new Reported(false, -1);
            }
            m.changes++;
            Scheduling.applyOutcomes(scheduler, retry, m, lease.route(), lease.indexes(), outcomes, now);
            if (m.isComplete()) {
                return new Reported(true, removeLocked(m));
            }
            tally.update(m);
            return new Reported(true, -1);
        }
    }

    /** Takes a message out (under the lock); returns its first segment, to unpin once its last record is written. */
    private long removeLocked(QueuedMessage m) {
        index.remove(m.id);
        account(m, -1);
        m.removed = true;
        m.changes++;
        tally.update(m);
        return m.firstSegment;
    }

    // ---- the operator's view ----------------------------------------------------------------------------------

    public List<QueueEntry> list() {
        List<QueueEntry> all = new ArrayList<>();
        synchronized (lock) {
            for (QueuedMessage m : index.values()) {
                all.add(m.toEntry());
            }
        }
        all.sort(Comparator.comparing(QueueEntry::id));
        return all;
    }

    public Optional<QueueEntry> find(String id) {
        synchronized (lock) {
            QueuedMessage m = index.get(parseId(id));
            return m == null ? Optional.empty() : Optional.of(m.toEntry());
        }
    }

    /** Where a message lies on disk now (relocation may move it later), or null when it is not queued. */
    public record Stored(long id, Location record, int headLength, long[] bodyPieces, long bodyLength) {
    }

    public Stored locate(String id) {
        synchronized (lock) {
            QueuedMessage m = index.get(parseId(id));
            return m == null ? null : new Stored(m.id, m.record, m.inlineOffset, m.bodyPieces(), m.bodyLength);
        }
    }

    /** Makes every waiting unit due now (held messages stay held); returns how many moved. */
    public int flush(long now) {
        synchronized (lock) {
            // A held message's units come due too, and are parked until its release (which then makes them due),
            // but are not counted: the count is of deliveries made due now.
            int moved = scheduler.makeDue(now, item -> !item.held);
            scheduler.makeDue(now, item -> item.held);
            return moved;
        }
    }

    /** Makes the waiting units of one message due now; -1 when there is no such message. */
    public int flush(String id, long now) {
        synchronized (lock) {
            QueuedMessage m = index.get(parseId(id));
            return m == null ? -1 : scheduler.makeDue(now, item -> item == m);
        }
    }

    /** Makes the waiting units of one route due now (held messages stay held); returns how many moved. */
    public int flush(Route route, long now) {
        synchronized (lock) {
            return scheduler.makeDue(now, route);
        }
    }

    /** Takes a message out; returns its first segment (to unpin once the REMOVE is written), or -1 if not queued. */
    public long remove(long id) {
        synchronized (lock) {
            QueuedMessage m = index.get(id);
            return m == null ? -1 : removeLocked(m);
        }
    }

    /** Holds or releases a message; false when it is not queued. Released units are due at {@code now}. */
    public boolean setHeld(long id, boolean held, long now) {
        synchronized (lock) {
            QueuedMessage m = index.get(id);
            if (m == null) {
                return false;
            }
            m.changes++;
            m.held = held;
            if (!held) {
                Scheduling.unpark(scheduler, m, now);
            }
            tally.update(m);
            return true;
        }
    }

    public static long parseId(String id) {
        try {
            return QueueIds.parse(id);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    // ---- for the compactor (writer thread) ---------------------------------------------------------------------

    /** The compactor's side of the index: what to move, and the swap to a copy, under this index's lock. */
    public IndexRelocations relocations() {
        return relocations;
    }
}
