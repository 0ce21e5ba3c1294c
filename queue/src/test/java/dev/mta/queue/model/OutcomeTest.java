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
}
