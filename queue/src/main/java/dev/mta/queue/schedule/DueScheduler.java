package dev.mta.queue.schedule;

import dev.mta.queue.model.Route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Units of work (some recipients of one message for one route) ordered by due time, then by arrival in the
 * scheduler, and findable per route so a connection to one next hop can take the next unit for it. Each route's
 * units are its ready queue, and the routes are kept in the order of their first unit, so taking the next unit of a
 * route that has room passes over the routes at their limit, never over every unit waiting behind them (as Postfix's
 * queue manager does with its per-destination queues). Not thread-safe: the queue guards it.
 */
public final class DueScheduler<T> {
    /** Recipients {@link #indexes} of {@link #item} for {@link #route}, due at {@link #due}. */
    public static final class Unit<T> {
        public final T item;
        public final Route route;
        public final int[] indexes;
        long due;
        long seq;

        Unit(T item, Route route, int[] indexes, long due, long seq) {
            this.item = item;
            this.route = route;
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

    /** One route's units, in order; ordered among the routes by its first unit. */
    private static final class RouteQueue<T> {
        final Route route;
        final TreeSet<Unit<T>> units = new TreeSet<>(ORDER);

        RouteQueue(Route route) {
            this.route = route;
        }
    }

    private static final Comparator<RouteQueue<?>> BY_FIRST_UNIT = (a, b) -> ORDER.compare(a.units.first(), b.units.first());

    private final Map<Route, RouteQueue<T>> byRoute = new HashMap<>();
    /** The routes that have units, by their first unit: a route is taken out before its first unit changes. */
    private final TreeSet<RouteQueue<T>> routes = new TreeSet<>(BY_FIRST_UNIT);
    private long seq;
    private int size;

    public Unit<T> add(T item, Route route, int[] indexes, long due) {
        // The route's queue holds an equal route already: its units share that one.
        RouteQueue<T> q = byRoute.get(route);
        Unit<T> u = new Unit<>(item, q == null ? route : q.route, indexes, due, seq++);
        addToRoute(u);
        size++;
        return u;
    }

    private void addToRoute(Unit<T> u) {
        RouteQueue<T> q = byRoute.get(u.route);
        if (q == null) {
            q = new RouteQueue<>(u.route);
            byRoute.put(u.route, q);
        } else {
            routes.remove(q);
        }
        q.units.add(u);
        routes.add(q);
    }

    /** Takes the unit due earliest, if it is due at {@code now}: the first of the first route. */
    public Unit<T> pollDue(long now) {
        return pollDue(now, route -> true);
    }

    /**
     * Takes the earliest due unit whose route {@code allowed} accepts (routes at their limit wait): it looks at the
     * first unit of each route in turn, so the cost grows with the routes passed over, not the units behind them.
     */
    public Unit<T> pollDue(long now, java.util.function.Predicate<Route> allowed) {
        for (RouteQueue<T> q : routes) {
            Unit<T> u = q.units.first();
            if (u.due > now) {
                return null; // the routes after this one have nothing due earlier
            }
            if (allowed.test(q.route)) {
                removeFromRoute(u);
                size--;
                return u;
            }
        }
        return null;
    }

    /** Takes the earliest due unit for one route. */
    public Unit<T> pollDue(Route route, long now) {
        RouteQueue<T> q = byRoute.get(route);
        if (q == null || q.units.first().due > now) {
            return null;
        }
        Unit<T> u = q.units.first();
        removeFromRoute(u);
        size--;
        return u;
    }

    private void removeFromRoute(Unit<T> u) {
        RouteQueue<T> q = byRoute.get(u.route);
        routes.remove(q);
        q.units.remove(u);
        if (q.units.isEmpty()) {
            byRoute.remove(u.route);
        } else {
            routes.add(q);
        }
    }

    /** When the next unit comes due; Long.MAX_VALUE when there is none. */
    public long nextDue() {
        return routes.isEmpty() ? Long.MAX_VALUE : routes.first().units.first().due;
    }

    /** Brings every unit due later forward to {@code now}, keeping their order; returns how many moved. */
    public int makeAllDue(long now) {
        return makeDue(now, item -> true);
    }

    /** Brings the units of the items {@code which} accepts that are due later forward to {@code now}. */
    public int makeDue(long now, java.util.function.Predicate<T> which) {
        List<Unit<T>> later = new ArrayList<>();
        for (RouteQueue<T> q : routes) {
            for (Unit<T> u : q.units.tailSet(notYetDueAt(now), false)) {
                if (which.test(u.item)) {
                    later.add(u);
                }
            }
        }
        later.sort(ORDER); // the order they were due in, across routes
        return bringForward(later, now);
    }

    /** Brings the units of one route that are due later forward to {@code now}; returns how many moved. */
    public int makeDue(long now, Route route) {
        RouteQueue<T> q = byRoute.get(route);
        if (q == null) {
            return 0;
        }
        return bringForward(new ArrayList<>(q.units.tailSet(notYetDueAt(now), false)), now);
    }

    /** A key just after every unit due at {@code now}: what lies beyond it is due later. */
    private static <T> Unit<T> notYetDueAt(long now) {
        return new Unit<>(null, null, null, now, Long.MAX_VALUE);
    }

    private int bringForward(List<Unit<T>> later, long now) {
        for (Unit<T> u : later) {
            removeFromRoute(u);
            u.due = now;
        }
        for (Unit<T> u : later) {
            u.seq = seq++; // all due at once now: keep the order they were due in
            addToRoute(u);
        }
        return later.size();
    }

    public int size() {
        return size;
    }
}
