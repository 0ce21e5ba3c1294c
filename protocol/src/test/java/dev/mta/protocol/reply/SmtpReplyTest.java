package dev.mta.protocol.reply;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpReplyTest {

    private static String wire(SmtpReply r) {
        return new String(r.wireBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void singleLineWithEnhancedStatus() {
        assertEquals("250 2.1.0 Sender ok\r\n", wire(Replies.SENDER_OK));
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", wire(Replies.START_DATA));
    }

    @Test
    void multiLineUsesHyphenOnAllButLast() {
        SmtpReply r = SmtpReply.of(250, (EnhancedStatus) null, List.of("mx.example", "PIPELINING", "8BITMIME"));
        assertEquals("250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n", wire(r));
        SmtpReply help = SmtpReply.of(214, "2.0.0", "one", "two");
        assertEquals("214-2.0.0 one\r\n214 2.0.0 two\r\n", wire(help));
    }

    @Test
    void everyRfc5321CodeIsDefined() {
        int[] codes = {211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455,
                500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555};
        assertEquals(codes.length, ReplyCode.values().length);
        for (int code : codes) {
            ReplyCode rc = ReplyCode.of(code);
            assertNotNull(rc, "code " + code);
            SmtpReply r = SmtpReply.of(rc, rc.meaning());
            assertTrue(wire(r).startsWith(code + " "), wire(r));
            if (code != 220 && code != 354) {
                assertEquals(code / 100, rc.defaultStatus().statusClass(), "class of " + code);
                assertTrue(wire(r).startsWith(code + " " + rc.defaultStatus() + " "), wire(r));
            } else {
                assertNull(rc.defaultStatus());
            }
        }
        assertNull(ReplyCode.of(299));
    }

    @Test
    void statusClassMustMatchCode() {
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(550, "4.1.1", "mismatch"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(250, "2.0.0", "no\r\ninjection"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(199, (EnhancedStatus) null, "x"));
        assertThrows(IllegalArgumentException.class, () -> EnhancedStatus.parse("3.0.0"));
        assertThrows(IllegalArgumentException.class, () -> EnhancedStatus.parse("5.0"));
    }

    @Test
    void classifiesReplies() {
        assertTrue(Replies.OK.isPositive());
        assertTrue(Replies.STORAGE_FULL.isTransientFailure());
        assertTrue(Replies.MESSAGE_TOO_BIG.isPermanentFailure());
        assertEquals("5.3.4", Replies.MESSAGE_TOO_BIG.status().toString());
        assertEquals("4.5.3", Replies.TOO_MANY_RECIPIENTS.status().toString());
    }
}
