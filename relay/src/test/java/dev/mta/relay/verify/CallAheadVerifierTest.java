package dev.mta.relay.verify;

import dev.mta.protocol.command.MailPath;
import dev.mta.relay.RelayAssembly;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probes against a scripted next hop: what is sent, what each answer means, and the kept connection. */
@ExtendWith(LeakGuard.class)
class CallAheadVerifierTest {
    static EventLoopGroup group;
    ScriptedSmtpServer peer;
    CallAheadVerifier verifier;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new ScriptedSmtpServer();
        peer.rcptReply = r -> r.startsWith("nobody") ? "550 5.1.1 no such user" : r.startsWith("busy")
                ? "452 4.2.2 mailbox full" : "250 2.1.5 ok";
    }

    @AfterEach
    void tearDown() {
        if (verifier != null) {
            verifier.close();
        }
        peer.close();
    }

    private CallAheadVerifier start(InetSocketAddress listening) {
        RelaySettings relay = RelaySettings.smarthost(peer.address()).withTimeouts(ClientTimeouts.all(Duration.ofSeconds(2)));
        verifier = CallAheadVerifier.start(new VerifySettings("probe@mta.test", Duration.ofHours(1), Duration.ofHours(1), 100),
                relay, "mta.test", new RelayAssembly.Network(group, NioSocketChannel.class, NioDatagramChannel.class, listening));
        return verifier;
    }

    private CallAheadVerifier start() {
        return start(new InetSocketAddress("127.0.0.1", 1));
    }

    private static MailPath path(String local) {
        return new MailPath(local, "dest.test", false);
    }

    @Test
    void probesAreMailRcptRsetOverOneKeptConnection() throws Exception {
        start();
        Verification bad = verifier.verify(path("nobody")).get(5, TimeUnit.SECONDS);
        assertEquals(new Verification(Verification.Kind.REJECTED, 550, "5.1.1 no such user"), bad);
        Verification good = verifier.verify(path("alice")).get(5, TimeUnit.SECONDS);
        assertEquals(Verification.Kind.ACCEPTED, good.kind());
        Verification busy = verifier.verify(path("busy")).get(5, TimeUnit.SECONDS);
        assertEquals(new Verification(Verification.Kind.TEMPORARY, 452, "4.2.2 mailbox full"), busy);
        assertEquals(1, peer.connections.get());
        // The answer comes with the RCPT reply; the RSET after it reaches the peer a moment later.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (peer.commands.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("EHLO", "MAIL <probe@mta.test>", "RCPT <nobody@dest.test>", "RSET",
                "MAIL <probe@mta.test>", "RCPT <alice@dest.test>", "RSET",
                "MAIL <probe@mta.test>", "RCPT <busy@dest.test>", "RSET"), peer.commands.subList(0, 10));
        assertTrue(peer.received.isEmpty(), "a probe sends no message");
    }

    @Test
    void lookupsUnderWayShareOneProbeAndAnswersAreCached() throws Exception {
        start();
        CompletableFuture<Verification> a = verifier.verify(path("nobody"));
        CompletableFuture<Verification> b = verifier.verify(new MailPath("NOBODY", "Dest.Test", false));
        // The same lookup under way, or (on a loaded machine the probe may already be answered) the cached answer.
        assertTrue(a == b || a.isDone(), "a second lookup started a probe of its own");
        assertEquals(Verification.Kind.REJECTED, b.get(5, TimeUnit.SECONDS).kind());
        assertTrue(verifier.verify(path("nobody")).isDone(), "from the cache");
        assertEquals(1, peer.commands.stream().filter(c -> c.startsWith("RCPT")).count());
    }

    @Test
    void aRefusedProbeSenderTellsNothing() throws Exception {
        peer.mailReply = "553 5.7.1 we do not take probes";
        start();
        Verification v = verifier.verify(path("alice")).get(5, TimeUnit.SECONDS);
        assertEquals(Verification.Kind.TEMPORARY, v.kind());
        assertTrue(v.text().contains("refused the probe's sender: 5.7.1 we do not take probes"), v.text());
    }

    @Test
    void aNextHopThatDoesNotAnswerIsTemporary() throws Exception {
        peer.stallAt = ScriptedSmtpServer.Stage.RCPT;
        start();
        Verification v = verifier.verify(path("alice")).get(10, TimeUnit.SECONDS);
        assertEquals(Verification.Kind.TEMPORARY, v.kind());
        peer.stallAt = ScriptedSmtpServer.Stage.NONE;
        assertEquals(Verification.Kind.ACCEPTED, verifier.verify(path("alice")).get(10, TimeUnit.SECONDS).kind(),
                "asked again, over a new connection");
        assertEquals(2, peer.connections.get());
    }

    @Test
    void aNextHopThatIsThisServerIsNeverProbed() throws Exception {
        start(peer.address());
        Verification v = verifier.verify(path("alice")).get(5, TimeUnit.SECONDS);
        assertEquals(Verification.Kind.TEMPORARY, v.kind());
        assertTrue(v.text().contains("is this server"), v.text());
        assertEquals(0, peer.connections.get());
    }
}
