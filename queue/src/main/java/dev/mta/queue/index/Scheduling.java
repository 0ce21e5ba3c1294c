package dev.mta.queue.index;

import dev.mta.queue.model.RecipientState;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.model.RouteResolver;
import dev.mta.queue.schedule.DueScheduler;
import dev.mta.queue.schedule.RetrySchedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a message's recipients become units of work: grouped by route, due at their next attempt; outcomes move
 * recipients on and back off the deferred ones; a held message's units are parked as they come due and go back on
 * release. Called under the {@link QueueIndex}'s lock.
 */
final class Scheduling {
    private Scheduling() {
    }

    /** Groups a message's pending recipients by route into units of work, due at their next attempt. */
    static void schedule(DueScheduler<QueuedMessage> scheduler, RouteResolver routes, QueuedMessage m) {
        Map<Route, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < m.recipients.length; i++) {
            if (m.states[i] == RecipientState.PENDING.ordinal()) {
                groups.computeIfAbsent(routes.routeOf(m.recipients[i]), d -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<Route, List<Integer>> g : groups.entrySet()) {
            int[] idx = indexes(g.getValue());
            long due = Long.MAX_VALUE;
            for (int i : idx) {
                due = Math.min(due, m.nextAttempt[i]);
            }
            scheduler.add(m, g.getKey(), idx, due);
        }
    }

    /** Records each recipient's outcome; the deferred ones come back as one unit after the back-off. */
    static void applyOutcomes(DueScheduler<QueuedMessage> scheduler, RetrySchedule retry, QueuedMessage m, Route route,
                              int[] indexes, List<Outcome> outcomes, long now) {
        List<Integer> deferred = new ArrayList<>();
        for (int k = 0; k < indexes.length; k++) {
            int i = indexes[k];
            Outcome o = outcomes.get(k);
            switch (o.kind()) {
                case DELIVERED:
                    m.states[i] = (byte) RecipientState.DELIVERED.ordinal();
                    m.setOutcome(i, null);
                    break;
                case FAILED:
                    m.states[i] = (byte) RecipientState.FAILED.ordinal();
                    m.attempts[i]++;
                    m.setOutcome(i, o);
                    break;
                default:
                    m.attempts[i]++;
                    m.setOutcome(i, o);
                    deferred.add(i);
            }
        }
        if (deferred.isEmpty()) {
            return;
        }
        int attempts = 0;
        for (int i : deferred) {
            attempts = Math.max(attempts, m.attempts[i]);
        }
        long next = retry.nextAttempt(attempts, m.arrival, now);
        int[] idx = indexes(deferred);
        for (int i : idx) {
            m.nextAttempt[i] = next;
        }
        scheduler.add(m, route, idx, next);
    }

    /** Only the first recipient: most units, one array for all of them (units' indexes are never written). */
    private static final int[] FIRST = {0};

    private static int[] indexes(List<Integer> list) {
        if (list.size() == 1 && list.get(0) == 0) {
            return FIRST;
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A unit of a held message came due: it waits with the message until release. */
    static void park(QueuedMessage m, DueScheduler.Unit<QueuedMessage> u) {
        if (m.parked == null) {
            m.parked = new ArrayList<>(1);
        }
        m.parked.add(u);
    }

    /** The parked units of a released message are due at {@code now}. */
    static void unpark(DueScheduler<QueuedMessage> scheduler, QueuedMessage m, long now) {
        if (m.parked == null) {
            return;
        }
        for (DueScheduler.Unit<QueuedMessage> u : m.parked) {
            scheduler.add(m, u.route, u.indexes, now);
        }
        m.parked = null;
    }
}
