package dev.mta.relay.loop;

import dev.mta.queue.model.Outcome;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three signs of a mail loop, each a 5.4.6 failure. */
class LoopDetectorTest {
    private static final InetSocketAddress OURS = new InetSocketAddress("192.0.2.25", 25);
    private final LoopDetector loops = new LoopDetector("mx.example", 2, OURS::equals);

    private static String received(int n) {
        StringBuilder sb = new StringBuilder("Subject: x\r\n");
        for (int i = 0; i < n; i++) {
            sb.append(i % 2 == 0 ? "Received: " : "RECEIVED: ").append("from a by b\r\n");
        }
        return sb.toString();
    }

    @Test
    void moreReceivedHeadersThanTheLimitIsALoop() {
        assertNull(loops.tooManyHops(received(2)), "at the limit is fine");
        Outcome o = loops.tooManyHops(received(3));
        assertNotNull(o);
        assertEquals(Outcome.Kind.FAILED, o.kind());
        assertEquals("5.4.6 mail loop: 3 Received headers", o.detail());
        assertNull(loops.tooManyHops("X-Received: not a trace header\r\nX-Received: x\r\nX-Received: y\r\n"));
    }

    @Test
    void receivedHeadersAreCountedAtTheStartOfLinesInAnyCase() {
        assertEquals(0, LoopDetector.receivedCount(""));
        assertEquals(1, LoopDetector.receivedCount("Received: a"));
        assertEquals(3, LoopDetector.receivedCount("received: a\r\n\tfolded Received: no\r\nRECEIVED: b\r\n"
                + "Subject: Received: no\r\nReceived: c\r\n"));
    }

    @Test
    void aNextHopAtAnAddressWeListenOnIsALoop() {
        Outcome o = loops.loopsBack("example.org", OURS, "mx.example.org[192.0.2.25]:25");
        assertNotNull(o);
        assertEquals("5.4.6 mail for example.org loops back to myself (mx.example.org[192.0.2.25]:25)", o.detail());
        assertNull(loops.loopsBack("example.org", new InetSocketAddress("192.0.2.26", 25), "other"));
    }

    @Test
    void aNextHopGreetingWithOurNameIsALoop() {
        LoopDetectedException e = LoopDetector.greetsAsUs("MX.Example", "mx.example", "peer[192.0.2.9]:25");
        assertNotNull(e);
        assertEquals("mail for peer[192.0.2.9]:25 loops back to myself (it greets as MX.Example)", e.getMessage());
        assertEquals("5.4.6 " + e.getMessage(), LoopDetector.detected(e).detail());
        assertNull(LoopDetector.greetsAsUs("mx.other", "mx.example", "peer"));
    }

    @Test
    void ourAddressesAreTheListenAddressOrAnyLocalOneOnItsPortForAWildcard() throws Exception {
        Predicate<InetSocketAddress> specific = LoopDetector.listeningOn(new InetSocketAddress("127.0.0.1", 2525));
        assertTrue(specific.test(new InetSocketAddress("127.0.0.1", 2525)));
        assertFalse(specific.test(new InetSocketAddress("127.0.0.2", 2525)), "another address");
        assertFalse(specific.test(new InetSocketAddress("127.0.0.1", 25)), "another port");
        Predicate<InetSocketAddress> wildcard = LoopDetector.listeningOn(new InetSocketAddress(2525));
        assertTrue(wildcard.test(new InetSocketAddress("127.0.0.1", 2525)), "loopback is local");
        assertFalse(wildcard.test(new InetSocketAddress("192.0.2.1", 2525)), "not an address of this machine");
        assertNull(LoopDetector.byNameOnly("mx.example", 50).loopsBack("d", new InetSocketAddress("127.0.0.1", 25), "h"),
                "by name only: no address is ours");
    }
}
