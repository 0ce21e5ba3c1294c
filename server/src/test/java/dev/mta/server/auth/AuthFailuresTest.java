package dev.mta.server.auth;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFailuresTest {
    private final AtomicLong now = new AtomicLong();
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void theFifthFailureWithinTheWindowLocksOutForAWhile() throws Exception {
        AuthFailures f = new AuthFailures(5, 10 * MINUTE, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 4; i++) {
            assertFalse(f.failed(a));
        }
        assertFalse(f.lockedOut(a));
        assertFalse(f.failed(b), "each address counts on its own");
        assertTrue(f.failed(a));
        assertTrue(f.lockedOut(a));
        assertFalse(f.lockedOut(b));
        now.addAndGet(10 * MINUTE);
        assertFalse(f.lockedOut(a), "the lockout ends");
    }

    @Test
    void failuresOutsideTheWindowStartOver() throws Exception {
        AuthFailures f = new AuthFailures(3, 10 * MINUTE, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        f.failed(a);
        f.failed(a);
        now.addAndGet(11 * MINUTE);
        assertFalse(f.failed(a));
        assertFalse(f.failed(a));
        assertTrue(f.failed(a));
    }

    @Test
    void aLockoutFromTheOptionsMakesItsTable() throws Exception {
        AuthFailures f = new Lockout(2, java.time.Duration.ofSeconds(60)).newTable();
        InetAddress a = InetAddress.getByName("192.0.2.9");
        assertFalse(f.failed(a));
        assertTrue(f.failed(a), "the second failure locks out with --auth-max-failures 2");
        assertTrue(f.lockedOut(a));
    }

    @Test
    void checksUnderWayCountTowardTheLimit() throws Exception {
        AuthFailures f = new AuthFailures(3, 10 * MINUTE, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.7");
        assertTrue(f.tryBegin(a));
        assertTrue(f.tryBegin(a));
        assertTrue(f.tryBegin(a));
        assertFalse(f.tryBegin(a), "three guesses under way: a fourth in parallel does not run");
        f.ended(a); // one succeeded
        assertTrue(f.tryBegin(a));
        assertFalse(f.failed(a));
        assertFalse(f.failed(a));
        assertTrue(f.failed(a), "three failures: locked out");
        assertFalse(f.tryBegin(a), "locked out: no check begins");
        assertTrue(f.tryBegin(InetAddress.getByName("192.0.2.8")), "another address is not affected");
    }

    @Test
    void theTableIsBounded() throws Exception {
        AuthFailures f = new AuthFailures(2, MINUTE, 3, now::get);
        for (int i = 1; i <= 10; i++) {
            f.failed(InetAddress.getByName("192.0.2." + i));
        }
        assertEquals(3, f.size());
        assertFalse(f.failed(null));
        assertFalse(f.lockedOut(null));
    }
}
