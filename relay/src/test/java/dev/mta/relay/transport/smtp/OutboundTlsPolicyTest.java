package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.TestCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound TLS levels, AUTH to a smarthost, and STARTTLS response injection, against a scripted next hop. */
@ExtendWith(LeakGuard.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboundTlsPolicyTest {
    static EventLoopGroup group;
    static ExecutorService reader;
    static Path certDir;
    static SslContext serverTls;

    ScriptedSmtpServer peer;
    @TempDir
    Path dir;

    @BeforeAll
    static void loops(@TempDir Path certs) throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        reader = Executors.newCachedThreadPool();
        certDir = certs;
        serverTls = TestCertificates.serverContext(certs);
    }

    @AfterAll
    static void stopLoops() {
        reader.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new ScriptedSmtpServer();
    }

    @AfterEach
    void tearDown() {
        peer.close();
    }

    private SmtpConnector connector(javax.net.ssl.TrustManagerFactory trust) {
        return new SmtpConnector(group, NioSocketChannel.class, "mta.test", ClientTimeouts.all(Duration.ofSeconds(5)),
                SmtpConnector.opportunisticTls(), SmtpConnector.verifyingTls(trust));
    }

    private SmtpTransport transport(String policy, Path auth) {
        Router router = new Router(TransportMap.parse("*=127.0.0.1:" + peer.address().getPort()), null, 25);
        return new SmtpTransport(router, connector(null), LoopDetector.byNameOnly("mta.test", 50), reader,
                Duration.ofSeconds(5), new HopHealth(HopHealth.Backoff.DEFAULT), r -> { },
                OutboundSecurity.of(policy, auth));
    }

    private static Delivery job() {
        return TestDeliveries.of("sender@example.com", "", "Subject: x\r\n\r\nsecret body\r\n".getBytes(StandardCharsets.US_ASCII),
                "rcpt@dest.test");
    }

    private Outcome deliver(String policy, Path auth) throws Exception {
        SmtpTransport t = transport(policy, auth);
        try {
            return t.deliver(job()).get(20, TimeUnit.SECONDS).get(0);
        } finally {
            t.close();
        }
    }

    private Path authFile(String line) throws Exception {
        Path f = dir.resolve("relay-auth");
        Files.writeString(f, "# smarthost credentials\n" + line + "\n");
        return f;
    }

    @Test
    void noneNeverSaysStartTls() throws Exception {
        peer.tls = serverTls;
        Outcome o = deliver("*=none", null);
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertFalse(peer.commands.contains("STARTTLS"));
        assertFalse(peer.received.get(0).overTls());
    }

    @Test
    void mayEncryptsWhenOffered() throws Exception {
        peer.tls = serverTls;
        Outcome o = deliver("", null);
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertTrue(peer.received.get(0).overTls());
    }

    @Test
    void mayRetriesTheSameHopInPlainTextWhenTheHandshakeFails() throws Exception {
        peer.brokenTls = true;
        Outcome o = deliver("*=may", null);
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertEquals(2, peer.connections.get());
        assertFalse(peer.received.get(0).overTls());
    }

    @Test
    void encryptDefersWhenStartTlsIsNotOffered() throws Exception {
        Outcome o = deliver("*=encrypt", null);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals("4.7.5", o.status().toString());
        assertTrue(o.text().contains("STARTTLS not offered"), o.text());
        assertTrue(peer.received.isEmpty());
        assertFalse(peer.commands.contains("MAIL"), "nothing of the mail in clear: " + peer.commands);
    }

    @Test
    void encryptDefersWhenTheHandshakeFailsAndNeverRetriesInClear() throws Exception {
        peer.brokenTls = true;
        Outcome o = deliver("[127.0.0.1]:" + peer.address().getPort() + "=encrypt", null);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals("4.7.5", o.status().toString());
        assertEquals(1, peer.connections.get(), "no plain-text retry");
        assertFalse(peer.commands.contains("MAIL"));
    }

    @Test
    void encryptTakesASelfSignedCertificate() throws Exception {
        peer.tls = serverTls;
        Outcome o = deliver("*=encrypt", null);
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertTrue(peer.received.get(0).overTls());
    }

    @Test
    void verifyRefusesACertificateTheTrustStoreDoesNotVouchFor() throws Exception {
        peer.tls = serverTls;
        CompletionException e = assertThrows(CompletionException.class, () -> connector(null)
                .connect(peer.address(), "next-hop.test", new HopSecurity(TlsLevel.VERIFY, null)).join());
        SecurityDeferral d = assertInstanceOf(SecurityDeferral.class, e.getCause());
        assertEquals("4.7.5", d.status().toString());
        Outcome o = deliver("*=verify", null);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void verifyAcceptsATrustedCertificateForItsHostNameOnly() throws Exception {
        peer.tls = serverTls;
        SmtpConnector trusting = connector(TestCertificates.trusting(certDir));
        SmtpClientConnection c = trusting.connect(peer.address(), "next-hop.test", new HopSecurity(TlsLevel.VERIFY, null)).get();
        try {
            assertTrue(c.capabilities().tls());
            assertEquals(Outcome.Kind.DELIVERED, MailTransaction.run(c, job(), reader).get().get(0).kind());
        } finally {
            c.quit();
        }
        // The same certificate for another name (here the address the hop was reached at) is refused.
        CompletionException e = assertThrows(CompletionException.class, () -> trusting
                .connect(peer.address(), "127.0.0.1", new HopSecurity(TlsLevel.VERIFY, null)).join());
        assertInstanceOf(SecurityDeferral.class, e.getCause());
    }

    @Test
    void verifyLendsAKeptConnectionToNoOtherHostName() throws Exception {
        peer.tls = serverTls; // a certificate for next-hop.test only
        int port = peer.address().getPort();
        try (dev.mta.testkit.TestDnsServer names = new dev.mta.testkit.TestDnsServer()
                .a("next-hop.test", "127.0.0.1").a("other-name.test", "127.0.0.1")) {
            io.netty.resolver.dns.DnsNameResolver dns = names.resolver(group);
            // Two routes, two names, one address: the first leaves a kept connection verified for next-hop.test.
            Router router = new Router(TransportMap.parse("a.test=next-hop.test:" + port + ", b.test=other-name.test:"
                    + port), dns, 25);
            SmtpTransport t = new SmtpTransport(router, connector(TestCertificates.trusting(certDir)),
                    LoopDetector.byNameOnly("mta.test", 50), reader, Duration.ofSeconds(5),
                    new HopHealth(HopHealth.Backoff.DEFAULT), r -> { }, OutboundSecurity.of("*=verify", null));
            byte[] body = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            try {
                assertEquals(Outcome.Kind.DELIVERED, t.deliver(TestDeliveries.of("s@example.com", "", body, "r@a.test"))
                        .get(20, TimeUnit.SECONDS).get(0).kind());
                Outcome other = t.deliver(TestDeliveries.of("s@example.com", "", body, "r@b.test"))
                        .get(20, TimeUnit.SECONDS).get(0);
                assertEquals(Outcome.Kind.DEFERRED, other.kind(), other::toString);
                assertEquals(1, peer.received.size());
            } finally {
                t.close();
                dns.close();
            }
        }
    }

    @Test
    void authPlainAfterTls() throws Exception {
        peer.tls = serverTls;
        peer.authMechanisms = "LOGIN PLAIN";
        Outcome o = deliver("*=encrypt", authFile("[127.0.0.1]:" + peer.address().getPort() + " relayuser s3cret pass"));
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertEquals(List.of("tls PLAIN \0relayuser\0s3cret pass"), peer.auths);
        List<String> cmds = peer.commands;
        assertEquals(List.of("EHLO", "STARTTLS", "EHLO", "AUTH"), cmds.subList(0, 4), "AUTH inside TLS, after EHLO again");
        assertTrue(cmds.get(4).startsWith("MAIL"), cmds.toString());
    }

    @Test
    void authRefusedDefersWithALogLineAndNoPassword() throws Exception {
        peer.tls = serverTls;
        peer.authMechanisms = "PLAIN";
        peer.authReply = "535 5.7.8 bad credentials";
        try (LogCapture log = LogCapture.of(SmtpAuth.class)) {
            Outcome o = deliver("*=verify,[127.0.0.1]:" + peer.address().getPort() + "=encrypt", authFile("* relayuser s3cret"));
            assertEquals(Outcome.Kind.DEFERRED, o.kind(), "our configuration: deferred, never failed");
            assertEquals("4.7.8", o.status().toString());
            assertTrue(o.text().contains("535"), o.text());
            assertFalse(o.text().contains("s3cret"));
            assertEquals(1, log.warningsWith("relayuser", "535").size(), log.warnings().toString());
            assertTrue(log.warnings().stream().noneMatch(w -> w.contains("s3cret")));
        }
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void authNotOfferedDefers() throws Exception {
        peer.tls = serverTls;
        Outcome o = deliver("*=encrypt", authFile("* relayuser s3cret"));
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals("4.7.4", o.status().toString());
        assertTrue(peer.received.isEmpty());
        assertTrue(peer.auths.isEmpty());
    }

    @Test
    void credentialsAreNeverSentWithoutTls() throws Exception {
        peer.authMechanisms = "PLAIN"; // offered in clear, and no STARTTLS
        peer.authInClear = true;
        Outcome o = deliver("*=encrypt", authFile("* relayuser s3cret"));
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertTrue(peer.auths.isEmpty(), "nothing sent: " + peer.auths);
        assertFalse(peer.commands.contains("AUTH"));

        peer.brokenTls = true;
        o = deliver("*=encrypt", authFile("* relayuser s3cret"));
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertTrue(peer.auths.isEmpty(), "no plain-text retry with credentials: " + peer.auths);
    }

    /**
     * The client-side twin of CVE-2011-0411: a next hop (or a man in the middle) sends a forged reply right after its
     * 220 to STARTTLS, in the same write. It must never be read as the answer to the first command inside TLS.
     */
    @Test
    void aReplyInjectedAfterTheStartTls220IsThrownAway() throws Exception {
        peer.tls = serverTls;
        peer.extensions = List.of("8BITMIME");
        peer.injectAfterStartTls = "250 forged\r\n";
        SmtpClientConnection c = connector(null).connect(peer.address(), "next-hop.test", new HopSecurity(TlsLevel.ENCRYPT, null)).get();
        try {
            assertTrue(c.capabilities().tls());
            assertTrue(c.capabilities().eightBitMime(), "the real EHLO reply inside TLS: " + c.capabilities());
            assertEquals(2, peer.commands.stream().filter("EHLO"::equals).count(), "EHLO again inside TLS");
            assertEquals(Outcome.Kind.DELIVERED, MailTransaction.run(c, job(), reader).get().get(0).kind());
        } finally {
            c.quit();
        }
        assertTrue(peer.received.get(0).overTls());
    }

    /** Half a multi-line reply injected after the 220 must not be joined to the real EHLO reply inside TLS. */
    @Test
    void anInjectedUnfinishedMultiLineReplyIsThrownAwayToo() throws Exception {
        peer.tls = serverTls;
        peer.extensions = List.of("8BITMIME");
        peer.injectAfterStartTls = "250-forged.example\r\n250-AUTH PLAIN\r\n250-PIPELINING\r\n";
        SmtpClientConnection c = connector(null).connect(peer.address(), "next-hop.test", HopSecurity.MAY).get();
        try {
            assertTrue(c.capabilities().tls());
            assertTrue(c.capabilities().auth().isEmpty(), "no AUTH was offered inside TLS: " + c.capabilities());
            assertFalse(c.capabilities().pipelining(), "no PIPELINING was offered inside TLS: " + c.capabilities());
        } finally {
            c.quit();
        }
    }
}
