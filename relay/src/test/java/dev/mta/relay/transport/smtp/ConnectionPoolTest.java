package dev.mta.relay.transport.smtp;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kept connections: reuse of the freshest open one per hop, and closing of those idle too long, on a hand clock. */
class ConnectionPoolTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 25);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 25);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ConnectionPool<Fake> pool = new ConnectionPool<>(now::get);

    /** A connection that is open until it is quit or the test drops it. */
    private static final class Fake implements ConnectionPool.Pooled {
        boolean active = true;
        int quits;

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void quit() {
            quits++;
            active = false;
        }
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theMostRecentlyGivenOpenConnectionToTheSameHopIsTakenOnce() {
        Fake older = new Fake();
        Fake newer = new Fake();
        pool.give(A, older);
        pool.give(A, newer);
        assertNull(pool.take(B), "nothing kept for another hop");
        assertSame(newer, pool.take(A));
        assertSame(older, pool.take(A));
        assertNull(pool.take(A), "each connection is taken once");
    }

    @Test
    void aConnectionThatClosedWhileKeptIsSkipped() {
        Fake dropped = new Fake();
        Fake open = new Fake();
        pool.give(A, open);
        pool.give(A, dropped);
        dropped.active = false;
        assertSame(open, pool.take(A));
        assertEquals(0, dropped.quits, "a closed connection is not told QUIT");
    }

    @Test
    void connectionsIdleLongerThanTheTimeoutAreQuitAndTheRestKept() {
        Fake old = new Fake();
        pool.give(A, old);
        advance(Duration.ofSeconds(8));
        Fake recent = new Fake();
        pool.give(A, recent);
        Fake other = new Fake();
        pool.give(B, other);
        advance(Duration.ofSeconds(3));

        assertEquals(1, pool.closeIdle(Duration.ofSeconds(10)), "only the one idle for 11 s");
        assertEquals(1, old.quits);
        assertEquals(0, recent.quits);
        assertSame(recent, pool.take(A));
        assertSame(other, pool.take(B));
    }

    @Test
    void closedConnectionsLeaveAtTheNextSweepWhateverTheirAge() {
        Fake dropped = new Fake();
        pool.give(A, dropped);
        dropped.active = false;
        assertEquals(1, pool.closeIdle(Duration.ofMinutes(5)));
        assertNull(pool.take(A));
    }

    @Test
    void closeAllQuitsEveryKeptConnection() {
        Fake a = new Fake();
        Fake b = new Fake();
        pool.give(A, a);
        pool.give(B, b);
        pool.closeAll();
        assertEquals(1, a.quits);
        assertEquals(1, b.quits);
        assertFalse(a.isActive());
        assertNull(pool.take(A));
        assertNull(pool.take(B));
        assertTrue(pool.closeIdle(Duration.ZERO) == 0, "nothing left");
    }
}
