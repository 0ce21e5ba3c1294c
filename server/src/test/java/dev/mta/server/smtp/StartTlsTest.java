package dev.mta.server.smtp;

import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STARTTLS (RFC 3207) over real sockets with a Java TLS client, and above all the injection defence
 * (CVE-2011-0411): plaintext pipelined behind STARTTLS is never executed, whether it came in the same read or in a
 * later segment before the handshake.
 */
@ExtendWith(LeakGuard.class)
class StartTlsTest {
    @TempDir
    static Path spool;
    static TestMta mta;

    @BeforeAll
    static void start() throws Exception {
        mta = TestMta.start(spool);
    }

    @AfterAll
    static void stop() {
        mta.close();
    }

    private static List<String> extensions(Reply ehlo) {
        return ehlo.lines().subList(1, ehlo.lines().size());
    }

    @Test
    void ehloOffersStartTlsOnlyUntilItIsDone() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(mta.address())) {
            c.expect(220);
            assertTrue(extensions(c.command("EHLO client.test").assertCode(250)).contains("STARTTLS"));
            c.command("STARTTLS").assertReply(220, "2.0.0");
            SSLSocket tls = c.startTls();
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(tls.getSession().getProtocol()));
            List<String> after = extensions(c.command("EHLO client.test").assertCode(250));
            assertFalse(after.contains("STARTTLS"), "not offered again under TLS (RFC 3207 4.2): " + after);
            assertTrue(after.contains("PIPELINING"), after::toString);
            c.command("STARTTLS").assertReply(503, "5.5.1");
            c.command("MAIL FROM:<a@example.org>").assertReply(250, "2.1.0");
            c.command("RCPT TO:<b@example.org>").assertReply(250, "2.1.5");
            c.command("DATA").assertCode(354);
            Reply queued = c.command("Subject: over TLS\r\n\r\nhello\r\n.").assertReply(250, "2.0.0");
            assertTrue(queued.text().contains("queued as"), queued::toString);
            c.command("QUIT").assertReply(221, "2.0.0");
        }
    }

    @Test
    void startTlsTakesNoParametersAndNotInATransaction() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("STARTTLS now").assertReply(501, "5.5.4");
            c.command("MAIL FROM:<a@example.org>").assertReply(250, "2.1.0");
            c.command("STARTTLS").assertReply(503, "5.5.1");
            c.command("RCPT TO:<b@example.org>").assertReply(250, "2.1.5");
            c.command("STARTTLS").assertReply(503, "5.5.1");
            c.command("RSET").assertReply(250, "2.0.0");
            c.command("STARTTLS").assertReply(220, "2.0.0");
            c.startTls();
            c.command("RCPT TO:<b@example.org>").assertReply(503, "5.5.1"); // state CONNECTED: greet again first
        }
    }

    @Test
    void commandsPipelinedInTheSameWriteAsStartTlsAreDiscarded() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.send("STARTTLS\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
            c.expect(220).assertReply(220, "2.0.0");
            // Had the MAIL been answered in plaintext, its 250 would break the handshake.
            c.startTls();
            c.command("EHLO client.test").assertCode(250);
            c.command("RCPT TO:<b@example.org>").assertReply(503, "5.5.1"); // no MAIL in effect
            Reply need = c.command("DATA");
            assertEquals(503, need.code(), need::toString);
            c.command("MAIL FROM:<c@example.org>").assertReply(250, "2.1.0"); // not nested: the injected one never ran
        }
    }

    @Test
    void commandsInjectedInALaterSegmentBeforeTheHandshakeAreNeverExecuted() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.setReadTimeout(5000);
            c.send("STARTTLS\r\n");
            c.expect(220).assertReply(220, "2.0.0");
            // A separate segment, after the 220, instead of a ClientHello: it goes to the TLS layer, never the SMTP one.
            c.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nNOOP\r\n");
            String rest = c.readToEnd();
            assertFalse(rest.contains("250"), "plaintext after STARTTLS was answered: " + rest);
            assertFalse(rest.contains("503"), "plaintext after STARTTLS was answered: " + rest);
        }
    }

    @Test
    void injectedSegmentRacingTheReplyIsDiscardedOrEndsTheConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.setReadTimeout(1000); // discarded in the same read, the server waits for a handshake that never comes
                c.send("STARTTLS\r\n");
                c.send("MAIL FROM:<a@example.org>\r\n"); // its own segment (TCP_NODELAY), before the 220 is read
                c.expect(220).assertReply(220, "2.0.0");
                String rest = c.readToEnd();
                assertFalse(rest.contains("250"), "plaintext after STARTTLS was answered: " + rest);
            }
        }
    }

    /**
     * The injected MAIL in a TCP segment of its own right behind STARTTLS, before the client has read the 220, and
     * then a real handshake. Sent at once, it races the server: read with STARTTLS it is thrown away with the rest of
     * that read, and the handshake completes into a session with no MAIL in effect; read later, it is taken as the
     * start of the handshake, which fails, and the connection ends. Sent once the 220 has arrived (unread), the server
     * has switched already: always the second. Either way no plaintext reply follows the 220: the MAIL never ran.
     */
    @Test
    void injectedSegmentBeforeThe220IsReadThenAHandshake() throws Exception {
        int handshakes = 0;
        int closed = 0;
        for (int i = 0; i < 10; i++) {
            boolean racing = i % 2 == 0;
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.send("STARTTLS\r\n");
                if (!racing) {
                    assertTrue(c.awaitPending(5000), "no 220 to STARTTLS");
                }
                c.send("MAIL FROM:<a@example.org>\r\n"); // its own segment (TCP_NODELAY)
                c.expect(220).assertReply(220, "2.0.0");
                c.setReadTimeout(300);
                // A plaintext answer to the MAIL would come right behind the 220; a failed handshake may leave an alert.
                String plain = c.readToEnd();
                assertFalse(plain.matches("(?s).*[2-5][0-9][0-9][ -].*"), "plaintext after STARTTLS was answered: " + plain);
                c.setReadTimeout(5000);
                try {
                    c.startTls();
                } catch (IOException handshakeFailed) {
                    closed++;
                    continue;
                }
                assertTrue(racing, "the server took a handshake after plaintext had come in its place");
                c.command("EHLO client.test").assertCode(250);
                c.command("RCPT TO:<b@example.org>").assertReply(503, "5.5.1"); // no MAIL in effect
                c.command("MAIL FROM:<c@example.org>").assertReply(250, "2.1.0");
                handshakes++;
            }
        }
        assertEquals(10, handshakes + closed);
        assertTrue(closed >= 5, "every run that waited for the 220 ends the connection: " + closed);
    }

    @Test
    void aHandshakeThatNeverComesDoesNotLetCommandsThrough() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("STARTTLS").assertReply(220, "2.0.0");
            c.send("QUIT\r\n");
            c.setReadTimeout(2000);
            assertFalse(c.readToEnd().contains("221"));
        }
    }
}
