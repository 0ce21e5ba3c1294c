package dev.mta.server.hardening;

import dev.mta.testkit.LeakGuard;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that move no mail forward (NOOP, RSET, VRFY, EXPN, HELP, a repeated HELO/EHLO) are limited as by
 * Postfix's smtpd_junk_command_limit: past --max-junk-commands each one also counts as an error, and at
 * --max-errors the session ends with 421 4.7.0. A queued message forgives them, so ordinary sessions, and clients
 * that reuse a connection with an RSET before each message, never meet the limit.
 */
@ExtendWith(LeakGuard.class)
class JunkCommandLimitTest {
    private static final ServerConfig DEFAULTS = ServerConfig.defaults();

    @TempDir
    Path spool;

    @Test
    void noopsPastTheJunkLimitCountAsErrorsUntilTheSessionEnds() throws Exception {
        // With the defaults (100 junk commands, 20 errors): the 101st NOOP is the first error, the 120th the 20th.
        int answered = DEFAULTS.maxJunkCommands() + DEFAULTS.maxErrors() - 1;
        assertEquals(119, answered);
        try (TestMta mta = TestMta.start(spool);
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            for (int i = 1; i <= answered; i++) {
                Reply r = c.command("NOOP");
                int n = i;
                assertEquals(250, r.code(), () -> "NOOP " + n + " got " + r);
            }
            c.command("NOOP").assertReply(421, "4.7.0");
            assertTrue(c.closedByServer(), "the session ends after the 421");
        }
    }

    @Test
    void everyKindOfJunkCountsAndTheFirstHelloDoesNot() throws Exception {
        // Each with the reply it gets while under the limit.
        List<String> junk = List.of("NOOP", "RSET", "VRFY postmaster", "EXPN staff", "HELP", "EHLO again.test",
                "HELO again.test");
        List<Integer> codes = List.of(250, 250, 252, 502, 214, 250, 250);
        try (TestMta mta = TestMta.start(spool, c -> c.withMaxJunkCommands(10).withMaxErrors(3));
             SmtpTestClient c = SmtpTestClient.connect(mta.address())) {
            c.expect(220);
            c.command("EHLO first.test").assertCode(250); // the first hello is not junk
            // 10 junk commands within the limit, then 2 past it (errors 1 and 2), all answered as usual.
            for (int i = 0; i < 12; i++) {
                int k = i % junk.size();
                Reply r = c.command(junk.get(k));
                assertEquals(codes.get(k), r.code(), () -> junk.get(k) + " got " + r);
            }
            c.command(junk.get(12 % junk.size())).assertReply(421, "4.7.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aFewRsetsBetweenMessagesAreNothingToWorryAbout() throws Exception {
        try (TestMta mta = TestMta.start(spool);
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            for (int i = 0; i < 5; i++) {
                c.command("RSET").assertReply(250, "2.0.0");
                sendMessage(c, i);
                c.command("NOOP").assertReply(250, "2.0.0");
            }
            c.command("QUIT").assertReply(221, "2.0.0");
            assertEquals(5, mta.queuedCount());
        }
    }

    @Test
    void aQueuedMessageForgivesTheJunkBeforeIt() throws Exception {
        // A client reusing its connection (an RSET and a NOOP before each message) sends far more junk in all than
        // the limit allows; each queued message starts the count again.
        int messages = 30;
        try (TestMta mta = TestMta.start(spool, c -> c.withMaxJunkCommands(3).withMaxErrors(2));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            for (int i = 0; i < messages; i++) {
                c.command("RSET").assertReply(250, "2.0.0");
                c.command("NOOP").assertReply(250, "2.0.0");
                c.command("RSET").assertReply(250, "2.0.0");
                sendMessage(c, i);
            }
            c.command("QUIT").assertReply(221, "2.0.0");
            assertEquals(messages, mta.queuedCount());
        }
    }

    private static void sendMessage(SmtpTestClient c, int i) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
        c.command("DATA").assertCode(354);
        c.send("Subject: message " + i + "\r\n\r\nbody\r\n.\r\n");
        TestMta.queueId(c.read());
    }
}
