package dev.mta.server.relay;

import dev.mta.protocol.command.MailPath;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.bounce.BounceSettings;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounce rules through the whole MTA, over real sockets: no DSN for the null sender, a failed DSN told once to
 * the double-bounce address, and how much of the original a DSN returns.
 */
@ExtendWith(LeakGuard.class)
class RelayBouncesTest {
    private static final MailPath POSTMASTER = new MailPath("postmaster", "admin.test", false);

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

    /** Everything to the scripted peer, with these bounce settings. */
    private TestMta mta(BounceSettings bounces) throws Exception {
        RelaySettings s = RelaySettings.smarthost(peer.address());
        return TestMta.start(dir.resolve("spool"), c -> c.withRelay(new RelaySettings(true, s.transportMap(), null, 25,
                10, 5, Duration.ofSeconds(1), 50).withBounces(bounces)));
    }

    private static void send(TestMta mta, String from, String message, String... rcpts) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<" + from + ">").assertCode(250);
            for (String r : rcpts) {
                c.command("RCPT TO:<" + r + ">").assertCode(250);
            }
            c.command("DATA").assertCode(354);
            c.send(message + ".\r\n");
            c.read().assertCode(250);
        }
    }

    private long rcpts(String address) {
        return peer.commands.stream().filter(c -> c.equalsIgnoreCase("RCPT <" + address + ">")).count();
    }

    @Test
    void aFailingMessageFromTheNullSenderProducesNoDsn() throws Exception {
        peer.rcptReply = r -> "550 5.1.1 no such user";
        try (TestMta mta = mta(new BounceSettings(POSTMASTER, 50_000))) {
            // A client's null-sender mail, even one dressed as a report, is not ours: no DSN, no notice.
            send(mta, "", "Subject: a bounce from elsewhere\r\nAuto-Submitted: auto-replied\r\n"
                    + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n"
                    + "Message-ID: <1.dsn@elsewhere.test>\r\n\r\n--x--\r\n", "gone@dest.test");
            Await.until(() -> mta.queuedCount() == 0 && rcpts("gone@dest.test") == 1, "the failed recipient to be dropped");
            Thread.sleep(500);
            assertTrue(peer.received.isEmpty(), "nothing is sent for a null sender: " + peer.received);
            assertEquals(List.of("RCPT <gone@dest.test>"), peer.commands.stream().filter(c -> c.startsWith("RCPT"))
                    .toList(), "and nothing else was tried");
            assertEquals(0, mta.queuedCount());
        }
    }

    @Test
    void aClientsMailForgingOurDsnMarksGetsNoNoticeEither() throws Exception {
        peer.rcptReply = r -> "550 5.1.1 no such user";
        try (TestMta mta = mta(new BounceSettings(POSTMASTER, 50_000))) {
            // Every mark our own DSNs carry, Message-ID at our hostname included: still a client's mail, which our
            // session's Received: line in front of it gives away.
            send(mta, "", "Subject: forged\r\nAuto-Submitted: auto-replied\r\n"
                    + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n"
                    + "Message-ID: <forged.dsn@" + TestMta.HOSTNAME + ">\r\n\r\n--x--\r\n", "gone@dest.test");
            Await.until(() -> mta.queuedCount() == 0 && rcpts("gone@dest.test") == 1, "the failed recipient to be dropped");
            Thread.sleep(500);
            assertTrue(peer.received.isEmpty(), "no notice for a forged DSN: " + peer.received);
            assertEquals(0, rcpts(POSTMASTER.address()));
        }
    }

    @Test
    void aDsnToASenderWhoseDomainRejectsItReachesTheDoubleBounceAddressOnce() throws Exception {
        peer.rcptReply = r -> r.startsWith("bad@") ? "550 5.1.1 <" + r + ">: no such user"
                : r.equals("alice@sender.test") ? "550 5.7.1 we accept no bounces" : "250 2.1.5 ok";
        try (TestMta mta = mta(new BounceSettings(POSTMASTER, 50_000))) {
            send(mta, "alice@sender.test", "Subject: hello\r\nMessage-ID: <orig-2@sender.test>\r\n\r\nbody\r\n",
                    "bad@dest.test");
            Await.until(() -> peer.received.size() >= 1 && mta.queuedCount() == 0, "the double-bounce notice");
            Thread.sleep(1500); // two dispatcher ticks: nothing more may follow
            assertEquals(1, peer.received.size(), "one notice: " + peer.received);
            ScriptedSmtpServer.Received notice = peer.received.get(0);
            assertEquals("", notice.mailFrom(), "from <>: if it fails too, nothing follows");
            assertEquals(List.of("postmaster@admin.test"), notice.rcptTo());
            String text = notice.text();
            // The failed DSN's headers...
            assertTrue(text.contains("Content-Type: text/rfc822-headers"), text);
            assertTrue(text.contains("To: <alice@sender.test>\r\nSubject: Undelivered Mail Returned to Sender\r\n"), text);
            // ...and why it failed.
            assertTrue(text.contains("Final-Recipient: rfc822; alice@sender.test\r\nAction: failed\r\nStatus: 5.7.1\r\n"
                    + "Remote-MTA: dns; 127.0.0.1\r\nDiagnostic-Code: smtp; 550 5.7.1 we accept no bounces\r\n"), text);
            assertFalse(text.contains("body\r\n"), "not the original message: " + text);
            assertEquals(1, rcpts("bad@dest.test"));
            assertEquals(1, rcpts("alice@sender.test"), "the DSN was tried once");
            assertEquals(1, rcpts("postmaster@admin.test"));
        }
    }

    @Test
    void aDoubleBounceThatFailsTooEndsThere() throws Exception {
        peer.rcptReply = r -> "550 5.7.1 nobody here takes mail";
        try (TestMta mta = mta(new BounceSettings(POSTMASTER, 50_000))) {
            send(mta, "alice@sender.test", "Subject: hello\r\n\r\nbody\r\n", "bad@dest.test");
            Await.until(() -> rcpts("postmaster@admin.test") == 1 && mta.queuedCount() == 0, "the notice to fail");
            Thread.sleep(1500);
            assertTrue(peer.received.isEmpty());
            assertEquals(List.of(1L, 1L, 1L), List.of(rcpts("bad@dest.test"), rcpts("alice@sender.test"),
                    rcpts("postmaster@admin.test")), "each tried once, no loop: " + peer.commands);
        }
    }

    @Test
    void withNoDoubleBounceAddressAFailedDsnIsDroppedWithOneLogLine() throws Exception {
        peer.rcptReply = r -> r.startsWith("bad@") ? "550 5.1.1 no such user" : "550 5.7.1 we accept no bounces";
        try (LogCapture log = LogCapture.of(BounceService.class);
             TestMta mta = mta(BounceSettings.DEFAULT)) {
            send(mta, "alice@sender.test", "Subject: hello\r\n\r\nbody\r\n", "bad@dest.test");
            Await.until(() -> rcpts("alice@sender.test") == 1 && mta.queuedCount() == 0, "the DSN to fail");
            Await.until(() -> !log.warningsWith("double bounce dropped").isEmpty(), "the log line");
            Thread.sleep(500);
            assertEquals(1, log.warningsWith("double bounce dropped", "we accept no bounces").size(),
                    log.warnings().toString());
            assertTrue(peer.received.isEmpty());
        }
    }

    @Test
    void aTenMegabyteMessageThatBouncesReturnsHeadersOnly() throws Exception {
        peer.rcptReply = r -> r.startsWith("bad@") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        StringBuilder message = new StringBuilder(10_100_000)
                .append("Subject: big\r\nMessage-ID: <big-1@sender.test>\r\n\r\n");
        String line = "x".repeat(98) + "\r\n";
        while (message.length() < 10_000_000) {
            message.append(line);
        }
        try (TestMta mta = mta(BounceSettings.DEFAULT)) {
            send(mta, "alice@sender.test", message.toString(), "bad@dest.test");
            Await.until(() -> peer.received.size() == 1 && mta.queuedCount() == 0, "the bounce");
            ScriptedSmtpServer.Received dsn = peer.received.get(0);
            assertEquals("", dsn.mailFrom());
            String text = dsn.text();
            assertTrue(text.contains("Content-Type: text/rfc822-headers\r\n\r\n"
                    + "Received: "), "the headers, our Received first: " + text);
            assertTrue(text.contains("Message-ID: <big-1@sender.test>\r\n"), text);
            assertFalse(text.contains("message/rfc822"), text);
            assertFalse(text.contains(line), "no body");
            assertTrue(dsn.body().length < 10_000, "a small DSN: " + dsn.body().length);
        }
    }

    @Test
    void aMessageWithinTheLimitComesBackWhole() throws Exception {
        peer.rcptReply = r -> r.startsWith("bad@") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        try (TestMta mta = mta(BounceSettings.DEFAULT)) {
            send(mta, "alice@sender.test", "Subject: small\r\nMessage-ID: <small-1@sender.test>\r\n\r\n"
                    + "the body, returned\r\n", "bad@dest.test");
            Await.until(() -> peer.received.size() == 1 && mta.queuedCount() == 0, "the bounce");
            String text = peer.received.get(0).text();
            assertTrue(text.contains("Content-Type: message/rfc822\r\n\r\nReceived: "), text);
            assertTrue(text.contains("Message-ID: <small-1@sender.test>\r\n\r\nthe body, returned\r\n"), text);
            assertFalse(text.contains("text/rfc822-headers"), text);
        }
    }
}
