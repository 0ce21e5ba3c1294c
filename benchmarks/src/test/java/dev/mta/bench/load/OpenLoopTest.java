package dev.mta.bench.load;

import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.mta.bench.load.LoadCommandTest.hostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Open loop: the schedule holds its rate, and a stall shows in the latencies (no coordinated omission). */
@ExtendWith(LeakGuard.class)
class OpenLoopTest {

    @Test
    void messagesAreDueAtFixedIntervalsUpToTheDeadline() {
        long start = 1_000_000_000L;
        OpenLoop loop = new OpenLoop(start, 100, Long.MAX_VALUE, start + TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, loop.poll(start).seq());
        assertNull(loop.poll(start + 9_000_000));
        assertEquals(start + 10_000_000, loop.nextDueNanos());
        // Late: every due message is handed out at once, each with its own due time.
        Ticket t1 = loop.poll(start + 35_000_000);
        Ticket t2 = loop.poll(start + 35_000_000);
        Ticket t3 = loop.poll(start + 35_000_000);
        assertEquals(start + 10_000_000, t1.dueNanos());
        assertEquals(start + 30_000_000, t3.dueNanos());
        assertEquals(2, t2.seq());
        assertNull(loop.poll(start + 35_000_000));
        for (int i = 4; i < 100; i++) {
            assertEquals(i, loop.poll(start + 2_000_000_000L).seq());
        }
        assertNull(loop.poll(start + 2_000_000_000L));
        assertTrue(loop.finished(start + 2_000_000_000L));
        assertEquals(100, loop.issued());
    }

    @Test
    void holdsItsRateWhenTheServerKeepsUp() throws Exception {
        try (StallingSmtpServer server = new StallingSmtpServer()) {
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "10", "--rate", "200",
                    "--duration", "3", "--size", "2k");
            assertTrue(r.accepted() >= 420 && r.accepted() <= 780, "accepted " + r.accepted());
            assertEquals(r.sent(), r.accepted());
            assertEquals(r.accepted(), server.accepted.get());
            assertTrue(r.throughput() >= 140 && r.throughput() <= 260, "throughput " + r.throughput());
        }
    }

    @Test
    void aStallShowsInOpenLoopPercentilesAndHidesInClosedLoop() throws Exception {
        LoadReport open = runWithStall("--rate", "100");
        LoadReport closed = runWithStall();
        Latency o = open.latency().get("total");
        Latency c = closed.latency().get("total");
        System.out.printf("stall: open loop %d msgs p99 %.1f ms max %.1f ms; closed loop %d msgs p99 %.1f ms max %.1f ms%n",
                o.count(), o.p99(), o.max(), c.count(), c.p99(), c.max());
        assertTrue(o.p99() >= 1500, "open loop p99 " + o.p99() + " ms");
        assertTrue(o.max() >= 1800, "open loop max " + o.max() + " ms");
        assertTrue(c.max() >= 1800, "closed loop max " + c.max() + " ms: the stalled message itself");
        assertTrue(c.p99() < 500, "closed loop p99 " + c.p99() + " ms");
        assertTrue(c.p99() * 3 < o.p99(), "closed " + c.p99() + " ms vs open " + o.p99() + " ms");
    }

    /** A 4 s run with 2 sessions against a server that stalls every reply for 2 s after 1 s. */
    private static LoadReport runWithStall(String... extra) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (StallingSmtpServer server = new StallingSmtpServer()) {
            timer.schedule(() -> server.stallFor(Duration.ofSeconds(2)), 1, TimeUnit.SECONDS);
            String[] base = {"--target", hostPort(server.address()), "--sessions", "2", "--duration", "4",
                    "--size", "1k"};
            String[] args = new String[base.length + extra.length];
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            LoadReport r = LoadArgs.run(args);
            assertEquals(0, r.failed(), r.errors()::toString);
            return r;
        } finally {
            timer.shutdownNow();
        }
    }
}
