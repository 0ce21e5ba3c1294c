package dev.mta.mailauth.dns;

import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.TestDnsServer;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.mta.mailauth.dns.LoopbackDns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Truncated UDP answers asked again over TCP, and the 8 KB limit on TXT answers that only TCP can carry. */
@ExtendWith(LeakGuard.class)
class TcpFallbackTest {
    static TestDnsServer server;
    static LoopbackDns loop;
    static ResolverDnsLookup dns;

    /** {@code n} character-strings of 255 octets each: 256 octets of record data apiece. */
    static String[] strings(int n, char c) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = String.valueOf(c).repeat(255);
        }
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestDnsServer()
                .txt("forced.test", "v=spf1 -all").truncate("forced.test")
                .a("forced-a.test", "192.0.2.9").truncate("forced-a.test")
                // 6 KB: over the 4096-octet EDNS0 payload, so UDP carries only the TC bit; under the 8 KB limit.
                .txt("large.test", strings(24, 'a'))
                // Exactly 8192 octets of record data: 32 strings of 255 in one record.
                .txt("limit.test", strings(32, 'b'))
                // One octet more: a second record of an empty string.
                .txt("over.test", strings(32, 'c')).txt("over.test", "")
                // Over the limit in one record (over 64 strings: 16 KB).
                .txt("huge.test", strings(64, 'd'));
        loop = new LoopbackDns();
        dns = new ResolverDnsLookup(loop.resolver(server, Duration.ofSeconds(2)), Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() {
        loop.close();
        server.close();
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        // Tests share the server: count what this one adds.
        int udp = server.queries("forced.test") - server.tcpQueries("forced.test");
        int tcp = server.tcpQueries("forced.test");
        assertEquals(List.of("v=spf1 -all"), await(dns.txt("forced.test")).records());
        assertEquals(udp + 1, server.queries("forced.test") - server.tcpQueries("forced.test"));
        assertEquals(tcp + 1, server.tcpQueries("forced.test"));
        assertEquals(List.of(java.net.InetAddress.getByName("192.0.2.9")), await(dns.a("forced-a.test")).records());
        assertEquals(1, server.tcpQueries("forced-a.test"));
    }

    @Test
    void aTxtAnswerTooLargeForUdpComesOverTcp() {
        int tcp = server.tcpQueries("large.test");
        DnsResult<String> r = await(dns.txt("large.test"));
        assertEquals(DnsResult.Status.FOUND, r.status());
        assertEquals(24 * 255, r.records().get(0).length());
        assertEquals(tcp + 1, server.tcpQueries("large.test"));
    }

    @Test
    void eightKilobytesOfTxtDataIsTheLimit() {
        assertEquals(32 * 255, await(dns.txt("limit.test")).records().get(0).length());
        assertEquals(DnsResult.Status.TOO_BIG, await(dns.txt("over.test")).status());
        assertEquals(DnsResult.Status.TOO_BIG, await(dns.txt("huge.test")).status());
    }

    @Test
    void withoutTcpATruncatedAnswerIsTempfail() {
        ResolverDnsLookup udpOnly = new ResolverDnsLookup(loop.keep(new DnsNameResolverBuilder(loop.group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(server.address()))
                .queryTimeoutMillis(2000).build()), Duration.ofSeconds(3));
        int before = server.queries("forced.test");
        assertEquals(DnsResult.Status.TEMPFAIL, await(udpOnly.txt("forced.test")).status());
        assertEquals(before + 1, server.queries("forced.test"));
    }

    @Test
    void manyLargeAnswersAtOnceLeakNothing() {
        // Fresh lookups (no cache between them), all over TCP, for LeakGuard to watch.
        List<java.util.concurrent.CompletionStage<DnsResult<String>>> stages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ResolverDnsLookup fresh = new ResolverDnsLookup(loop.resolver(server, Duration.ofSeconds(2)),
                    Duration.ofSeconds(3));
            stages.add(fresh.txt("large.test"));
            stages.add(fresh.txt("huge.test"));
        }
        for (java.util.concurrent.CompletionStage<DnsResult<String>> s : stages) {
            assertNotEquals(DnsResult.Status.TEMPFAIL, await(s).status());
        }
    }
}
