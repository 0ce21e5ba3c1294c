package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Route;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopHealthTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 25);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 25);
    private static final HopHealth.Backoff TEN_TO_80 = new HopHealth.Backoff(Duration.ofSeconds(10), Duration.ofSeconds(80));

    private final AtomicLong now = new AtomicLong(1_000_000);

    private HopHealth table(double random) {
        return new HopHealth(TEN_TO_80, Duration.ofMinutes(10), now::get, () -> random);
    }

    @Test
    void periodsDoubleUpToTheCap() {
        HopHealth h = table(0.5); // jitter factor exactly 1.0
        assertEquals(10_000, h.periodMillis(1));
        assertEquals(20_000, h.periodMillis(2));
        assertEquals(40_000, h.periodMillis(3));
        assertEquals(80_000, h.periodMillis(4));
        assertEquals(80_000, h.periodMillis(5));
        assertEquals(80_000, h.periodMillis(1_000), "no overflow after many failures");
    }

    @Test
    void jitterStaysWithinTenPercentAndNeverAboveTheCap() {
        assertEquals(9_000, table(0.0).periodMillis(1));
        assertTrue(table(0.999_999).periodMillis(1) <= 11_000);
        assertTrue(table(0.999_999).periodMillis(1) > 10_990);
        assertEquals(72_000, table(0.0).periodMillis(9));
        assertEquals(80_000, table(0.999_999).periodMillis(9), "the cap holds after the jitter too");
        HopHealth random = new HopHealth(TEN_TO_80);
        for (int i = 0; i < 1_000; i++) {
            long p = random.periodMillis(2);
            assertTrue(p >= 18_000 && p <= 22_000, "" + p);
        }
    }

    @Test
    void badBackoffsAreRefusedNamingTheOption() {
        assertThrows(IllegalArgumentException.class, () -> new HopHealth.Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HopHealth.Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().startsWith("hop-backoff-max must be at least"), e.getMessage());
    }

    @Test
    void aFirstFailureStartsAPeriodAndLaterOnesWhileDownChangeNothing() {
        HopHealth h = table(0.5);
        HopHealth.Down d = h.failed(A, "refused");
        assertNotNull(d);
        assertEquals(1, d.failures());
        assertEquals(now.get() + 10_000, d.until());
        assertTrue(h.isDown(A));
        now.addAndGet(500);
        assertNull(h.failed(A, "refused too"), "an attempt begun before A was marked down does not grow its period");
        assertEquals(now.get() - 500 + 10_000, h.state(A).until());
    }

    @Test
    void aDestinationIsUnavailableOnlyWhileAllItsAddressesAreDown() {
        HopHealth h = table(0.5);
        assertEquals(-1, h.unavailableUntil(List.of(A, B)));
        h.failed(A, "refused");
        assertEquals(-1, h.unavailableUntil(List.of(A, B)), "B may still take the mail");
        now.addAndGet(3_000);
        h.failed(B, "421");
        assertEquals(now.get() - 3_000 + 10_000, h.unavailableUntil(List.of(A, B)), "the earliest end of a period");
        assertEquals(now.get() + 10_000, h.unavailableUntil(List.of(B)));
        h.reached(B);
        assertEquals(-1, h.unavailableUntil(List.of(A, B)));
        assertEquals(-1, h.unavailableUntil(List.of()));
    }

    @Test
    void oneProbeAtTheEndOfThePeriodAndItsFailureGrowsThePeriod() {
        HopHealth h = table(0.5);
        h.failed(A, "refused");
        now.addAndGet(9_999);
        assertEquals(HopHealth.Probe.NOT_DUE, h.claimProbe(A), "not before the period ends");
        now.addAndGet(1);
        assertEquals(HopHealth.Probe.NOW, h.claimProbe(A));
        assertEquals(HopHealth.Probe.NOT_DUE, h.claimProbe(A), "one probe only");
        assertTrue(h.isDown(A), "down until the probe says otherwise");
        HopHealth.Down next = h.failed(A, "refused again");
        assertNotNull(next, "the failed probe starts the next period");
        assertEquals(2, next.failures());
        assertEquals(now.get() + 20_000, next.until());
        assertEquals(HopHealth.Probe.NOT_DUE, h.claimProbe(A));
        now.addAndGet(20_000);
        assertEquals(HopHealth.Probe.NOW, h.claimProbe(A));
    }

    @Test
    void anAnsweringProbeClearsTheAddressAndHandsBackTheWaitingRoutes() {
        HopHealth h = table(0.5);
        assertNull(h.reached(A), "not down: nothing to hand back");
        h.failed(A, "refused");
        h.waiting(A, Route.smtp("one.example"));
        h.waiting(A, Route.smtp("two.example"));
        h.waiting(A, Route.smtp("one.example"));
        h.waiting(B, Route.smtp("three.example")); // B is not down: nothing waits on it
        now.addAndGet(10_000);
        assertEquals(HopHealth.Probe.NOW, h.claimProbe(A));
        assertEquals(Set.of(Route.smtp("one.example"), Route.smtp("two.example")), h.reached(A));
        assertFalse(h.isDown(A));
        assertFalse(h.isDown(B));
        assertEquals(0, h.size());
        HopHealth.Down again = h.failed(A, "refused");
        assertEquals(1, again.failures(), "an address that answered starts over at the first period");
    }

    @Test
    void anAddressNoMailWantsIsForgottenRatherThanProbed() {
        HopHealth h = table(0.5);
        h.failed(A, "refused");
        now.addAndGet(10_000);
        assertEquals(HopHealth.Probe.NOW, h.claimProbe(A));
        h.failed(A, "refused");
        now.addAndGet(Duration.ofMinutes(10).toMillis() + 1);
        assertEquals(HopHealth.Probe.FORGOTTEN, h.claimProbe(A));
        assertFalse(h.isDown(A));
        h.failed(B, "refused");
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        h.waiting(B, Route.smtp("wanted.example"));
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertEquals(HopHealth.Probe.NOW, h.claimProbe(B), "wanted within the forget-after time");
    }
}
