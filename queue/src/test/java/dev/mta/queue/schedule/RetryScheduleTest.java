package dev.mta.queue.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {
    private static final long MIN = 60_000;

    @Test
    void delaysGrowThenRepeatTheLast() {
        RetrySchedule r = new RetrySchedule(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1)),
                Duration.ofDays(5), 0);
        assertEquals(MIN, r.nextAttempt(1, 0, 0));
        assertEquals(5 * MIN, r.nextAttempt(2, 0, 0));
        assertEquals(60 * MIN, r.nextAttempt(3, 0, 0));
        assertEquals(60 * MIN, r.nextAttempt(9, 0, 0));
    }

    @Test
    void jitterStaysWithinItsBand() {
        RetrySchedule r = new RetrySchedule(List.of(Duration.ofMinutes(10)), Duration.ofDays(5), 0.1);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long t = r.nextAttempt(1, 0, 0);
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        assertTrue(min >= 9 * MIN && max <= 11 * MIN, min + ".." + max);
        assertTrue(max - min > MIN, "jitter spreads retries: " + min + ".." + max);
    }

    @Test
    void neverPastTheMaximumLifetime() {
        RetrySchedule r = new RetrySchedule(List.of(Duration.ofHours(4)), Duration.ofHours(5), 0);
        long arrival = 1_000;
        assertEquals(arrival + 5 * 60 * MIN, r.nextAttempt(3, arrival, arrival + 3 * 60 * MIN));
        assertFalse(r.isExpired(arrival, arrival + 5 * 60 * MIN - 1));
        assertTrue(r.isExpired(arrival, arrival + 5 * 60 * MIN));
    }

    @Test
    void parsesDurations() {
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofDays(5)),
                RetrySchedule.parseDelays("30s, 5m,2h ,5d"));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parseDuration("5w"));
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parseDuration("m"));
    }

    /** The schedule the README documents: 1m, 5m, 15m, 1h, 2h, 4h, the last repeating, each with ±10% jitter. */
    private static final List<Duration> DOCUMENTED = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4));

    @Test
    void defaultBacksOffAsDocumented() {
        long arrival = 1_700_000_000_000L;
        long now = arrival + 3 * 60 * MIN; // well inside the lifetime: no step is cut short by expiry
        for (int attempts = 1; attempts <= DOCUMENTED.size() + 3; attempts++) {
            long base = DOCUMENTED.get(Math.min(attempts, DOCUMENTED.size()) - 1).toMillis();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 500; i++) {
                long delay = RetrySchedule.DEFAULT.nextAttempt(attempts, arrival, now) - now;
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            String step = "attempt " + attempts + ": " + min + ".." + max + " ms for " + base + " ms";
            assertTrue(min >= base - base / 10 && max <= base + base / 10, step + " within ±10%");
            assertTrue(max - min > base / 10, step + " spread by jitter");
        }
    }

    @Test
    void defaultExpiresAfterFiveDays() {
        long arrival = 1_700_000_000_000L;
        long fiveDays = Duration.ofDays(5).toMillis();
        assertEquals(arrival + fiveDays, RetrySchedule.DEFAULT.expiry(arrival));
        assertFalse(RetrySchedule.DEFAULT.isExpired(arrival, arrival));
        assertFalse(RetrySchedule.DEFAULT.isExpired(arrival, arrival + fiveDays - 1));
        assertTrue(RetrySchedule.DEFAULT.isExpired(arrival, arrival + fiveDays));
        assertTrue(RetrySchedule.DEFAULT.isExpired(arrival, arrival + fiveDays + 1));
        // A try that would come after expiry comes due at expiry, where the recipient is failed.
        long late = arrival + fiveDays - 10 * MIN;
        for (int i = 0; i < 100; i++) {
            assertEquals(arrival + fiveDays, RetrySchedule.DEFAULT.nextAttempt(6, arrival, late));
        }
        // One just short of it still gets its whole (jittered) first delay.
        long early = arrival + fiveDays - 2 * MIN;
        long next = RetrySchedule.DEFAULT.nextAttempt(1, arrival, early);
        assertTrue(next >= early + 54_000 && next <= early + 66_000, "first delay before expiry: " + (next - early));
    }
}
