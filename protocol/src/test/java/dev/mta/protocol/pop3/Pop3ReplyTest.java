package dev.mta.protocol.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Pop3ReplyTest {
    private static String wire(Pop3Reply r) {
        ByteBuf b = Unpooled.buffer();
        try {
            r.writeTo(b);
            assertEquals(r.wireLength(), b.readableBytes(), "wireLength");
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void statusLines() {
        assertEquals("+OK 2 200\r\n", wire(Pop3Reply.ok("2 200")));
        assertEquals("-ERR no such message\r\n", wire(Pop3Reply.err("no such message")));
        assertEquals("-ERR [IN-USE] maildrop locked\r\n", wire(Pop3Reply.err(ResponseCode.IN_USE, "maildrop locked")));
        assertEquals("-ERR [SYS/TEMP] try later\r\n", wire(Pop3Reply.err(ResponseCode.SYS_TEMP, "try later")));
        assertEquals("+OK\r\n", wire(Pop3Reply.ok("")));
    }

    @Test
    void saslContinuations() {
        assertEquals("+ \r\n", wire(Pop3Reply.continuation("")));
        assertEquals("+ VXNlcm5hbWU6\r\n", wire(Pop3Reply.continuation("VXNlcm5hbWU6")));
    }

    @Test
    void multiLineRepliesAreStuffedAndTerminated() {
        Pop3Reply r = Pop3Reply.multiLine("2 messages", List.of("1 120", ".hidden", "2 30"));
        assertEquals("+OK 2 messages\r\n1 120\r\n..hidden\r\n2 30\r\n.\r\n", wire(r));
        assertEquals("+OK none\r\n.\r\n", wire(Pop3Reply.multiLine("none", List.of())));
    }

    @Test
    void noLineBreaksInText() {
        assertThrows(IllegalArgumentException.class, () -> Pop3Reply.ok("a\r\n+OK injected"));
        assertThrows(IllegalArgumentException.class, () -> Pop3Reply.multiLine("x", List.of("a\nb")));
    }

    @Test
    void capabilitiesDependOnTheConnection() {
        Capabilities open = new Capabilities(true, true, "mta");
        assertEquals(List.of("TOP", "USER", "SASL PLAIN", "STLS", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                "IMPLEMENTATION mta"), open.lines(Pop3State.AUTHORIZATION));
        assertEquals(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "IMPLEMENTATION mta"),
                open.lines(Pop3State.TRANSACTION));
        assertEquals(List.of("TOP", "STLS", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"),
                new Capabilities(false, true, null).lines(Pop3State.AUTHORIZATION));
    }
}
