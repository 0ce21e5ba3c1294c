package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.relay.loop.LoopDetectedException;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakGuard.class)
class MailTransactionTest {
    static EventLoopGroup group;
    static ExecutorService reader;
    @TempDir
    Path dir;
    ScriptedSmtpServer peer;
    SmtpConnector connector;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        reader = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        reader.shutdown();
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new ScriptedSmtpServer();
        connector = new SmtpConnector(group, NioSocketChannel.class, "mta.test", ClientTimeouts.all(Duration.ofSeconds(2)),
                SmtpConnector.opportunisticTls());
    }

    @AfterEach
    void tearDown() {
        peer.close();
    }

    private static Delivery job(String params, byte[] body, String... rcpts) {
        return TestDeliveries.of("sender@example.com", params, body, rcpts);
    }

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Outcome> deliver(Delivery job) throws Exception {
        SmtpClientConnection c = connector.connect(peer.address(), "next-hop.test").get();
        try {
            return MailTransaction.run(c, job, reader).get();
        } finally {
            c.quit();
        }
    }

    private static List<Outcome.Kind> kinds(List<Outcome> os) {
        return os.stream().map(Outcome::kind).collect(Collectors.toList());
    }

    @Test
    void pipelinedDeliveryOfEveryRecipientWithTheBodyIntact() throws Exception {
        byte[] b = body("Subject: relay\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n");
        List<Outcome> out = deliver(job("", b, "a@d.test", "b@d.test", "c@d.test"));
        assertEquals(List.of(Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED), kinds(out));
        assertTrue(out.get(0).detail().contains("250 2.0.0 accepted"), out.get(0).detail());
        assertEquals(1, peer.received.size());
        ScriptedSmtpServer.Received r = peer.received.get(0);
        assertEquals("sender@example.com", r.mailFrom());
        assertEquals(List.of("a@d.test", "b@d.test", "c@d.test"), r.rcptTo());
        assertArrayEquals(b, r.body());
    }

    @Test
    void withoutPipeliningCommandsGoOneByOne() throws Exception {
        peer.extensions = List.of("8BITMIME");
        List<Outcome> out = deliver(job("", body("x\r\n"), "a@d.test", "b@d.test"));
        assertEquals(List.of(Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED), kinds(out));
        assertEquals(List.of("EHLO", "MAIL <sender@example.com>", "RCPT <a@d.test>", "RCPT <b@d.test>", "DATA"),
                List.copyOf(peer.commands).subList(0, 5));
    }

    @Test
    void eachRecipientKeepsItsOwnReply() throws Exception {
        peer.rcptReply = r -> r.startsWith("b") ? "450 4.2.1 busy" : r.startsWith("c") ? "550 5.1.1 no such user" : "250 ok";
        List<Outcome> out = deliver(job("", body("x\r\n"), "a@d.test", "b@d.test", "c@d.test"));
        assertEquals(List.of(Outcome.Kind.DELIVERED, Outcome.Kind.DEFERRED, Outcome.Kind.FAILED), kinds(out));
        assertTrue(out.get(2).detail().contains("550 5.1.1 no such user"), out.get(2).detail());
        assertEquals(List.of("a@d.test"), peer.received.get(0).rcptTo());
    }

    @Test
    void envelopeRefusalsApplyToAll() throws Exception {
        peer.mailReply = "451 4.3.0 try later";
        assertEquals(List.of(Outcome.Kind.DEFERRED, Outcome.Kind.DEFERRED), kinds(deliver(job("", body("x\r\n"), "a@d.test", "b@d.test"))));
        peer.mailReply = "550 5.7.1 sender refused";
        assertEquals(List.of(Outcome.Kind.FAILED), kinds(deliver(job("", body("x\r\n"), "z@d.test"))));
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void noAcceptedRecipientMeansNoMessage() throws Exception {
        peer.rcptReply = r -> "550 5.1.1 unknown";
        assertEquals(List.of(Outcome.Kind.FAILED, Outcome.Kind.FAILED), kinds(deliver(job("", body("x\r\n"), "a@d.test", "b@d.test"))));
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void finalReplyDecidesTheAcceptedRecipients() throws Exception {
        peer.finalReply = "452 4.3.1 out of space";
        assertEquals(List.of(Outcome.Kind.DEFERRED), kinds(deliver(job("", body("x\r\n"), "a@d.test"))));
        peer.finalReply = "554 5.6.0 content refused";
        assertEquals(List.of(Outcome.Kind.FAILED), kinds(deliver(job("", body("x\r\n"), "a@d.test"))));
    }

    @Test
    void heloFallbackForPeersWithoutEsmtp() throws Exception {
        peer.ehlo = false;
        assertEquals(List.of(Outcome.Kind.DELIVERED), kinds(deliver(job("", body("x\r\n"), "a@d.test"))));
        assertTrue(peer.commands.contains("HELO"));
    }

    @Test
    void sizeAndEncodingChecksAgainstThePeer() throws Exception {
        peer.extensions = List.of("SIZE 100");
        List<Outcome> big = deliver(job("", body("x".repeat(500) + "\r\n"), "a@d.test"));
        assertEquals(Outcome.Kind.FAILED, big.get(0).kind());
        assertTrue(big.get(0).detail().startsWith("5.3.4"), big.get(0).detail());
        List<Outcome> eight = deliver(job("BODY=8BITMIME", body("caf\u00e9\r\n"), "a@d.test"));
        assertTrue(eight.get(0).detail().startsWith("5.6.3"), eight.get(0).detail());
        List<Outcome> utf8 = deliver(job("SMTPUTF8", body("x\r\n"), "用户@d.test"));
        assertTrue(utf8.get(0).detail().startsWith("5.6.7"), utf8.get(0).detail());
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void utf8AddressesGoOutAsUtf8() throws Exception {
        List<Outcome> out = deliver(job("SMTPUTF8 BODY=8BITMIME", body("Subject: ü\r\n\r\n日本\r\n"), "用户@d.test"));
        assertEquals(Outcome.Kind.DELIVERED, out.get(0).kind(), out.get(0).detail());
        assertEquals(List.of("用户@d.test"), peer.received.get(0).rcptTo());
    }

    @Test
    void stalledPeerIsDeferredAfterTheTimeout() throws Exception {
        peer.stallAt = ScriptedSmtpServer.Stage.END_OF_DATA;
        List<Outcome> out = deliver(job("", body("x\r\n"), "a@d.test"));
        assertEquals(Outcome.Kind.DEFERRED, out.get(0).kind());
        assertTrue(out.get(0).detail().contains("no reply"), out.get(0).detail());
    }

    @Test
    void droppedConnectionIsDeferred() throws Exception {
        peer.dropAt = ScriptedSmtpServer.Stage.RCPT;
        assertEquals(List.of(Outcome.Kind.DEFERRED), kinds(deliver(job("", body("x\r\n"), "a@d.test"))));
    }

    @Test
    void aPeerGreetingWithOurNameIsALoop() {
        peer.greetingName = "mta.test";
        CompletionException e = assertThrows(CompletionException.class, () -> connector.connect(peer.address(), "x").join());
        assertInstanceOf(LoopDetectedException.class, e.getCause());
    }

    @Test
    void refusedConnection() throws Exception {
        InetSocketAddress closed = peer.address();
        peer.close();
        CompletionException e = assertThrows(CompletionException.class, () -> connector.connect(closed, "x").join());
        assertInstanceOf(ConnectException.class, e.getCause());
    }

    @Test
    void largeBodyStreamsByteExact() throws Exception {
        StringBuilder sb = new StringBuilder("Subject: large\r\n\r\n");
        for (int i = 0; sb.length() < 2_000_000; i++) {
            sb.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a long message\r\n");
        }
        byte[] b = body(sb.toString());
        assertEquals(List.of(Outcome.Kind.DELIVERED), kinds(deliver(job("", b, "a@d.test"))));
        assertArrayEquals(b, peer.received.get(0).body());
    }

    @Test
    void startTlsWhenThePeerOffersIt() throws Exception {
        peer.tls = dev.mta.testkit.TestCertificates.serverContext(dir);
        SmtpClientConnection c = connector.connect(peer.address(), "next-hop.test").get();
        try {
            assertTrue(c.capabilities().tls(), "the connection is encrypted");
            List<Outcome> out = MailTransaction.run(c, job("", body("secret\r\n"), "a@d.test"), reader).get();
            assertEquals(List.of(Outcome.Kind.DELIVERED), kinds(out));
        } finally {
            c.quit();
        }
        assertTrue(peer.received.get(0).overTls());
        assertTrue(peer.commands.containsAll(List.of("STARTTLS")));
        assertEquals(2, peer.commands.stream().filter("EHLO"::equals).count(), "EHLO again after STARTTLS");
    }

    @Test
    void brokenHandshakeIsReportedSoTheHopCanBeRetriedInPlainText() throws Exception {
        peer.brokenTls = true;
        CompletionException e = assertThrows(CompletionException.class, () -> connector.connect(peer.address(), "x").join());
        assertInstanceOf(TlsHandshakeException.class, e.getCause());
        SmtpClientConnection plain = connector.connect(peer.address(), "x", false).get();
        try {
            assertTrue(!plain.capabilities().tls());
            assertEquals(List.of(Outcome.Kind.DELIVERED), kinds(MailTransaction.run(plain, job("", body("x\r\n"), "a@d.test"), reader).get()));
        } finally {
            plain.quit();
        }
    }
}
