package dev.mta.server.relay;

import dev.mta.relay.RelaySettings;
import dev.mta.server.config.RecipientVerification;
import dev.mta.server.support.Await;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recipients of a relay domain verified at RCPT by call-ahead, over real sockets, against a next hop that knows
 * some of them: a rejected one gets 550 5.1.1 after one probe and from the cache after that; a good one 250 and its
 * mail is relayed; a probe answered 4xx gives 450 4.1.1.
 */
@ExtendWith(LeakGuard.class)
class CallAheadTest {
    @TempDir
    Path dir;
    ScriptedSmtpServer peer;

    @BeforeEach
    void peer() throws Exception {
        peer = new ScriptedSmtpServer();
        peer.rcptReply = r -> r.startsWith("nobody") ? "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown"
                : r.startsWith("busy") ? "451 4.3.0 try again later" : "250 2.1.5 ok";
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    private TestMta mta(String sender) throws Exception {
        RelaySettings s = RelaySettings.smarthost(peer.address());
        RecipientVerification v = new RecipientVerification(RecipientVerification.Mode.CALLAHEAD, List.of("dest.test"),
                sender, Duration.ofDays(1), Duration.ofHours(1));
        return TestMta.start(dir.resolve("spool"), c -> c.withRelay(new RelaySettings(true, s.transportMap(), null, 25,
                10, 5, Duration.ofSeconds(5), 50)).withVerification(v));
    }

    private long rcpts(String address) {
        return peer.commands.stream().filter(c -> c.equals("RCPT <" + address + ">")).count();
    }

    @Test
    void aRejectedRecipientGets550AfterOneProbeAndFromTheCacheAfterThat() throws Exception {
        try (TestMta mta = mta(null); SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            Reply first = c.command("RCPT TO:<nobody@dest.test>").assertReply(550, "5.1.1");
            assertTrue(first.text().contains("<nobody@dest.test>: Recipient address rejected"), first.toString());
            assertTrue(first.text().contains("User unknown"), "the next hop's reason is echoed: " + first);
            assertEquals(1, rcpts("nobody@dest.test"));
            assertTrue(peer.commands.contains("MAIL <double-bounce@" + TestMta.HOSTNAME + ">"),
                    "the probe's sender is double-bounce@ our name: " + peer.commands);

            c.command("RCPT TO:<Nobody@DEST.test>").assertReply(550, "5.1.1");
            assertEquals(1, rcpts("nobody@dest.test") + rcpts("Nobody@DEST.test"), "answered from the cache: no new probe");

            c.command("RCPT TO:<good@dest.test>").assertReply(250, "2.1.5");
            assertEquals(1, rcpts("good@dest.test"));
            assertEquals(1, peer.connections.get(), "the second probe reused the first one's connection");
            assertTrue(peer.commands.contains("RSET"), "each probe ends with RSET");

            c.command("DATA").assertCode(354);
            c.send("Subject: hi\r\n\r\nhello\r\n.\r\n");
            c.read().assertCode(250);
            Await.until(() -> !peer.received.isEmpty(), "the message relayed");
            assertEquals(List.of("good@dest.test"), peer.received.get(0).rcptTo());
            assertEquals("alice@sender.test", peer.received.get(0).mailFrom());
        }
        try (TestMta mta = mta(null); SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            // A new MTA, a new cache: asked again, once.
            c.command("MAIL FROM:<bob@sender.test>").assertCode(250);
            c.command("RCPT TO:<nobody@dest.test>").assertReply(550, "5.1.1");
            assertEquals(2, rcpts("nobody@dest.test"));
        }
    }

    @Test
    void pipelinedRecipientsAreAnsweredInOrder() throws Exception {
        try (TestMta mta = mta(null); SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.send("MAIL FROM:<alice@sender.test>\r\nRCPT TO:<a@dest.test>\r\nRCPT TO:<nobody@dest.test>\r\n"
                    + "RCPT TO:<b@other.test>\r\nRCPT TO:<busy@dest.test>\r\nRCPT TO:<c@dest.test>\r\nNOOP\r\n");
            c.read().assertReply(250, "2.1.0");
            c.read().assertReply(250, "2.1.5");
            c.read().assertReply(550, "5.1.1");
            c.read().assertReply(250, "2.1.5");
            Reply busy = c.read().assertReply(450, "4.1.1");
            assertTrue(busy.text().contains("<busy@dest.test>: Recipient address verification failed"), busy.toString());
            c.read().assertReply(250, "2.1.5");
            c.read().assertReply(250, "2.0.0");
            assertEquals(0, rcpts("b@other.test"), "only recipients of the relay domains are verified");
        }
    }

    @Test
    void aTemporaryAnswerIsNotCachedAndGives450() throws Exception {
        try (TestMta mta = mta(null); SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            c.command("RCPT TO:<busy@dest.test>").assertReply(450, "4.1.1");
            c.command("RCPT TO:<busy@dest.test>").assertReply(450, "4.1.1");
            assertEquals(2, rcpts("busy@dest.test"), "a temporary failure is asked again");
        }
    }

    @Test
    void aNextHopThatCannotBeReachedGives450() throws Exception {
        int port = peer.address().getPort();
        peer.close();
        RecipientVerification v = new RecipientVerification(RecipientVerification.Mode.CALLAHEAD, List.of("dest.test"),
                null, Duration.ofDays(1), Duration.ofHours(1));
        try (TestMta mta = TestMta.start(dir.resolve("spool"), cfg -> cfg.withRelay(new RelaySettings(true,
                "*=127.0.0.1:" + port, null, 25, 10, 5, Duration.ofSeconds(5), 50)).withVerification(v));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            c.command("RCPT TO:<someone@dest.test>").assertReply(450, "4.1.1");
        }
    }

    @Test
    void theProbeUsesTheConfiguredSenderAndOurOwnRecipientsAreNotProbed() throws Exception {
        try (TestMta mta = mta("verify@probe.test"); SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            c.command("RCPT TO:<good@dest.test>").assertCode(250);
            assertTrue(peer.commands.contains("MAIL <verify@probe.test>"), peer.commands.toString());
            c.command("RCPT TO:<double-bounce@" + TestMta.HOSTNAME + ">").assertCode(250);
            assertEquals(1, peer.commands.stream().filter(x -> x.startsWith("RCPT")).count(), peer.commands.toString());
        }
    }
}
