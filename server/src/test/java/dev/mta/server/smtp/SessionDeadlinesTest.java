package dev.mta.server.smtp;

import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The deadline arithmetic on a clock the test moves: the DATA limits, and time lost to our own disk. */
class SessionDeadlinesTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @TempDir
    Path spool;
    private long now = 1_000 * SECOND;

    private SessionDeadlines deadlines(long maxDataSeconds, long minRate) {
        ServerConfig c = TestMta.config(spool)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5))
                .withDataLimits(Duration.ofSeconds(maxDataSeconds), minRate);
        SessionDeadlines d = new SessionDeadlines(c, () -> now);
        d.activity();
        return d;
    }

    private void advance(double seconds) {
        now += (long) (seconds * SECOND);
    }

    @Test
    void eachByteBuysTimeAtTheMinimumRate() {
        SessionDeadlines d = deadlines(1800, 100);
        d.dataStarted();
        // 10 s from the data timeout; 500 bytes at 100 B/s buy 5 s more.
        for (int i = 0; i < 5; i++) {
            advance(2);
            d.activity();
            d.dataReceived(100);
        }
        assertNull(d.expired());
        advance(4.9);
        assertNull(d.expired(), "10 s + 5 s credit not yet used up at 14.9 s");
        advance(0.2);
        assertEquals(SessionDeadlines.Expiry.DATA_RATE, d.expired());
    }

    @Test
    void creditIsCappedAtTheDataTimeout() {
        SessionDeadlines d = deadlines(1800, 100);
        d.dataStarted();
        d.dataReceived(1_000_000); // 10,000 s at the minimum rate, but never more in hand than the data timeout
        advance(9);
        d.activity();
        assertNull(d.expired());
        advance(1.1);
        assertEquals(SessionDeadlines.Expiry.DATA_RATE, d.expired());
    }

    @Test
    void theTotalDataTimeEndsATrickleWithoutARate() {
        SessionDeadlines d = deadlines(3, 0);
        d.dataStarted();
        for (int i = 0; i < 9; i++) {
            advance(0.3);
            d.activity();
            d.dataReceived(1);
            assertNull(d.expired());
        }
        advance(0.4);
        d.activity();
        assertEquals(SessionDeadlines.Expiry.DATA_TIME, d.expired());
    }

    @Test
    void timeSpentWaitingOnOurDiskIsNotTheClients() {
        SessionDeadlines d = deadlines(3, 0);
        d.dataStarted();
        advance(2);
        d.ourSideSlow(true);
        advance(60); // the disk is slow: neither the data timeout nor the total time runs
        assertNull(d.expired());
        d.ourSideSlow(false);
        advance(0.9);
        assertNull(d.expired());
        advance(0.2);
        assertEquals(SessionDeadlines.Expiry.DATA_TIME, d.expired());
    }

    @Test
    void idleLimitsFollowThePhase() {
        SessionDeadlines d = deadlines(1800, 0);
        advance(59);
        assertNull(d.expired());
        d.dataStarted();
        d.activity();
        advance(10);
        assertEquals(SessionDeadlines.Expiry.IDLE, d.expired(), "the data timeout applies in DATA");
        d.dataEnded();
        assertNull(d.expired(), "the command timeout applies again after it");
    }

    @Test
    void theNextCheckIsDueAtTheNearestDeadline() {
        SessionDeadlines d = deadlines(3, 0);
        assertEquals(3 * SECOND, d.nanosToNextCheck(), "never past the shortest limit, whatever the phase");
        d.dataStarted();
        advance(1);
        d.activity();
        assertEquals(2 * SECOND, d.nanosToNextCheck());
    }
}
