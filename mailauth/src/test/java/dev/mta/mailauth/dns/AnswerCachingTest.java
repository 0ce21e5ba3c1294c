package dev.mta.mailauth.dns;

import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.mta.mailauth.dns.LoopbackDns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache: TTLs and RFC 2308 negative TTLs on a clock the test steps, shared in-flight queries, its bound. */
@ExtendWith(LeakGuard.class)
class AnswerCachingTest {
    private final AtomicLong now = new AtomicLong();
    private final LoopbackDns loop = new LoopbackDns();
    private TestDnsServer server;

    @AfterEach
    void stop() throws Exception {
        loop.close();
        server.close();
    }

    private ResolverDnsLookup lookup(TestDnsServer s, Duration timeout, int maxEntries) {
        server = s;
        return new ResolverDnsLookup(loop.resolver(s, Duration.ofSeconds(2)), timeout, maxEntries, now::get);
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void anAnswerIsReusedForItsTtlThenAskedAgain() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer().txt("example.test", "v=spf1 -all").ttl("example.test", 300),
                Duration.ofSeconds(1), 100);
        assertEquals(List.of("v=spf1 -all"), await(dns.txt("example.test")).records());
        advanceSeconds(299);
        assertEquals(List.of("v=spf1 -all"), await(dns.txt("EXAMPLE.test.")).records());
        assertEquals(1, server.queries("example.test"), "inside the TTL the server is not asked");
        advanceSeconds(1);
        assertEquals(List.of("v=spf1 -all"), await(dns.txt("example.test")).records());
        assertEquals(2, server.queries("example.test"), "past the TTL it is");
        // Another type of the same name is another question.
        await(dns.a("example.test"));
        assertEquals(3, server.queries("example.test"));
    }

    @Test
    void onTheSystemClockToo() throws Exception {
        server = new TestDnsServer().a("short.test", "192.0.2.1").ttl("short.test", 1);
        ResolverDnsLookup dns = new ResolverDnsLookup(loop.resolver(server, Duration.ofSeconds(2)), Duration.ofSeconds(1));
        await(dns.a("short.test"));
        await(dns.a("short.test"));
        assertEquals(1, server.queries("short.test"));
        Thread.sleep(1100);
        await(dns.a("short.test"));
        assertEquals(2, server.queries("short.test"));
    }

    @Test
    void aCnameChainIsCachedForItsShortestTtl() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer().cname("alias.test", "example.test").ttl("alias.test", 10)
                .txt("example.test", "x").ttl("example.test", 600), Duration.ofSeconds(1), 100);
        await(dns.txt("alias.test"));
        advanceSeconds(9);
        await(dns.txt("alias.test"));
        assertEquals(1, server.queries("alias.test"));
        advanceSeconds(1);
        await(dns.txt("alias.test"));
        assertEquals(2, server.queries("alias.test"));
    }

    @Test
    void negativeAnswersLiveForTheSoaMinimumOrTtlWhicheverIsLess() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer().soa(3600, 20).a("known.test", "192.0.2.1"),
                Duration.ofSeconds(1), 100);
        assertEquals(DnsResult.Status.NXDOMAIN, await(dns.txt("unknown.test")).status());
        assertEquals(DnsResult.Status.NODATA, await(dns.txt("known.test")).status());
        advanceSeconds(19);
        await(dns.txt("unknown.test"));
        await(dns.txt("known.test"));
        assertEquals(1, server.queries("unknown.test"));
        assertEquals(1, server.queries("known.test"));
        advanceSeconds(1);
        await(dns.txt("unknown.test"));
        await(dns.txt("known.test"));
        assertEquals(2, server.queries("unknown.test"));
        assertEquals(2, server.queries("known.test"));
    }

    @Test
    void theSoaRecordsOwnTtlCapsTheMinimum() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer().soa(5, 900), Duration.ofSeconds(1), 100);
        await(dns.a("unknown.test"));
        advanceSeconds(4);
        await(dns.a("unknown.test"));
        assertEquals(1, server.queries("unknown.test"));
        advanceSeconds(1);
        await(dns.a("unknown.test"));
        assertEquals(2, server.queries("unknown.test"));
    }

    @Test
    void withoutAnSoaANegativeAnswerLivesThirtySeconds() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer(), Duration.ofSeconds(1), 100);
        await(dns.mx("unknown.test"));
        advanceSeconds(AnswerReader.DEFAULT_NEGATIVE_TTL - 1);
        await(dns.mx("unknown.test"));
        assertEquals(1, server.queries("unknown.test"));
        advanceSeconds(1);
        await(dns.mx("unknown.test"));
        assertEquals(2, server.queries("unknown.test"));
    }

    @Test
    void failuresAndZeroTtlsAreNotKept() throws Exception {
        ResolverDnsLookup dns = lookup(new TestDnsServer().servfail("broken.test").txt("fleeting.test", "x")
                .ttl("fleeting.test", 0), Duration.ofSeconds(1), 100);
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.txt("broken.test")).status());
        assertEquals(DnsResult.Status.TEMPFAIL, await(dns.txt("broken.test")).status());
        assertEquals(2, server.queries("broken.test"));
        await(dns.txt("fleeting.test"));
        await(dns.txt("fleeting.test"));
        assertEquals(2, server.queries("fleeting.test"));
        assertEquals(0, dns.cached());
    }

    @Test
    void identicalQueriesInFlightShareOne() throws Exception {
        // The server never answers: every lookup below is made while the first is still in flight.
        ResolverDnsLookup dns = lookup(new TestDnsServer().silent("slow.test"), Duration.ofMillis(300), 100);
        List<CompletionStage<DnsResult<String>>> stages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stages.add(dns.txt(i % 2 == 0 ? "slow.test" : "SLOW.TEST"));
        }
        for (CompletionStage<DnsResult<String>> s : stages) {
            assertEquals(DnsResult.Status.TEMPFAIL, await(s).status());
        }
        assertEquals(1, server.queries("slow.test"));
        // Each caller has its own future: completing one changes nothing for the others.
        CompletionStage<DnsResult<String>> mine = dns.txt("slow.test");
        CompletionStage<DnsResult<String>> theirs = dns.txt("slow.test");
        mine.toCompletableFuture().complete(DnsResult.nxdomain());
        assertEquals(DnsResult.Status.TEMPFAIL, await(theirs).status());
        assertEquals(2, server.queries("slow.test"));
    }

    @Test
    void theCacheKeepsToItsBound() throws Exception {
        TestDnsServer s = new TestDnsServer();
        for (int i = 0; i < 50; i++) {
            s.a("h" + i + ".test", "192.0.2." + i);
        }
        ResolverDnsLookup dns = lookup(s, Duration.ofSeconds(1), 10);
        for (int i = 0; i < 50; i++) {
            assertEquals(DnsResult.Status.FOUND, await(dns.a("h" + i + ".test")).status());
            assertTrue(dns.cached() <= 10, "cached " + dns.cached());
        }
        // The last answer is still there.
        await(dns.a("h49.test"));
        assertEquals(1, server.queries("h49.test"));
    }
}
