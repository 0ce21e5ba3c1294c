package dev.mta.mailauth.spf;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class IpAddressesTest {
    @Test
    void ipv4IsStrict() {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, IpAddresses.parseIpv4("1.2.3.4"));
        assertNotNull(IpAddresses.parseIpv4("255.255.255.0"));
        assertNotNull(IpAddresses.parseIpv4("0.0.0.0"));
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4:8080", "1..3.4",
                                        "1.2.3.4\n", " 1.2.3.4", "1.2.3.\uFF14"}) {
            assertNull(IpAddresses.parseIpv4(bad), bad);
        }
    }

    @Test
    void ipv6Forms() {
        assertNotNull(IpAddresses.parseIpv6("::"));
        assertNotNull(IpAddresses.parseIpv6("::1"));
        assertNotNull(IpAddresses.parseIpv6("CAFE:BABE::1"));
        assertNotNull(IpAddresses.parseIpv6("1:2:3:4:5:6:7:8"));
        assertNotNull(IpAddresses.parseIpv6("::ffff:1.2.3.4"));
        assertNotNull(IpAddresses.parseIpv6("CAFE:BABE::192.168.218.40"));
        assertEquals(0x01, IpAddresses.parseIpv6("::1.1.1.1")[15]);
        for (String bad : new String[] {"", ":CAFE::BABE", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                                        "12345::", "g::", "1.2.3.4::", "::1.2.3", "1:2:3:4:5:6:7::8"}) {
            assertNull(IpAddresses.parseIpv6(bad), bad);
        }
    }

    @Test
    void mappedClientIsIpv4() {
        assertInstanceOf(Inet4Address.class, IpAddresses.client(IpAddresses.parse("::FFFF:1.2.3.4")));
        assertEquals("1.2.3.4", IpAddresses.text(IpAddresses.parse("::ffff:1.2.3.4")));
    }

    @Test
    void textForms() {
        assertEquals("cafe:babe::1", IpAddresses.text(IpAddresses.parse("CAFE:BABE:0:0:0:0:0:1")));
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.E.B.A.B.E.F.A.C",
                MacroExpander.expand(MacroParser.macroString("%{ir}").orElseThrow(), new MacroValues("s", "l", "o",
                        "d", IpAddresses.parse("cafe:babe::1"), "h", "r", 0, null)));
    }

    @Test
    void networks() {
        Network n = new Network(IpAddresses.parseIpv4("192.0.2.0"), 23);
        assertEquals(true, n.contains(IpAddresses.parseIpv4("192.0.3.255")));
        assertEquals(false, n.contains(IpAddresses.parseIpv4("192.0.4.0")));
        assertEquals(false, n.contains(IpAddresses.parseIpv6("::c000:200")));
        assertEquals(true, new Network(IpAddresses.parseIpv6("cafe:babe:8000::"), 33)
                .contains(IpAddresses.parseIpv6("cafe:babe:ffff::1")));
        assertEquals(true, new Network(IpAddresses.parseIpv4("1.1.1.1"), 0).contains(new byte[] {9, 9, 9, 9}));
    }
}
