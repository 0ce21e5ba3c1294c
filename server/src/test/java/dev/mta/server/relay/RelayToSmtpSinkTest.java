package dev.mta.server.relay;

import dev.mta.relay.RelaySettings;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import dev.mta.server.support.ProcessRunner;
import dev.mta.testkit.SmtpSink;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery to Postfix's smtp-sink, a real SMTP server no one here wrote. */
@ExtendWith(LeakGuard.class)
class RelayToSmtpSinkTest {
    @TempDir
    Path dir;

    static void awaitEmptyQueue(TestMta mta, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (mta.queuedCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, mta.queuedCount(), () -> "still queued, first: " + mta.mta().queue().list().get(0));
    }

    /** Everything to the sink; idle connections close after 1 s, which is when smtp-sink writes its dumps out. */
    static RelaySettings toSink(SmtpSink sink) {
        RelaySettings s = RelaySettings.smarthost(sink.address());
        return new RelaySettings(true, s.transportMap(), null, 25, s.maxConnections(), s.maxPerDestination(),
                java.time.Duration.ofSeconds(1), s.maxReceived());
    }

    @Test
    void singleAndMultiRecipientMessagesArrive() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(toSink(sink)));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@example.com>").assertCode(250);
            c.command("RCPT TO:<bob@example.org>").assertCode(250);
            c.command("DATA").assertCode(354);
            // "..": a content line that starts with a dot; our relay must stuff it again for smtp-sink.
            c.send("Subject: one\r\n\r\n..dotted line\r\nbody one\r\n.\r\n");
            TestMta.queueId(c.read());
            c.command("MAIL FROM:<alice@example.com>").assertCode(250);
            for (String r : List.of("x@example.org", "y@example.org", "z@example.org")) {
                c.command("RCPT TO:<" + r + ">").assertCode(250);
            }
            c.command("DATA").assertCode(354);
            c.send("Subject: three\r\n\r\nbody three\r\n.\r\n");
            TestMta.queueId(c.read());
            awaitEmptyQueue(mta, 20_000);
            List<String> got = sink.awaitComplete(2, 10_000);
            assertEquals(2, got.size());
            String one = got.stream().filter(m -> m.contains("Subject: one")).findFirst().orElseThrow();
            // smtp-sink's dump ends lines with LF (its DUMP FILE FORMAT); the leading dot arrived unstuffed.
            assertTrue(one.contains("\n.dotted line\nbody one\n"), one);
            assertTrue(one.contains("\tby " + TestMta.HOSTNAME + " with ESMTP id "), one);
            String three = got.stream().filter(m -> m.contains("Subject: three")).findFirst().orElseThrow();
            for (String r : List.of("x@example.org", "y@example.org", "z@example.org")) {
                assertTrue(three.contains(r), "one transaction carries every recipient: " + three);
            }
        }
    }

    @Test
    void smtpSourceThroughTheRelayToSmtpSink() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(toSink(sink)))) {
            ProcessRunner.Result r = ProcessRunner.run(List.of(Peers.require("smtp-source"), "-s", "50", "-m", "500",
                    "-l", "10240", "-f", "from@example.com", "-t", "to@example.net",
                    "127.0.0.1:" + mta.address().getPort()), 120);
            assertEquals(0, r.exitCode(), r.output());
            awaitEmptyQueue(mta, 60_000);
            assertEquals(500, sink.count(), "every accepted message reaches the sink");
        }
    }
}
