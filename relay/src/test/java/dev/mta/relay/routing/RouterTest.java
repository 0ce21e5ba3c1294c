package dev.mta.relay.routing;

import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.TestDnsServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.dns.DnsNameResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MX routing against a DNS server the test runs on loopback. */
@ExtendWith(LeakGuard.class)
class RouterTest {
    static TestDnsServer dnsServer;
    static EventLoopGroup group;
    static DnsNameResolver dns;

    @BeforeAll
    static void start() throws Exception {
        dnsServer = new TestDnsServer()
                .mx("example.test", 20, "mx2.example.test").mx("example.test", 10, "mx1.example.test")
                .a("mx1.example.test", "127.0.0.2").a("mx2.example.test", "127.0.0.3")
                .a("implicit.test", "127.0.0.4")
                .nullMx("nullmx.test")
                .mx("dangling.test", 10, "nowhere.dangling.test")
                .servfail("broken.test")
                .a("smarthost.test", "127.0.0.9");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        dns = newResolver(group, dnsServer);
    }

    /** A resolver that asks only the test's DNS server. */
    public static DnsNameResolver newResolver(EventLoopGroup group, TestDnsServer server) {
        return server.resolver(group);
    }

    @AfterAll
    static void stop() {
        dns.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        dnsServer.close();
    }

    private static List<String> route(Router r, String domain) {
        return r.route(domain).join().stream().map(NextHop::toString).collect(Collectors.toList());
    }

    private static RoutingException failure(Router r, String domain) {
        CompletionException e = assertThrows(CompletionException.class, () -> r.route(domain).join());
        return assertInstanceOf(RoutingException.class, e.getCause());
    }

    @Test
    void mxHostsInPreferenceOrder() {
        Router r = new Router(TransportMap.empty(), dns, 2525);
        assertEquals(List.of("mx1.example.test[127.0.0.2]:2525", "mx2.example.test[127.0.0.3]:2525"), route(r, "EXAMPLE.test"));
    }

    @Test
    void noMxMeansTheDomainItself() {
        assertEquals(List.of("implicit.test[127.0.0.4]:25"), route(new Router(TransportMap.empty(), dns, 25), "implicit.test"));
    }

    @Test
    void nullMxIsPermanent() {
        RoutingException e = failure(new Router(TransportMap.empty(), dns, 25), "nullmx.test");
        assertTrue(e.isPermanent());
        assertTrue(e.getMessage().startsWith("5.1.10"), e.getMessage());
    }

    @Test
    void nxdomainIsPermanentAndServfailTemporary() {
        Router r = new Router(TransportMap.empty(), dns, 25);
        RoutingException nx = failure(r, "no-such-domain.test");
        assertTrue(nx.isPermanent());
        assertTrue(nx.getMessage().startsWith("5.1.2"), nx.getMessage());
        RoutingException sf = failure(r, "broken.test");
        assertFalse(sf.isPermanent());
        assertTrue(sf.getMessage().startsWith("4.4.3"), sf.getMessage());
        RoutingException dangling = failure(r, "dangling.test");
        assertFalse(dangling.isPermanent(), "an MX host without address is DNS trouble, not a verdict");
    }

    @Test
    void transportMapWinsOverDns() {
        Router r = new Router(TransportMap.parse("special.test=127.0.0.7:26, *=smarthost.test:587"), dns, 25);
        assertEquals(List.of("127.0.0.7[127.0.0.7]:26"), route(r, "special.test"));
        assertEquals(List.of("smarthost.test[127.0.0.9]:587"), route(r, "example.test"));
    }

    @Test
    void addressLiteralsGoStraightThere() {
        Router r = new Router(TransportMap.empty(), dns, 25);
        assertEquals(List.of("192.0.2.1[192.0.2.1]:25"), route(r, "[192.0.2.1]"));
        assertEquals(1, r.route("[IPv6:::1]").join().size());
        assertTrue(failure(r, "[not-an-ip]").isPermanent());
    }

    @Test
    void aDnsFailureIsToldWithoutTheResolversInsides() {
        assertEquals("timed out", Router.why(new io.netty.resolver.dns.DnsNameResolverTimeoutException(
                new java.net.InetSocketAddress("127.0.0.1", 53), new io.netty.handler.codec.dns.DefaultDnsQuestion(
                        "x.test", io.netty.handler.codec.dns.DnsRecordType.MX), "query '7856' via UDP timed out")));
        assertEquals("no address found", Router.why(new java.net.UnknownHostException("x.test")));
    }
}
