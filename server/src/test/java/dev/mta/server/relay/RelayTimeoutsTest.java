package dev.mta.server.relay;

import dev.mta.queue.model.QueueEntry;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.MailTransaction;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.RelayAssembly;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's configured timeouts through the whole MTA: a next hop that never answers the final dot. */
@ExtendWith(LeakGuard.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayTimeoutsTest {
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

    private static RelaySettings relayingTo(InetSocketAddress target) {
        RelaySettings s = RelaySettings.smarthost(target);
        return new RelaySettings(true, s.transportMap(), null, 25, 10, 5, Duration.ofSeconds(1), 50);
    }

    private static String send(TestMta mta, String subject, String rcpt) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            c.command("RCPT TO:<" + rcpt + ">").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: " + subject + "\r\n\r\nbody\r\n.\r\n");
            return TestMta.queueId(c.read());
        }
    }

    @Test
    void aNextHopSilentAfterTheFinalDotLeavesTheRecipientDeferredAsAPossibleDuplicate() throws Exception {
        peer.stallAt = ScriptedSmtpServer.Stage.END_OF_DATA;
        Duration five = Duration.ofSeconds(5);
        ClientTimeouts t = new ClientTimeouts(five, five, five, five, five, Duration.ofSeconds(1));
        try (LogCapture startup = LogCapture.of(RelayAssembly.class);
             LogCapture delivery = LogCapture.of(MailTransaction.class);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(relayingTo(peer.address()).withTimeouts(t)))) {
            assertEquals(1, startup.warningsWith("--relay-data-done-timeout", "RFC 5321 4.5.3.2.6").size(),
                    () -> "a final-reply timeout under 10 minutes is warned about at start: " + startup.warnings());

            String id = send(mta, "stalled", "x@dest.test");
            Await.until(() -> mta.mta().queue().find(id).map(e -> e.recipients().get(0).attempts() > 0).orElse(false),
                    "an attempt");
            QueueEntry.Recipient r = mta.mta().queue().find(id).orElseThrow().recipients().get(0);
            assertTrue(r.lastError().startsWith("4.4.2 no reply from "), r.lastError());
            assertTrue(r.lastError().contains("after the end of data within 1 s: the message may have been delivered;"
                    + " retrying may deliver it twice"), r.lastError());
            assertTrue(r.nextAttemptMillis() > System.currentTimeMillis(), "retried later, with back-off");
            assertEquals(1, delivery.warningsWith("possible duplicate delivery", id).size(), () -> delivery.warnings().toString());

            // Otherwise all is well: more mail is taken, and once the hop answers again everything leaves.
            peer.stallAt = ScriptedSmtpServer.Stage.NONE;
            send(mta, "after", "y@dest.test");
            mta.mta().queue().flush();
            Await.until(() -> mta.queuedCount() == 0, "both messages to be delivered");
            assertEquals(Set.of("stalled", "after"), peer.received.stream()
                    .map(m -> m.text().lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow().substring(9))
                    .collect(Collectors.toSet()));
        }
    }

    @Test
    void theRfcTimeoutsNeedNoWarning() throws Exception {
        assertEquals(ClientTimeouts.RFC_5321, relayingTo(peer.address()).timeouts());
        try (LogCapture startup = LogCapture.of(RelayAssembly.class);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(relayingTo(peer.address())))) {
            assertTrue(startup.warnings().isEmpty(), startup.warnings()::toString);
        }
    }
}
