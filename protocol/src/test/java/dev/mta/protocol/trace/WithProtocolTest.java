package dev.mta.protocol.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 3848's and RFC 6531's "with" keywords. */
class WithProtocolTest {
    @Test
    void keywords() {
        assertEquals("SMTP", WithProtocol.keyword(false, false, false, false));
        assertEquals("ESMTP", WithProtocol.keyword(true, false, false, false));
        assertEquals("ESMTPS", WithProtocol.keyword(true, false, true, false));
        assertEquals("ESMTPA", WithProtocol.keyword(true, false, false, true));
        assertEquals("ESMTPSA", WithProtocol.keyword(true, false, true, true));
        assertEquals("UTF8SMTP", WithProtocol.keyword(true, true, false, false));
        assertEquals("UTF8SMTPSA", WithProtocol.keyword(true, true, true, true));
    }
}
