package dev.mta.protocol.trace;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReceivedHeaderTest {
    private static final ZonedDateTime WHEN = ZonedDateTime.of(2026, 11, 23, 10, 5, 9, 0, ZoneOffset.ofHours(1));

    @Test
    void singleRecipient() throws Exception {
        String h = ReceivedHeader.format("client.example", InetAddress.getByName("192.0.2.7"), "mx.example",
                "ESMTP", "ABC123", "bob@example.com", WHEN);
        assertEquals("Received: from client.example ([192.0.2.7])\r\n"
                + "\tby mx.example with ESMTP id ABC123\r\n"
                + "\tfor <bob@example.com>;\r\n"
                + "\tMon, 23 Nov 2026 10:05:09 +0100\r\n", h);
    }

    @Test
    void ipv6AndHostileHelo() throws Exception {
        String h = ReceivedHeader.format("evil;(x)", InetAddress.getByName("::1"), "mx.example",
                "SMTP", "ID", null, WHEN);
        assertEquals("Received: from evil??x? ([IPv6:::1])\r\n"
                + "\tby mx.example with SMTP id ID;\r\n"
                + "\tMon, 23 Nov 2026 10:05:09 +0100\r\n", h);
    }

    @Test
    void theDateOfEachSecondAndZoneIsItsOwn() {
        ZonedDateTime t = ZonedDateTime.of(2026, 11, 29, 17, 0, 5, 0, ZoneOffset.UTC);
        assertEquals("Sun, 29 Nov 2026 17:00:05 +0000", ReceivedHeader.date(t));
        assertEquals("Sun, 29 Nov 2026 17:00:05 +0000", ReceivedHeader.date(t.plusNanos(900_000_000)));
        assertEquals("Sun, 29 Nov 2026 17:00:06 +0000", ReceivedHeader.date(t.plusSeconds(1)));
        assertEquals("Sun, 29 Nov 2026 18:00:06 +0100",
                ReceivedHeader.date(t.plusSeconds(1).withZoneSameInstant(ZoneOffset.ofHours(1))));
        assertEquals("Sun, 29 Nov 2026 17:00:06 +0000", ReceivedHeader.date(t.plusSeconds(1)));
    }
}
