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
        assertEquals(RetrySchedule.DEFAULT.expiry(0), Duration.ofDays(5).toMillis());
    }
}
