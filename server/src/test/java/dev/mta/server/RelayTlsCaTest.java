package dev.mta.server;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.RelaySettings;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestCa;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --relay-tls-ca over real sockets, through the whole MTA: a next hop found by MX as next-hop.test presents a
 * certificate our test CA signed; verify delivers when the CA file holds that CA, and defers (4.7.5, nothing sent)
 * when it holds another CA, when there is no CA file (the JDK's store knows no test CA), or when the certificate is
 * for another name.
 */
@ExtendWith(LeakGuard.class)
class RelayTlsCaTest {
    private static final String HOP = "next-hop.test";

    @TempDir
    Path dir;
    ScriptedSmtpServer peer;
    TestDnsServer dns;
    TestCa ca;

    @BeforeEach
    void nextHop() throws Exception {
        ca = new TestCa("Test Relay CA");
        peer = new ScriptedSmtpServer();
        dns = new TestDnsServer().mx("dest.test", 10, HOP).a(HOP, "127.0.0.1");
    }

    @AfterEach
    void stop() {
        peer.close();
        dns.close();
    }

    /** The relay as these options (and DNS and port to reach the peer) describe it, to every route at verify. */
    private RelaySettings relay(String... options) {
        List<String> args = new ArrayList<>(List.of("--dns-server", "127.0.0.1:" + dns.address().getPort(),
                "--relay-port", "" + peer.address().getPort(), "--relay-tls-policy", "*=verify"));
        args.addAll(List.of(options));
        String[] a = args.toArray(String[]::new);
        CommandLine cmd = MtaMain.commandLine(a);
        cmd.parseArgs(a);
        return ((MtaMain) cmd.getCommand()).toConfig().relay();
    }

    private Path caFile(String name, String pem) throws Exception {
        return Files.writeString(dir.resolve(name), pem);
    }

    /** Sends one message to bob@dest.test and returns the outcome of its first delivery attempt. */
    private Outcome firstAttempt(RelaySettings relay) throws Exception {
        List<MailEvent.DeliveryAttempted> attempts = new CopyOnWriteArrayList<>();
        try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(relay))) {
            mta.mta().events().subscribe(new MailEvents() {
                @Override
                public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
                    attempts.add(e);
                }
            });
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
                c.command("RCPT TO:<bob@dest.test>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: verified\r\n\r\nbody\r\n.\r\n");
                TestMta.queueId(c.read());
            }
            Await.until(() -> !attempts.isEmpty(), "the first delivery attempt");
            Outcome o = attempts.get(0).outcome();
            if (o.kind() == Outcome.Kind.DELIVERED) {
                Await.until(() -> mta.queuedCount() == 0, "the message to leave the queue");
            } else {
                assertEquals(1, mta.queuedCount(), "deferred: still queued");
            }
            return o;
        }
    }

    private static void assertDeferredForTls(Outcome o, ScriptedSmtpServer peer) {
        assertEquals(Outcome.Kind.DEFERRED, o.kind(), o.text());
        assertEquals("4.7.5", o.status().toString(), o.text());
        assertTrue(o.text().contains("TLS policy verify") && o.text().contains("TLS handshake failed"), o.text());
        assertTrue(peer.received.isEmpty(), "nothing delivered");
        assertTrue(peer.commands.stream().noneMatch(c -> c.startsWith("MAIL")), "no mail sent: " + peer.commands);
    }

    @Test
    void verifyDeliversToANextHopWhoseCertificateTheGivenCaSigned() throws Exception {
        peer.tls = ca.serverContext(HOP);
        // A bundle as distributions ship them: another CA first, comments between.
        Path bundle = caFile("ca.pem", "# Another CA\n" + new TestCa("Another CA").pem() + "\n# Test Relay CA\n" + ca.pem());
        Outcome o = firstAttempt(relay("--relay-tls-ca", bundle.toString()));
        assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.text());
        assertEquals(1, peer.received.size());
        assertTrue(peer.received.get(0).overTls());
        assertEquals(List.of("bob@dest.test"), peer.received.get(0).rcptTo());
    }

    @Test
    void verifyDefersWhenTheCaFileHoldsAnotherCa() throws Exception {
        peer.tls = ca.serverContext(HOP);
        Path other = caFile("other-ca.pem", new TestCa("Another CA").pem());
        assertDeferredForTls(firstAttempt(relay("--relay-tls-ca", other.toString())), peer);
    }

    @Test
    void withoutACaFileVerifyTrustsTheJdksStoreOnly() throws Exception {
        peer.tls = ca.serverContext(HOP);
        assertDeferredForTls(firstAttempt(relay()), peer);
    }

    @Test
    void theHostNameIsStillChecked() throws Exception {
        peer.tls = ca.serverContext("elsewhere.test");
        Path file = caFile("ca.pem", ca.pem());
        assertDeferredForTls(firstAttempt(relay("--relay-tls-ca", file.toString())), peer);
    }
}
