package dev.mta.mailauth.dns;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PTR query names for IPv4 and IPv6 addresses. */
class ReverseNamesTest {
    @Test
    void ipv4OctetsReversed() throws Exception {
        assertEquals("4.3.2.1.in-addr.arpa", ReverseNames.of(InetAddress.getByName("1.2.3.4")));
        assertEquals("255.0.168.192.in-addr.arpa", ReverseNames.of(InetAddress.getByName("192.168.0.255")));
    }

    @Test
    void ipv6NibblesReversed() throws Exception {
        // RFC 3596 2.5's example.
        assertEquals("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
                ReverseNames.of(InetAddress.getByName("4321:0:1:2:3:4:567:89ab")));
    }
}
