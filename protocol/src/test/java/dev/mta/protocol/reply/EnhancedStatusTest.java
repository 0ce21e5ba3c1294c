package dev.mta.protocol.reply;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnhancedStatusTest {
    @Test
    void leadingFindsTheCodeAReplyLineBeginsWith() {
        assertEquals(EnhancedStatus.of(5, 1, 1), EnhancedStatus.leading("5.1.1 no such user"));
        assertEquals(EnhancedStatus.of(4, 7, 100), EnhancedStatus.leading("4.7.100"));
        assertNull(EnhancedStatus.leading("no such user 5.1.1"));
        assertNull(EnhancedStatus.leading("5.1 short"));
        assertNull(EnhancedStatus.leading("3.1.1 bad class"));
        assertNull(EnhancedStatus.leading("5.1.1000 too long"));
        assertNull(EnhancedStatus.leading("55.1.1 two digit class"));
        assertNull(EnhancedStatus.leading("5.1.1x glued"));
        assertNull(EnhancedStatus.leading(""));
        assertEquals(EnhancedStatus.of(5, 7, 1), EnhancedStatus.of(4, 7, 1).withClass(5));
    }

    @Test
    void mailParametersAreWrittenAsMailFromWouldSendThem() {
        assertEquals("", MailParameters.DEFAULT.toString());
        assertEquals("SIZE=100 BODY=8BITMIME SMTPUTF8", new MailParameters(100, BodyType.EIGHT_BIT_MIME, true).toString());
        assertEquals("BODY=8BITMIME", new MailParameters(-1, BodyType.EIGHT_BIT_MIME, false).toString());
        assertEquals(new MailParameters(1, BodyType.SEVEN_BIT, false), new MailParameters(1, BodyType.SEVEN_BIT, false));
    }
}
