package dev.mta.mailauth.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recognising Authentication-Results fields that claim our authserv-id (RFC 8601 5). */
class ForgedResultsTest {
    private final ForgedResults ours = new ForgedResults("mx.example.net");

    @Test
    void claimsOfOurIdInAnyForm() {
        for (String field : new String[] {
                "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.com",
                "authentication-results:MX.Example.Net; none",
                "Authentication-Results: (forged) mx.example.net (really) 1; dkim=pass header.d=bank.example",
                "Authentication-Results:\r\n\tmx.example.net\r\n\t;\r\n\tdmarc=pass header.from=bank.example",
                "Authentication-Results: \"mx.example.net\"; none",
                "Authentication-Results : mx.example.net; spf=pass (the rest is (broken",
                "AUTHENTICATION-RESULTS: mx.example.net"}) {
            assertTrue(ours.isForged(field), field);
        }
    }

    @Test
    void othersAreLeftAlone() {
        for (String field : new String[] {
                "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a@example.com",
                "Authentication-Results: mx.example.net.evil.example; none",
                "Authentication-Results: sub.mx.example.net; none",
                "Authentication-Results: (mx.example.net) other.example; none",
                "X-Authentication-Results: mx.example.net; none",
                "ARC-Authentication-Results: i=1; mx.example.net; none",
                "Authentication-Results: (unclosed mx.example.net; none",
                "Authentication-Results:",
                "no colon here",
                ""}) {
            assertFalse(ours.isForged(field), field);
        }
        assertFalse(ours.isForged(null));
        assertFalse(ours.isForged(null, "mx.example.net; none"));
        assertFalse(ours.isForged("Authentication-Results", null));
    }
}
