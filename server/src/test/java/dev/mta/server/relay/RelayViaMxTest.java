package dev.mta.server.relay;

import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.TestDnsServer;
import dev.mta.relay.RelaySettings;
import dev.mta.testkit.LeakGuard;
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

/** Routing by MX through the whole MTA, with a DNS server the test runs on loopback. */
@ExtendWith(LeakGuard.class)
class RelayViaMxTest {
    @TempDir
    Path dir;

    @Test
    void deliversToTheMxAndBouncesWhatDnsRulesOut() throws Exception {
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer();
             TestDnsServer dns = new TestDnsServer()
                     .mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                     .mx("sender.test", 10, "mx.dest.test")
                     .nullMx("nomail.test")) {
            RelaySettings relay = new RelaySettings(true, "", dns.address(), mx.address().getPort(), 10, 5,
                    Duration.ofSeconds(1), 50);
            try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(relay));
                 SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
                c.command("RCPT TO:<bob@dest.test>").assertCode(250);
                c.command("RCPT TO:<carol@no-such-domain.test>").assertCode(250);
                c.command("RCPT TO:<dave@nomail.test>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: via mx\r\n\r\nbody\r\n.\r\n");
                TestMta.queueId(c.read());

                long deadline = System.currentTimeMillis() + 15_000;
                while ((mx.received.size() < 2 || mta.queuedCount() > 0) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, mta.queuedCount());
                ScriptedSmtpServer.Received delivered = mx.received.stream()
                        .filter(r -> r.mailFrom().equals("alice@sender.test")).findFirst().orElseThrow();
                assertEquals(List.of("bob@dest.test"), delivered.rcptTo());
                List<String> bounces = mx.received.stream().filter(r -> r.mailFrom().isEmpty())
                        .map(ScriptedSmtpServer.Received::text).toList();
                assertEquals(1, bounces.size(), "one DSN per message, covering both failed destinations");
                String all = String.join("\n", bounces);
                assertTrue(all.contains("Final-Recipient: rfc822; carol@no-such-domain.test\r\nAction: failed\r\nStatus: 5.1.2"), all);
                assertTrue(all.contains("Final-Recipient: rfc822; dave@nomail.test\r\nAction: failed\r\nStatus: 5.1.10"), all);
            }
        }
    }
}
