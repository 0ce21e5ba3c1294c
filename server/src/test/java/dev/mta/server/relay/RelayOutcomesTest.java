package dev.mta.server.relay;

import dev.mta.queue.model.QueueEntry;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.server.config.HostPort;
import dev.mta.relay.RelaySettings;
import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every outcome of a delivery, through the whole MTA, against a next hop whose answers the test chooses. */
@ExtendWith(LeakGuard.class)
class RelayOutcomesTest {
    @TempDir
    Path dir;
    ScriptedSmtpServer peer;

    @BeforeEach
    void peer() throws Exception {
        peer = new ScriptedSmtpServer();
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    private TestMta mtaRelayingTo(InetSocketAddress target) throws Exception {
        RelaySettings s = RelaySettings.smarthost(target);
        return TestMta.start(dir.resolve("spool"), c -> c.withRelay(new RelaySettings(true, s.transportMap(), null, 25,
                10, 5, Duration.ofSeconds(1), 50)));
    }

    private static String send(TestMta mta, String from, String body, String... rcpts) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<" + from + ">").assertCode(250);
            for (String r : rcpts) {
                c.command("RCPT TO:<" + r + ">").assertCode(250);
            }
            c.command("DATA").assertCode(354);
            c.send(body + ".\r\n");
            return TestMta.queueId(c.read());
        }
    }

    @Test
    void permanentFailureBouncesOneDsnToTheSender() throws Exception {
        peer.rcptReply = r -> r.startsWith("bad") ? "550 5.1.1 <" + r + ">: no such user" : "250 2.1.5 ok";
        try (TestMta mta = mtaRelayingTo(peer.address())) {
            send(mta, "alice@sender.test", "Subject: hello\r\nMessage-ID: <orig-1@sender.test>\r\n\r\nbody\r\n",
                    "good@dest.test", "bad@dest.test", "bad2@dest.test");
            Await.until(() -> peer.received.size() >= 2 && mta.queuedCount() == 0, "delivery and bounce");
            ScriptedSmtpServer.Received original = peer.received.stream()
                    .filter(r -> r.mailFrom().equals("alice@sender.test")).findFirst().orElseThrow();
            assertEquals(List.of("good@dest.test"), original.rcptTo());
            ScriptedSmtpServer.Received dsn = peer.received.stream()
                    .filter(r -> r.mailFrom().isEmpty()).findFirst().orElseThrow();
            assertEquals(List.of("alice@sender.test"), dsn.rcptTo(), "the bounce goes to the sender, from <>");
            String text = dsn.text();
            assertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status;"), text);
            assertTrue(text.contains("Content-Type: message/delivery-status"), text);
            assertTrue(text.contains("Reporting-MTA: dns; " + TestMta.HOSTNAME), text);
            assertTrue(text.contains("Final-Recipient: rfc822; bad@dest.test\r\nAction: failed\r\nStatus: 5.1.1"), text);
            // The next hop's refusal, typed on its way: its status, the host that said it, its words verbatim.
            assertTrue(text.contains("Final-Recipient: rfc822; bad@dest.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                    + "Remote-MTA: dns; 127.0.0.1\r\n"
                    + "Diagnostic-Code: smtp; 550 5.1.1 <bad@dest.test>: no such user\r\n"), text);
            assertTrue(text.contains("Final-Recipient: rfc822; bad2@dest.test"), text);
            assertTrue(!text.contains("Final-Recipient: rfc822; good@dest.test"), "delivered recipients are not in it");
            // Within --bounce-size-limit (50,000 bytes) the whole original comes back, headers and body.
            assertTrue(text.contains("Content-Type: message/rfc822"), text);
            assertTrue(text.contains("Message-ID: <orig-1@sender.test>"), "the original headers come back: " + text);
            assertTrue(text.contains("Message-ID: <orig-1@sender.test>\r\n\r\nbody\r\n"), "and its body: " + text);
            assertTrue(text.contains("Auto-Submitted: auto-replied"), text);
            assertEquals(2, peer.received.size(), "one DSN per message");
        }
    }

    @Test
    void nullSenderGetsNoBounceSoABounceIsNeverBounced() throws Exception {
        peer.rcptReply = r -> "550 5.1.1 no such user";
        try (TestMta mta = mtaRelayingTo(peer.address())) {
            send(mta, "", "Subject: a bounce\r\n\r\nbody\r\n", "gone@dest.test");
            Await.until(() -> mta.queuedCount() == 0, "the failed recipient to be dropped");
            Thread.sleep(300);
            assertTrue(peer.received.isEmpty(), "nothing is sent back for a null sender");
            assertEquals(0, mta.queuedCount());
        }
    }

    @Test
    void temporaryFailureIsDeferredWithItsError() throws Exception {
        peer.rcptReply = r -> "450 4.2.1 mailbox busy, try later";
        try (TestMta mta = mtaRelayingTo(peer.address())) {
            String id = send(mta, "alice@sender.test", "Subject: later\r\n\r\nbody\r\n", "busy@dest.test");
            Await.until(() -> mta.mta().queue().find(id).map(e -> e.recipients().get(0).attempts() > 0).orElse(false), "an attempt");
            QueueEntry.Recipient r = mta.mta().queue().find(id).orElseThrow().recipients().get(0);
            assertTrue(r.lastError().contains("450 4.2.1 mailbox busy"), r.lastError());
            assertTrue(r.nextAttemptMillis() > System.currentTimeMillis() + 30_000, "backed off");
            assertTrue(peer.received.isEmpty());
            // The hop recovers; a flush brings the deferred recipient back now.
            peer.rcptReply = x -> "250 ok";
            mta.mta().queue().flush();
            Await.until(() -> mta.queuedCount() == 0, "delivery after flush");
            assertEquals(1, peer.received.size());
        }
    }

    @Test
    void expiryAfterTheMaximumLifetimeBounces() throws Exception {
        peer.rcptReply = r -> r.startsWith("slow") ? "450 4.2.1 try again later" : "250 ok";
        RelaySettings s = RelaySettings.smarthost(peer.address());
        try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c
                .withRelay(new RelaySettings(true, s.transportMap(), null, 25, 10, 5, Duration.ofSeconds(1), 50))
                .withRetry(List.of(Duration.ofMillis(300)), Duration.ofSeconds(2)))) {
            send(mta, "alice@sender.test", "Subject: patience\r\n\r\nbody\r\n", "slow@dest.test");
            Await.until(() -> peer.received.size() == 1 && mta.queuedCount() == 0, "expiry and its bounce");
            ScriptedSmtpServer.Received dsn = peer.received.get(0);
            assertEquals("", dsn.mailFrom());
            assertEquals(List.of("alice@sender.test"), dsn.rcptTo());
            // Expiry reports the last real problem: its status (not a made-up 5.4.7), the next hop and its words.
            assertTrue(dsn.text().contains("Final-Recipient: rfc822; slow@dest.test\r\nAction: failed\r\nStatus: 4.2.1\r\n"
                    + "Remote-MTA: dns; 127.0.0.1\r\n"
                    + "Diagnostic-Code: smtp; 450 4.2.1 try again later\r\n"), dsn.text());
            assertTrue(dsn.text().contains("<slow@dest.test>: delivery time expired; the last problem was: 127.0.0.1["),
                    dsn.text());
        }
    }

    @Test
    void tooManyReceivedHeadersIsAMailLoop() throws Exception {
        StringBuilder hops = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            hops.append("Received: from hop").append(i).append(".test by hop").append(i + 1).append(".test; Mon, 23 Nov 2026 10:00:00 +0000\r\n");
        }
        try (TestMta mta = mtaRelayingTo(peer.address())) {
            send(mta, "alice@sender.test", hops + "Subject: loop\r\n\r\nbody\r\n", "x@dest.test");
            Await.until(() -> peer.received.size() == 1 && mta.queuedCount() == 0, "the bounce");
            ScriptedSmtpServer.Received dsn = peer.received.get(0);
            assertEquals("", dsn.mailFrom());
            assertTrue(dsn.text().contains("Status: 5.4.6"), dsn.text());
        }
    }

    @Test
    void aNextHopThatIsOurselvesIsAMailLoop() throws Exception {
        // Route everything to our own listening port: every attempt would come straight back.
        try (TestMta probe = TestMta.start(dir.resolve("probe"))) {
            int port = probe.address().getPort();
            probe.close();
            RelaySettings s = new RelaySettings(true, "dest.test=127.0.0.1:" + port + ",*=" + HostPort.format(peer.address()),
                    null, 25, 10, 5, Duration.ofSeconds(1), 50);
            try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withSmtpListen(new InetSocketAddress("127.0.0.1", port))
                    .withRelay(s))) {
                send(mta, "alice@sender.test", "Subject: self\r\n\r\nbody\r\n", "x@dest.test");
                Await.until(() -> peer.received.size() == 1 && mta.queuedCount() == 0, "the bounce");
                assertTrue(peer.received.get(0).text().contains("Status: 5.4.6"), peer.received.get(0).text());
            }
        }
    }
}
