package dev.mta.mailauth.dns;

import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static dev.mta.mailauth.dns.LoopbackDns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each record type and each status, asked of a DNS server on loopback through the production resolver. */
@ExtendWith(LeakGuard.class)
class ResolverDnsLookupTest {
    static TestDnsServer server;
    static LoopbackDns loop;
    static ResolverDnsLookup dns;

    @BeforeAll
    static void start() throws Exception {
        server = new TestDnsServer()
                .txt("example.test", "v=spf1 ", "ip4:192.0.2.0/24 ", "-all")
                .txt("multi.test", "first").txt("multi.test", "second")
                .txt("latin.test", "caf\u00e9")
                .txt("empty.test", "")
                .a("example.test", "192.0.2.1").a("example.test", "192.0.2.2")
                .aaaa("example.test", "2001:db8::1").aaaa("mapped.test", "::ffff:192.0.2.7")
                .mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                .nullMx("nullmx.test")
                .ptr("1.2.0.192.in-addr.arpa", "host.example.test")
                .ptr("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "v6.example.test")
                .cname("alias.test", "chain.test").cname("chain.test", "example.test")
                .cname("dangling.test", "nowhere.test").cname("txtalias.test", "multi.test")
                .servfail("broken.test").refused("refused.test").silent("silent.test");
        loop = new LoopbackDns();
        dns = new ResolverDnsLookup(loop.resolver(server, Duration.ofSeconds(2)), Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        loop.close();
        server.close();
    }

    @Test
    void txtJoinsEachRecordsStringsWithNothingBetween() {
        assertEquals(List.of("v=spf1 ip4:192.0.2.0/24 -all"), await(dns.txt("example.test")).records());
        assertEquals(List.of("first", "second"), await(dns.txt("multi.test")).records());
        assertEquals(List.of(""), await(dns.txt("empty.test")).records());
    }

    @Test
    void txtOctetsAreReadOneCharEach() {
        // The server sends "é" as UTF-8's two octets: ISO-8859-1 shows both, nothing lost or replaced.
        String s = await(dns.txt("latin.test")).records().get(0);
        assertEquals("caf\u00c3\u00a9", s);
        assertEquals("caf\u00e9", new String(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void addresses() throws Exception {
        assertEquals(List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2")),
                await(dns.a("example.test")).records());
        assertEquals(List.of(InetAddress.getByName("2001:db8::1")), await(dns.aaaa("example.test")).records());
        // An IPv4-mapped AAAA stays an IPv6 address.
        InetAddress mapped = await(dns.aaaa("mapped.test")).records().get(0);
        assertInstanceOf(Inet6Address.class, mapped);
        assertEquals("0:0:0:0:0:ffff:c000:207", mapped.getHostAddress());
    }

    @Test
    void mxPreferenceAndExchangeAndNullMx() {
        assertEquals(List.of(new MxHost(10, "mx1.example.test"), new MxHost(20, "mx2.example.test")),
                await(dns.mx("example.test")).records());
        assertEquals(List.of(new MxHost(0, "")), await(dns.mx("nullmx.test")).records());
    }

    @Test
    void ptrOfIpv4AndIpv6() throws Exception {
        assertEquals(List.of("host.example.test"), await(dns.ptr(InetAddress.getByName("192.0.2.1"))).records());
        assertEquals(List.of("v6.example.test"), await(dns.ptr(InetAddress.getByName("2001:db8::1"))).records());
    }

    @Test
    void cnamesAreFollowedAndOnlyTheAskedTypeReturned() throws Exception {
        assertEquals(List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2")),
                await(dns.a("alias.test")).records());
        assertEquals(List.of("v=spf1 ip4:192.0.2.0/24 -all"), await(dns.txt("ALIAS.test")).records());
        // The chain ends at a name that does not exist: the code speaks of the last name (RFC 6604).
        assertEquals(DnsResult.Status.NXDOMAIN, await(dns.a("dangling.test")).status());
    }

    @Test
    void nxdomainAndNodata() {
        assertEquals(DnsResult.Status.NXDOMAIN, await(dns.txt("nothing.test")).status());
        assertEquals(DnsResult.Status.NODATA, await(dns.txt("nullmx.test")).status());
        assertEquals(DnsResult.Status.NODATA, await(dns.aaaa("multi.test")).status());
        // A CNAME to a name without records of the type: the chain is followed, then nothing.
        assertEquals(DnsResult.Status.NODATA, await(dns.a("txtalias.test")).status());
    }

    @Test
    void servfailRefusedAndSilenceAreTempfail() {
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.txt("broken.test")).status());
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.mx("refused.test")).status());
        long start = System.nanoTime();
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.a("silent.test")).status());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 400 && tookMillis < 1900, "ended by the lookup's 500 ms, not the resolver's 2 s: "
                + tookMillis + " ms");
    }

    @Test
    void aNameNoQueryCanCarryIsTempfail() {
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.txt("a".repeat(64) + ".test")).status());
    }

    @Test
    void aClosedResolverIsTempfail() {
        io.netty.resolver.dns.DnsNameResolver resolver = loop.resolver(server, Duration.ofSeconds(1));
        ResolverDnsLookup closed = new ResolverDnsLookup(resolver, Duration.ofSeconds(1));
        resolver.close();
        assertEquals(DnsResult.Status.TEMPFAIL, await(closed.txt("example.test")).status());
    }
}
