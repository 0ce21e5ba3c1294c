package dev.mta.server.relay;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.RelaySettings;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RelayControl;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail to the sender of our verification probes (double-bounce@ our hostname, as Postfix's address_verify_sender)
 * is taken from anyone, as a next hop may answer it, and dropped: nothing is relayed, nothing bounces.
 */
@ExtendWith(LeakGuard.class)
class VerifySenderDiscardTest {
    @TempDir
    Path dir;

    @Test
    void mailToTheProbeSenderIsTakenFromAStrangerAndDropped() throws Exception {
        List<MailEvent.DeliveryAttempted> attempts = new CopyOnWriteArrayList<>();
        try (ScriptedSmtpServer hop = new ScriptedSmtpServer()) {
            RelayControl strangers = new RelayControl(RelayControl.networks("192.0.2.0/24"),
                    DomainList.parse("ourdomain.example"), DomainList.parse(""), null);
            try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelayControl(strangers)
                    .withRelay(RelaySettings.smarthost(hop.address())))) {
                mta.mta().events().subscribe(new MailEvents() {
                    @Override
                    public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
                        attempts.add(e);
                    }
                });
                try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                    c.command("MAIL FROM:<>").assertCode(250);
                    c.command("RCPT TO:<double-bounce@" + TestMta.HOSTNAME + ">").assertCode(250);
                    c.command("RCPT TO:<someone@" + TestMta.HOSTNAME + ">").assertCode(554);
                    c.command("DATA").assertCode(354);
                    c.send("Subject: an answer to a probe\r\n\r\nbody\r\n.\r\n");
                    c.read().assertCode(250);
                }
                Await.until(() -> mta.queuedCount() == 0 && attempts.size() == 1, "the message to be dropped");
                assertEquals(Outcome.Kind.DELIVERED, attempts.get(0).outcome().kind());
                assertEquals("discard", attempts.get(0).route().transport());
                assertTrue(attempts.get(0).outcome().detail().contains("discarded"), attempts.get(0).outcome().detail());
                assertTrue(hop.received.isEmpty(), "nothing relayed");
            }
        }
    }
}
