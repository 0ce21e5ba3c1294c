package dev.mta.server.smtp;

import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every classic command over a real socket, in and out of order, well and badly formed. */
@ExtendWith(LeakGuard.class)
class SmtpCommandRepliesTest {
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

    private static SmtpTestClient connect() throws Exception {
        return SmtpTestClient.connect(mta.address());
    }

    @Test
    void greetingNamesTheServer() throws Exception {
        try (SmtpTestClient c = connect()) {
            Reply r = c.expect(220);
            assertTrue(r.text().startsWith(TestMta.HOSTNAME + " "), r::toString);
            assertEquals("", r.status(), "no enhanced code in the greeting (RFC 2034)");
        }
    }

    @Test
    void ehloAdvertisesTheExtensions() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            Reply r = c.command("EHLO client.test").assertCode(250);
            assertEquals(TestMta.HOSTNAME, r.lines().get(0));
            List<String> ext = r.lines().subList(1, r.lines().size());
            assertTrue(ext.contains("PIPELINING"), ext::toString);
            assertTrue(ext.contains("SIZE 36700160"), ext::toString);
            assertTrue(ext.contains("8BITMIME"), ext::toString);
            assertTrue(ext.contains("SMTPUTF8"), ext::toString);
            assertTrue(ext.contains("ENHANCEDSTATUSCODES"), ext::toString);
            assertTrue(ext.contains("STARTTLS"), "TLS is on by default (a self-signed certificate): " + ext);
            assertTrue(ext.stream().noneMatch(e -> e.startsWith("AUTH")),
                    "never advertise what is not implemented: " + ext);
        }
    }

    @Test
    void heloGetsAPlain250() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            Reply r = c.command("HELO client.test").assertCode(250);
            assertEquals(1, r.lines().size());
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        }
    }

    @Test
    void everyOtherClassicCommand() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("NOOP").assertReply(250, "2.0.0");
            c.command("NOOP with an argument").assertReply(250, "2.0.0");
            c.command("RSET").assertReply(250, "2.0.0");
            c.command("VRFY postmaster").assertReply(252, "2.5.0");
            c.command("VRFY <someone@example.com>").assertReply(252, "2.5.0");
            Reply expn = c.command("EXPN staff");
            assertTrue(expn.code() == 502 || expn.code() == 252, expn::toString);
            Reply help = c.command("HELP").assertReply(214, "2.0.0");
            assertTrue(help.lines().size() > 1, "HELP is multi-line");
            c.command("HELP MAIL").assertCode(214);
            c.command("TURN").assertReply(502, "5.5.1");
            c.command("SEND FROM:<a@example.com>").assertReply(502, "5.5.1");
            c.command("SOML FROM:<a@example.com>").assertReply(502, "5.5.1");
            c.command("SAML FROM:<a@example.com>").assertReply(502, "5.5.1");
            c.command("XYZZY").assertReply(500, "5.5.2");
            c.command("AUTH PLAIN AGFiYwBkZWY=").assertReply(502, "5.5.1");
            c.command("QUIT").assertReply(221, "2.0.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void commandsAreCaseInsensitive() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            c.command("ehlo client.test").assertCode(250);
            c.command("mail from:<a@example.com>").assertCode(250);
            c.command("rcpt to:<b@example.com>").assertCode(250);
            c.command("rset").assertCode(250);
            c.command("quit").assertCode(221);
        }
    }

    @Test
    void wrongOrderGets503() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            c.command("MAIL FROM:<a@example.com>").assertReply(503, "5.5.1");
            c.command("RCPT TO:<b@example.com>").assertReply(503, "5.5.1");
            c.command("DATA").assertReply(503, "5.5.1");
            c.command("EHLO client.test").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertReply(503, "5.5.1");
            c.command("DATA").assertReply(503, "5.5.1");
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("MAIL FROM:<a@example.com>").assertReply(503, "5.5.1");
            c.command("DATA").assertReply(503, "5.5.1");
            c.command("RSET").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertReply(503, "5.5.1");
        }
    }

    @Test
    void ehloAgainResetsTheTransaction() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertCode(250);
            c.command("EHLO again.test").assertCode(250);
            c.command("DATA").assertReply(503, "5.5.1");
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM:a@example.com", "MAIL FROM:<a@@example.com>", "MAIL FROM:<a@example..com>",
            "MAIL FROM:<a@[300.1.1.1]>", "MAIL FROM:<\"open@example.com>"})
    void badSenderSyntaxGets501(String line) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command(line).assertReply(501, "5.1.7");
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        }
    }

    @Test
    void syntaxErrors() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            c.command("EHLO").assertReply(501, "5.5.4");
            c.command("HELO").assertReply(501, "5.5.4");
            c.command("EHLO client.test").assertCode(250);
            c.command("MAIL TO:<a@example.com>").assertReply(501, "5.5.4");
            c.command("MAIL FROM:<a@example.com> FOO=BAR").assertReply(555, "5.5.4");
            c.command("MAIL FROM:<a@example.com> SIZE=big").assertReply(501, "5.5.4");
            c.command("MAIL FROM:<a@example.com> BODY=8BITMIME").assertReply(250, "2.1.0");
            c.command("RCPT TO:<>").assertReply(501, "5.1.3");
            c.command("RCPT TO:<no-domain>").assertReply(501, "5.1.3");
            c.command("RCPT TO:<b@example.com> NOTIFY=NEVER").assertReply(555, "5.5.4");
            c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
            c.command("DATA extra").assertReply(501, "5.5.4");
            c.command("VRFY").assertReply(501, "5.5.4");
            c.command("QUIT now").assertReply(501, "5.5.4");
        }
    }

    @Test
    void nullReversePathAndSourceRoutesAreAccepted() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<>").assertReply(250, "2.1.0");
            c.command("RCPT TO:<@hop1.example,@hop2.example:b@example.com>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<Postmaster>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<user@[192.0.2.1]>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<user@[IPv6:2001:db8::1]>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<\"quoted user\"@example.com>").assertReply(250, "2.1.5");
        }
    }

    @Test
    void internationalAddressesNeedSmtputf8() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<josé@example.com>").assertReply(553, "5.6.7");
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<用户@例子.广告>").assertReply(553, "5.6.7");
            c.command("RSET").assertCode(250);
            c.command("MAIL FROM:<josé@example.com> SMTPUTF8").assertReply(250, "2.1.0");
            c.command("RCPT TO:<用户@例子.广告>").assertReply(250, "2.1.5");
        }
    }

    @Test
    void invalidUtf8IsASyntaxError() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.send(new byte[]{'N', 'O', 'O', 'P', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            c.expect(500);
            c.command("NOOP").assertCode(250);
        }
    }

    @Test
    void commandLineLimitIs512OctetsAndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            String exactly512 = "NOOP " + "x".repeat(512 - 5 - 2);
            c.command(exactly512).assertReply(250, "2.0.0");
            c.command(exactly512 + "x").assertReply(500, "5.5.6");
            c.command("NOOP " + "y".repeat(100_000)).assertReply(500, "5.5.6");
            c.command("NOOP").assertReply(250, "2.0.0");
        }
    }

    @Test
    void bareLfInACommandIsRejected() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.send("NOOP\n");
            c.expect(500);
            c.command("NOOP").assertCode(250);
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (SmtpTestClient c = connect()) {
            c.expect(220);
            c.send("EHLO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
                    + "RCPT TO:<bad>\r\nRCPT TO:<c@example.com>\r\nNOOP\r\nRSET\r\nNOOP\r\nQUIT\r\n");
            c.expect(250);
            c.read().assertReply(250, "2.1.0");
            c.read().assertReply(250, "2.1.5");
            c.read().assertReply(501, "5.1.3");
            c.read().assertReply(250, "2.1.5");
            c.read().assertReply(250, "2.0.0");
            c.read().assertReply(250, "2.0.0");
            c.read().assertReply(250, "2.0.0");
            c.read().assertReply(221, "2.0.0");
            assertTrue(c.closedByServer());
        }
    }
}
