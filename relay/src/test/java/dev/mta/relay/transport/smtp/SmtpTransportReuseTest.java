package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.LoadedContent;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kept connections: reused without RSET after a finished transaction, reset after an unfinished one, and a kept
 * connection that died while idle costs a fresh connection, not a deferral. */
@ExtendWith(LeakGuard.class)
class SmtpTransportReuseTest {
    private EventLoopGroup group;
    private ExecutorService reader;
    private ScriptedSmtpServer peer;
    private SmtpTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        reader = Executors.newCachedThreadPool();
        peer = new ScriptedSmtpServer();
        SmtpConnector connector = new SmtpConnector(group, NioSocketChannel.class, "mta.test",
                ClientTimeouts.all(Duration.ofSeconds(2)), null);
        Router router = new Router(TransportMap.parse("*=127.0.0.1:" + peer.address().getPort()), null, 25);
        transport = new SmtpTransport(router, connector, LoopDetector.byNameOnly("mta.test", 50), reader,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        transport.close();
        peer.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        reader.shutdown();
    }

    private static Delivery job(String rcpt, String body) {
        return TestDeliveries.of("sender@example.com", "", body.getBytes(StandardCharsets.US_ASCII), rcpt);
    }

    private Outcome send(Delivery d) throws Exception {
        return transport.deliver(d).get(10, TimeUnit.SECONDS).get(0);
    }

    @Test
    void aFinishedTransactionIsFollowedByTheNextMailWithoutRset() throws Exception {
        assertEquals(Outcome.Kind.DELIVERED, send(job("a@dest.test", "Subject: 1\r\n\r\none\r\n")).kind());
        assertEquals(Outcome.Kind.DELIVERED, send(job("b@dest.test", "Subject: 2\r\n\r\ntwo\r\n")).kind());
        assertEquals(1, peer.connections.get(), "the connection was kept");
        assertEquals(List.of("EHLO", "MAIL <sender@example.com>", "RCPT <a@dest.test>", "DATA",
                "MAIL <sender@example.com>", "RCPT <b@dest.test>", "DATA"), peer.commands);
    }

    @Test
    void aTransactionLeftOpenIsResetBeforeTheNext() throws Exception {
        peer.rcptReply = r -> r.startsWith("nobody") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        assertEquals(Outcome.Kind.FAILED, send(job("nobody@dest.test", "Subject: 1\r\n\r\none\r\n")).kind());
        assertEquals(Outcome.Kind.DELIVERED, send(job("b@dest.test", "Subject: 2\r\n\r\ntwo\r\n")).kind());
        assertEquals(1, peer.connections.get());
        assertEquals(List.of("EHLO", "MAIL <sender@example.com>", "RCPT <nobody@dest.test>", "DATA",
                "RSET", "MAIL <sender@example.com>", "RCPT <b@dest.test>", "DATA"), peer.commands);
    }

    @Test
    void aKeptConnectionThatDiedBeforeMailWasAnsweredIsReplacedNotDeferred() throws Exception {
        assertEquals(Outcome.Kind.DELIVERED, send(job("a@dest.test", "Subject: 1\r\n\r\none\r\n")).kind());
        peer.dropKeptAtMail = true;
        Outcome second = send(job("b@dest.test", "Subject: 2\r\n\r\ntwo\r\n"));
        assertEquals(Outcome.Kind.DELIVERED, second.kind(), second.text());
        assertEquals(2, peer.connections.get(), "a fresh connection carried it");
        assertEquals(2, peer.received.size());
        assertEquals(List.of("b@dest.test"), peer.received.get(1).rcptTo());
    }

    @Test
    void aKeptConnectionAnsweringMailWith421IsReplacedNotDeferred() throws Exception {
        assertEquals(Outcome.Kind.DELIVERED, send(job("a@dest.test", "Subject: 1\r\n\r\none\r\n")).kind());
        peer.keptMailReply = "421 4.4.2 idle too long, closing";
        Outcome second = send(job("b@dest.test", "Subject: 2\r\n\r\ntwo\r\n"));
        assertEquals(Outcome.Kind.DELIVERED, second.kind(), second.text());
        assertEquals(2, peer.connections.get(), "a fresh connection carried it");
        assertEquals(List.of("b@dest.test"), peer.received.get(1).rcptTo());
    }

    @Test
    void aFreshConnectionThatFailsTooDefersWithoutEndlessRetries() throws Exception {
        assertEquals(Outcome.Kind.DELIVERED, send(job("a@dest.test", "Subject: 1\r\n\r\none\r\n")).kind());
        peer.dropKeptAtMail = true;
        peer.dropAt = ScriptedSmtpServer.Stage.MAIL; // every MAIL now, on new connections too
        Outcome second = send(job("b@dest.test", "Subject: 2\r\n\r\ntwo\r\n"));
        assertEquals(Outcome.Kind.DEFERRED, second.kind(), second.text());
        assertEquals(2, peer.connections.get(), "the kept connection, then one fresh one: no more");
    }

    @Test
    void contentReadAheadLeavesStuffedAndWhole() throws Exception {
        String body = "Subject: dots\r\n\r\n.leading dot\r\n..two\r\nno final line end";
        LoadedContent loaded = (LoadedContent) LoadedContent.load(job("a@dest.test", body).content());
        Delivery d = job("a@dest.test", body).withContent(loaded);
        assertEquals(Outcome.Kind.DELIVERED, send(d).kind());
        // The peer unstuffs what it read: the content arrives as it was queued, with the line end the dot needs.
        assertArrayEquals((body + "\r\n").getBytes(StandardCharsets.US_ASCII), peer.received.get(0).body());
    }
}
