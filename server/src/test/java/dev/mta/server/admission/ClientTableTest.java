package dev.mta.server.admission;

import dev.mta.server.config.RelayControl;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-client accounting: connections open, the connection rate, exceptions, IPv6 /64s, and its bounds. */
class ClientTableTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    private ClientTable table(int perClient, int perMinute, String exceptions, int maxClients) {
        return new ClientTable(new ClientLimits(perClient, perMinute, RelayControl.networks(exceptions), Duration.ZERO),
                maxClients, clock);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void connectionsOpenAtOnceAreCountedPerClient() throws Exception {
        ClientTable t = table(2, 0, "", 100);
        InetAddress a = ip("192.0.2.1");
        assertEquals(Admission.COUNTED, t.admit(a));
        assertEquals(Admission.COUNTED, t.admit(a));
        assertEquals(Admission.TOO_MANY_CONNECTIONS, t.admit(a));
        assertEquals(Admission.COUNTED, t.admit(ip("192.0.2.2")), "another client is not affected");
        t.release(a);
        assertEquals(1, t.openFrom(a));
        assertEquals(Admission.COUNTED, t.admit(a), "a closed connection gives its place back");
    }

    @Test
    void theRateRefillsOverAMinute() throws Exception {
        ClientTable t = table(0, 3, "", 100);
        InetAddress a = ip("198.51.100.7");
        for (int i = 0; i < 3; i++) {
            assertEquals(Admission.COUNTED, t.admit(a));
            t.release(a);
        }
        assertEquals(Admission.TOO_FAST, t.admit(a));
        now.addAndGet(Duration.ofSeconds(20).toNanos()); // a third of a minute: one connection's worth
        assertEquals(Admission.COUNTED, t.admit(a));
        assertEquals(Admission.TOO_FAST, t.admit(a));
    }

    @Test
    void exceptionsAndNoLimitsAreNotCounted() throws Exception {
        ClientTable t = table(1, 1, "127.0.0.0/8,::1/128", 100);
        for (int i = 0; i < 10; i++) {
            assertEquals(Admission.UNCOUNTED, t.admit(ip("127.0.0.1")));
        }
        assertEquals(0, t.size());
        ClientTable none = new ClientTable(ClientLimits.NONE);
        assertEquals(Admission.UNCOUNTED, none.admit(ip("192.0.2.1")));
        assertEquals(Admission.UNCOUNTED, t.admit(null), "an unknown address (a test channel) is let in");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() throws Exception {
        ClientTable t = table(2, 0, "", 100);
        assertEquals(Admission.COUNTED, t.admit(ip("2001:db8:1:2::1")));
        assertEquals(Admission.COUNTED, t.admit(ip("2001:db8:1:2:ffff::9")));
        assertEquals(Admission.TOO_MANY_CONNECTIONS, t.admit(ip("2001:db8:1:2:abcd::1")),
                "a new address in the same /64 is the same client");
        assertEquals(Admission.COUNTED, t.admit(ip("2001:db8:1:3::1")));
    }

    @Test
    void idleClientsAreForgottenAndTheTableIsBounded() throws Exception {
        ClientTable t = table(5, 5, "", 3);
        for (int i = 1; i <= 3; i++) {
            t.admit(ip("192.0.2." + i));
        }
        assertFalse(t.wasFull());
        assertEquals(Admission.UNCOUNTED, t.admit(ip("192.0.2.4")), "a full table lets a new client in uncounted");
        assertTrue(t.wasFull());
        assertFalse(t.wasFull(), "said once");
        t.release(ip("192.0.2.1"));
        t.sweep();
        assertEquals(3, t.size(), "seen just now: kept, its bucket is not full yet");
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        t.sweep();
        assertEquals(2, t.size(), "idle a minute with nothing open: forgotten; the others still have a connection");
        assertEquals(Admission.COUNTED, t.admit(ip("192.0.2.4")));
    }

    @Test
    void limitsOutOfRangeNameTheirOption() {
        for (Runnable bad : List.<Runnable>of(() -> new ClientLimits(-1, 0, List.of(), Duration.ZERO),
                () -> new ClientLimits(0, -1, List.of(), Duration.ZERO),
                () -> new ClientLimits(0, 0, List.of(), Duration.ofSeconds(61)))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    bad::run);
            assertTrue(e.getMessage().matches("(max-connections-per-client|max-connection-rate|greet-pause) .*"),
                    e.getMessage());
        }
    }
}
