package dev.mta.server.hardening;

import dev.mta.testkit.LeakGuard;
import dev.mta.relay.RelaySettings;
import dev.mta.server.config.ServerConfig;
import dev.mta.testkit.SmtpSink;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recipient given more than once in a transaction is kept once, as Postfix does: each RCPT still gets its 250,
 * the envelope (and so the relay) has the address once, and every accepted RCPT counts toward max-recipients as in
 * Postfix. Local parts compare exactly, domains without regard to case.
 */
@ExtendWith(LeakGuard.class)
class DuplicateRecipientsTest {
    @TempDir
    Path dir;

    @Test
    void theEnvelopeHoldsEachRecipientOnce() throws Exception {
        try (TestMta mta = TestMta.start(dir.resolve("spool"));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
            for (String r : List.of("same@dest.example", "same@dest.example", "same@DEST.Example",
                    "same@dest.example", "Same@dest.example")) {
                c.command("RCPT TO:<" + r + ">").assertReply(250, "2.1.5");
            }
            c.command("DATA").assertCode(354);
            c.send("Subject: dup\r\n\r\nonce\r\n.\r\n");
            String id = TestMta.queueId(c.read());
            // The first spelling is kept; a local part that differs in case is another mailbox.
            assertEquals(List.of("same@dest.example", "Same@dest.example"), mta.queued(id).envelope().recipients());
        }
    }

    @Test
    void everyAcceptedRcptCountsTowardMaxRecipientsAsInPostfix() throws Exception {
        ServerConfig base = TestMta.config(dir.resolve("spool"));
        try (TestMta mta = TestMta.start(dir.resolve("spool"),
                c -> c.withLimits(base.maxMessageSize(), 5, base.maxConnections()));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
            for (String r : List.of("one@dest.example", "one@dest.example", "one@dest.example", "two@dest.example",
                    "two@DEST.EXAMPLE")) {
                c.command("RCPT TO:<" + r + ">").assertReply(250, "2.1.5");
            }
            // Repeats cannot go on without end: a session could otherwise stay in RCPT for ever.
            c.command("RCPT TO:<one@dest.example>").assertReply(452, "4.5.3");
            c.command("DATA").assertCode(354);
            c.send("Subject: dup\r\n\r\ntwo recipients\r\n.\r\n");
            String id = TestMta.queueId(c.read());
            assertEquals(List.of("one@dest.example", "two@dest.example"), mta.queued(id).envelope().recipients());
        }
    }

    @Test
    void aRepeatedRecipientIsRelayedWithOneRcpt() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(toSink(sink)));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
            for (int i = 0; i < 4; i++) {
                c.command("RCPT TO:<same@dest.example>").assertReply(250, "2.1.5");
            }
            c.command("DATA").assertCode(354);
            c.send("Subject: dup relayed\r\n\r\ndelivered once\r\n.\r\n");
            TestMta.queueId(c.read());
            List<String> got = sink.awaitComplete(1, 20_000);
            assertEquals(1, got.size(), "one message delivered");
            // smtp-sink writes one X-Rcpt-Args line per RCPT command it received.
            assertEquals(1, count(got.get(0), "X-Rcpt-Args: <same@dest.example>"), got.get(0));
            assertEquals(1, count(got.get(0), "X-Rcpt-Args:"), got.get(0));
            assertTrue(got.get(0).contains("Subject: dup relayed"), got.get(0));
        }
    }

    /** Everything to the sink; idle connections close after 1 s, which is when smtp-sink writes its dumps out. */
    private static RelaySettings toSink(SmtpSink sink) {
        RelaySettings s = RelaySettings.smarthost(sink.address());
        return new RelaySettings(true, s.transportMap(), null, 25, s.maxConnections(), s.maxPerDestination(),
                Duration.ofSeconds(1), s.maxReceived());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
