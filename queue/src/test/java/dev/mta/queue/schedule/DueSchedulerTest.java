package dev.mta.queue.schedule;

import dev.mta.queue.model.Route;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DueSchedulerTest {
    @Test
    void handsOutInDueOrderThenArrivalOrder() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("late", Route.smtp("a.example"), new int[]{0}, 300);
        s.add("first", Route.smtp("b.example"), new int[]{0}, 100);
        s.add("second", Route.smtp("a.example"), new int[]{0}, 100);
        s.add("future", Route.smtp("a.example"), new int[]{0}, 10_000);
        assertEquals("first", s.pollDue(500).item);
        assertEquals("second", s.pollDue(500).item);
        assertEquals("late", s.pollDue(500).item);
        assertNull(s.pollDue(500), "not due yet");
        assertEquals(10_000, s.nextDue());
        assertEquals("future", s.pollDue(10_000).item);
        assertEquals(Long.MAX_VALUE, s.nextDue());
    }

    @Test
    void pollsOneDestination() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("x1", Route.smtp("x.example"), new int[]{0, 2}, 10);
        s.add("y1", Route.smtp("y.example"), new int[]{1}, 5);
        s.add("x2", Route.smtp("x.example"), new int[]{0}, 20);
        DueScheduler.Unit<String> u = s.pollDue(Route.smtp("x.example"), 100);
        assertEquals("x1", u.item);
        assertEquals(2, u.indexes.length);
        assertEquals("x2", s.pollDue(Route.smtp("x.example"), 100).item);
        assertNull(s.pollDue(Route.smtp("x.example"), 100));
        assertEquals(1, s.size());
        assertEquals("y1", s.pollDue(100).item);
    }

    @Test
    void flushMakesEverythingDueKeepingOrder() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("b", Route.smtp("d"), new int[]{0}, 5_000);
        s.add("a", Route.smtp("d"), new int[]{0}, 1_000);
        s.add("now", Route.smtp("d"), new int[]{0}, 10);
        assertEquals(2, s.makeAllDue(100));
        assertEquals("now", s.pollDue(100).item);
        assertEquals("a", s.pollDue(100).item);
        assertEquals("b", s.pollDue(100).item);
    }

    @Test
    void makeDueByRouteMovesOnlyThatRoutesLaterUnits() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("back2", Route.smtp("back.example"), new int[]{0}, 9_000);
        s.add("other", Route.smtp("other.example"), new int[]{0}, 5_000);
        s.add("back1", Route.smtp("back.example"), new int[]{0}, 8_000);
        s.add("dueAlready", Route.smtp("back.example"), new int[]{0}, 50);
        assertEquals(2, s.makeDue(100, Route.smtp("back.example")));
        assertEquals(0, s.makeDue(100, Route.smtp("nothing.example")));
        assertEquals("dueAlready", s.pollDue(100).item);
        assertEquals("back1", s.pollDue(100).item);
        assertEquals("back2", s.pollDue(100).item);
        assertNull(s.pollDue(100), "the other route waits for its own time");
        assertEquals(5_000, s.nextDue());
    }

    @Test
    void skipsDestinationsThatMayNotTakeMore() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("busy1", Route.smtp("busy.example"), new int[]{0}, 1);
        s.add("free1", Route.smtp("free.example"), new int[]{0}, 2);
        s.add("busy2", Route.smtp("busy.example"), new int[]{0}, 3);
        assertEquals("free1", s.pollDue(10, d -> !d.equals(Route.smtp("busy.example"))).item);
        assertNull(s.pollDue(10, d -> !d.equals(Route.smtp("busy.example"))));
        assertEquals(2, s.size());
        assertEquals("busy1", s.pollDue(10, d -> true).item);
    }

    @Test
    void aFullRouteIsPassedOverAsOneNotUnitByUnit() {
        DueScheduler<String> s = new DueScheduler<>();
        Route busy = Route.smtp("busy.example");
        for (int i = 0; i < 10_000; i++) {
            s.add("busy" + i, busy, new int[]{0}, i);
        }
        s.add("free", Route.smtp("free.example"), new int[]{0}, 20_000);
        s.add("other", Route.smtp("other.example"), new int[]{0}, 5_000);
        int[] asked = new int[1];
        java.util.function.Predicate<Route> notBusy = r -> {
            asked[0]++;
            return !r.equals(busy);
        };
        assertEquals("other", s.pollDue(30_000, notBusy).item);
        assertEquals("free", s.pollDue(30_000, notBusy).item);
        assertNull(s.pollDue(30_000, notBusy));
        assertEquals(5, asked[0], "each poll asks about each route once, whatever waits behind the busy one");
        assertEquals("busy0", s.pollDue(30_000, r -> true).item);
        assertEquals("busy1", s.pollDue(busy, 30_000).item);
        assertEquals(9_998, s.size());
    }

    @Test
    void routesKeepTheOrderOfTheirFirstUnitsAsUnitsComeAndGo() {
        DueScheduler<String> s = new DueScheduler<>();
        s.add("a1", Route.smtp("a"), new int[]{0}, 50);
        s.add("b1", Route.smtp("b"), new int[]{0}, 40);
        s.add("a0", Route.smtp("a"), new int[]{0}, 10); // a's new first: a comes before b now
        assertEquals("a0", s.pollDue(100, r -> true).item);
        assertEquals("b1", s.pollDue(100, r -> true).item);
        s.add("c1", Route.smtp("c"), new int[]{0}, 1_000);
        assertEquals(1, s.makeDue(100, Route.smtp("c")));
        assertEquals("a1", s.pollDue(100, r -> true).item, "a1 was due at 50, c1 made due at 100");
        assertEquals("c1", s.pollDue(100, r -> true).item);
        assertEquals(0, s.size());
        assertEquals(Long.MAX_VALUE, s.nextDue());
    }
}
