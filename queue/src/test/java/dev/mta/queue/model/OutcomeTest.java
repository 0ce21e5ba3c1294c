package dev.mta.queue.model;

import dev.mta.protocol.reply.EnhancedStatus;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeTest {
    private static final RemoteMta MX = new RemoteMta("mx.example",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 2525));

    @Test
    void aReplyDecidesKindStatusAndKeepsItsWords() {
        Outcome o = Outcome.reply(550, List.of("5.1.1 no such user", "see you"), MX);
        assertEquals(Outcome.Kind.FAILED, o.kind());
        assertEquals(EnhancedStatus.of(5, 1, 1), o.status());
        assertEquals(550, o.replyCode());
        assertEquals("550 5.1.1 no such user see you", o.text());
        assertEquals("mx.example[127.0.0.1]:2525 said: 550 5.1.1 no such user see you", o.detail());
        assertEquals(Outcome.Kind.DEFERRED, Outcome.reply(421, List.of("busy"), MX).kind());
        assertEquals(EnhancedStatus.of(4, 0, 0), Outcome.reply(421, List.of("busy"), MX).status());
        assertEquals(Outcome.Kind.DELIVERED, Outcome.reply(250, List.of("2.0.0 ok"), MX).kind());
    }

    @Test
    void aLocalOutcomeSaysItsStatusFirstAndIsNoReply() {
        Outcome o = Outcome.deferred(EnhancedStatus.of(4, 4, 1), "connect to x: refused");
        assertFalse(o.isReply());
        assertEquals("4.4.1 connect to x: refused", o.detail());
        assertTrue(o.as(Outcome.Kind.FAILED).status().equals(EnhancedStatus.of(4, 4, 1)));
    }

    @Test
    void aHostileReplyIsMadeSafeForTheLogAndTheDsn() {
        Outcome o = Outcome.reply(550, List.of("5.1.1 foo\u0000\u001b[31mred caf\u00e9\r\nX-Injected: yes"), MX);
        assertEquals("550 5.1.1 foo  [31mred caf?  X-Injected: yes", o.text());
        Outcome longOne = Outcome.reply(550, List.of("5.1.1 " + "x".repeat(1500)), MX);
        assertEquals(Outcome.MAX_TEXT + 3, longOne.text().length());
        assertTrue(longOne.text().endsWith("..."));
        assertEquals(EnhancedStatus.of(5, 1, 1), longOne.status());
    }
}
