package dev.mta.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CIDR networks: IPv4, IPv6, IPv4-mapped, and the values refused. */
class CidrTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS
    }

    /** An IPv4-mapped IPv6 address kept as an Inet6Address, as a dual-stack socket may report a client. */
    private static InetAddress mapped(int a, int b, int c, int d) throws Exception {
        return java.net.Inet6Address.getByAddress(null,
                new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d}, null);
    }

    @Test
    void ipv4() throws Exception {
        Cidr net = Cidr.parse("192.0.2.0/24");
        assertTrue(net.contains(ip("192.0.2.0")));
        assertTrue(net.contains(ip("192.0.2.255")));
        assertFalse(net.contains(ip("192.0.3.0")));
        assertFalse(net.contains(ip("192.0.1.255")));
        Cidr odd = Cidr.parse("10.64.0.0/10");
        assertTrue(odd.contains(ip("10.127.255.255")));
        assertFalse(odd.contains(ip("10.128.0.0")));
        assertFalse(odd.contains(ip("10.63.255.255")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1")), "an IPv4 network holds no IPv6 address");
        Cidr one = Cidr.parse("203.0.113.7");
        assertTrue(one.contains(ip("203.0.113.7")));
        assertFalse(one.contains(ip("203.0.113.6")));
        assertEquals("203.0.113.7/32", one.toString());
        assertFalse(net.contains(null), "an unknown client is in no network");
    }

    @Test
    void ipv6() throws Exception {
        Cidr net = Cidr.parse("2001:db8::/32");
        assertTrue(net.contains(ip("2001:db8:ffff::1")));
        assertFalse(net.contains(ip("2001:db9::1")));
        assertFalse(net.contains(ip("192.0.2.1")));
        Cidr loop = Cidr.parse("::1/128");
        assertTrue(loop.contains(ip("::1")));
        assertFalse(loop.contains(ip("::2")));
        assertEquals("::1/128", loop.toString());
        assertEquals(Cidr.parse("::1/128"), Cidr.parse("[::1]/128"), "Postfix's bracketed form");
        assertTrue(Cidr.parse("2001:db8:8000::/33").contains(ip("2001:db8:8000::5")));
        assertFalse(Cidr.parse("2001:db8:8000::/33").contains(ip("2001:db8:7fff::5")));
        assertEquals("2001:db8::/32", net.toString());
    }

    @Test
    void ipv4MappedAddressesAreJudgedAsIpv4() throws Exception {
        Cidr net = Cidr.parse("192.0.2.0/24");
        assertTrue(net.contains(mapped(192, 0, 2, 44)), "a v4-mapped client in an IPv4 network");
        assertFalse(net.contains(mapped(198, 51, 100, 1)));
        assertTrue(Cidr.parse("127.0.0.0/8").contains(mapped(127, 0, 0, 1)));
        // A network written v4-mapped is the IPv4 network it maps.
        Cidr written = Cidr.parse("::ffff:192.0.2.0/120");
        assertEquals(net, written);
        assertTrue(written.contains(ip("192.0.2.9")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:192.0.2.0/95"));
    }

    @Test
    void badValuesAreRefused() {
        for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0/8",
                "256.0.0.0/8", "example.com/24", "", "fe80::1%eth0/128", "10.1.2.3/8", "2001:db8::1/32")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertTrue(e.getMessage().contains("10.0.0.0/33") && e.getMessage().contains("33"), e.getMessage());
    }

    @Test
    void theDefaultIsLoopbackOnly() throws Exception {
        RelayControl rc = RelayControl.DEFAULT;
        assertTrue(rc.inMynetworks(ip("127.0.0.1")));
        assertTrue(rc.inMynetworks(ip("127.1.2.3")));
        assertTrue(rc.inMynetworks(ip("::1")));
        assertTrue(rc.inMynetworks(mapped(127, 0, 0, 1)));
        assertFalse(rc.inMynetworks(ip("192.0.2.1")));
        assertFalse(rc.inMynetworks(ip("::2")));
        assertFalse(rc.inMynetworks(null));
        assertEquals("127.0.0.0/8,::1/128", rc.mynetworksText());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")),
                RelayControl.networks(" 10.0.0.0/8, 2001:db8::/32 "));
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.0.2.0/24")),
                RelayControl.networks("10.0.0.0/8 192.0.2.0/24"));
        assertEquals(List.of(), RelayControl.networks(""), "an empty list: nobody may relay");
    }
}
