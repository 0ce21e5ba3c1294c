package dev.mta.queue.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Units of work (some recipients of one message for one destination) ordered by due time, then by arrival in the
 * scheduler, and findable per destination so a connection to one next hop can take the next unit for it.
 * Not thread-safe: the queue guards it.
 */
public final class DueScheduler<T> {
    /** Recipients {@link #indexes} of {@link #item} for {@link #destination}, due at {@link #due}. */
    public static final class Unit<T> {
        public final T item;
        public final String destination;
        public final int[] indexes;
        long due;
        long seq;

        Unit(T item, String destination, int[] indexes, long due, long seq) {
            this.item = item;
            this.destination = destination;
            this.indexes = indexes;
            this.due = due;
            this.seq = seq;
        }

        public long due() {
            return due;
        }
    }

    private static final Comparator<Unit<?>> ORDER =
            Comparator.<Unit<?>>comparingLong(u -> u.due).thenComparingLong(u -> u.seq);

    private final TreeSet<Unit<T>> all = new TreeSet<>(ORDER);
    private final Map<String, TreeSet<Unit<T>>> byDestination = new HashMap<>();
    private long seq;

    public Unit<T> add(T item, String destination, int[] indexes, long due) {
        Unit<T> u = new Unit<>(item, destination, indexes, due, seq++);
        all.add(u);
        byDestination.computeIfAbsent(destination, d -> new TreeSet<>(ORDER)).add(u);
        return u;
    }

    /** Takes the unit due earliest, if it is due at {@code now}. */
    public Unit<T> pollDue(long now) {
        if (all.isEmpty() || all.first().due > now) {
            return null;
        }
        Unit<T> u = all.pollFirst();
        removeFromDestination(u);
        return u;
    }

    /** Takes the earliest due unit whose destination {@code allowed} accepts (destinations at their limit wait). */
    public Unit<T> pollDue(long now, java.util.function.Predicate<String> allowed) {
        for (Unit<T> u : all) {
            if (u.due > now) {
                return null;
            }
            if (allowed.test(u.destination)) {
                all.remove(u);
                removeFromDestination(u);
                return u;
            }
        }
        return null;
    }

    /** Takes the earliest due unit for one destination. */
    public Unit<T> pollDue(String destination, long now) {
        TreeSet<Unit<T>> set = byDestination.get(destination);
        if (set == null || set.first().due > now) {
            return null;
        }
        Unit<T> u = set.pollFirst();
        if (set.isEmpty()) {
            byDestination.remove(destination);
        }
        all.remove(u);
        return u;
    }

    private void removeFromDestination(Unit<T> u) {
        TreeSet<Unit<T>> set = byDestination.get(u.destination);
        set.remove(u);
        if (set.isEmpty()) {
            byDestination.remove(u.destination);
        }
    }

    /** When the next unit comes due; Long.MAX_VALUE when there is none. */
    public long nextDue() {
        return all.isEmpty() ? Long.MAX_VALUE : all.first().due;
    }

    /** Brings every unit due later forward to {@code now}, keeping their order; returns how many moved. */
    public int makeAllDue(long now) {
        List<Unit<T>> later = new ArrayList<>(all.tailSet(new Unit<>(null, "", null, now, Long.MAX_VALUE), false));
        for (Unit<T> u : later) {
            all.remove(u);
            removeFromDestination(u);
            u.due = now;
        }
        for (Unit<T> u : later) {
            u.seq = seq++; // all due at once now: keep the order they were due in
            all.add(u);
            byDestination.computeIfAbsent(u.destination, d -> new TreeSet<>(ORDER)).add(u);
        }
        return later.size();
    }

    public int size() {
        return all.size();
    }
}
