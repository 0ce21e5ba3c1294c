package dev.mta.server.smtp;

import dev.mta.server.support.SpooledMessage;
import dev.mta.server.config.ServerConfig;
import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message content over a real socket: what is acknowledged is in the spool byte for byte; nothing else is. */
@ExtendWith(LeakGuard.class)
class SmtpDataTest {
    private static final int MAX_SIZE = 64 * 1024;
    private static final int MAX_RCPTS = 5;

    @TempDir
    static Path spool;
    static TestMta mta;
    private int queuedBefore;

    @BeforeAll
    static void start() throws Exception {
        mta = TestMta.start(spool, c -> c.withLimits(MAX_SIZE, MAX_RCPTS, ServerConfig.defaults().maxConnections()));
    }

    @AfterAll
    static void stop() {
        mta.close();
    }

    @BeforeEach
    void count() {
        queuedBefore = mta.queuedCount();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void envelope(SmtpTestClient c, String from, String... to) throws Exception {
        c.command("MAIL FROM:<" + from + ">").assertReply(250, "2.1.0");
        for (String t : to) {
            c.command("RCPT TO:<" + t + ">").assertReply(250, "2.1.5");
        }
        c.command("DATA").assertCode(354);
    }

    @Test
    void messageIsSpooledByteExactWithItsEnvelope() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "sender@example.com", "one@example.com", "two@example.org");
            c.send("Subject: hello\r\n\r\n..starts with a dot\r\n..\r\n...\r\nlast line\r\n.\r\n");
            String id = TestMta.queueId(c.read());
            SpooledMessage m = mta.queued(id);
            assertEquals("sender@example.com", m.envelope().reversePath());
            assertEquals(List.of("one@example.com", "two@example.org"), m.envelope().recipients());
            assertEquals("127.0.0.1", m.envelope().clientAddress());
            assertEquals("client.test", m.envelope().heloName());
            assertEquals("ESMTP", m.envelope().protocol());
            assertArrayEquals(ascii("Subject: hello\r\n\r\n.starts with a dot\r\n.\r\n..\r\nlast line\r\n"),
                    TestMta.withoutReceived(m.body()));
            String received = new String(m.body(), StandardCharsets.ISO_8859_1);
            assertTrue(received.startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.test with ESMTP id " + id),
                    received);
        }
    }

    @Test
    void singleRecipientIsNamedInReceivedAndParametersAreKept() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<> SIZE=100 BODY=8BITMIME").assertCode(250);
            c.command("RCPT TO:<only@example.com>").assertCode(250);
            c.command("DATA").assertCode(354);
            byte[] body = "Subject: caf\u00e9\r\n\r\nna\u00efve 8-bit body\r\n".getBytes(StandardCharsets.UTF_8);
            c.send(body);
            c.send(".\r\n");
            SpooledMessage m = mta.queued(TestMta.queueId(c.read()));
            assertEquals("", m.envelope().reversePath());
            assertEquals("SIZE=100 BODY=8BITMIME", m.envelope().mailParameters());
            assertArrayEquals(body, TestMta.withoutReceived(m.body()));
            assertTrue(new String(m.body(), StandardCharsets.ISO_8859_1).contains("\tfor <only@example.com>;"));
        }
    }

    @Test
    void emptyMessage() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "a@example.com", "b@example.com");
            c.send(".\r\n");
            SpooledMessage m = mta.queued(TestMta.queueId(c.read()));
            assertEquals(0, TestMta.withoutReceived(m.body()).length);
        }
    }

    @Test
    void manyMessagesInOneSession() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            for (int i = 0; i < 25; i++) {
                envelope(c, "a@example.com", "b" + i + "@example.com");
                c.send("Subject: " + i + "\r\n\r\nbody " + i + "\r\n.\r\n");
                SpooledMessage m = mta.queued(TestMta.queueId(c.read()));
                assertArrayEquals(ascii("Subject: " + i + "\r\n\r\nbody " + i + "\r\n"), TestMta.withoutReceived(m.body()));
                assertEquals(List.of("b" + i + "@example.com"), m.envelope().recipients());
            }
        }
        assertEquals(queuedBefore + 25, mta.queuedCount());
    }

    @Test
    void wholeTransactionsPipelined() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            // RFC 2920: the client waits for 354, but may send the next transaction right after the final dot.
            c.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            c.read().assertCode(250);
            c.read().assertCode(250);
            c.read().assertCode(354);
            c.send("first\r\n.\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");
            String first = TestMta.queueId(c.read());
            c.read().assertCode(250);
            c.read().assertCode(250);
            c.read().assertCode(354);
            c.send("second\r\n.\r\nNOOP\r\nQUIT\r\n");
            String second = TestMta.queueId(c.read());
            c.read().assertCode(250);
            c.read().assertCode(221);
            assertArrayEquals(ascii("first\r\n"), TestMta.withoutReceived(mta.queued(first).body()));
            assertArrayEquals(ascii("second\r\n"), TestMta.withoutReceived(mta.queued(second).body()));
            assertEquals(List.of("c@example.com"), mta.queued(second).envelope().recipients());
        }
    }

    @Test
    void declaredSizeOverTheLimitGets552() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com> SIZE=" + (MAX_SIZE + 1)).assertReply(552, "5.3.4");
            c.command("MAIL FROM:<a@example.com> SIZE=" + MAX_SIZE).assertReply(250, "2.1.0");
        }
    }

    @Test
    void contentOverTheLimitGets552AndTheSessionGoesOn() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "a@example.com", "b@example.com");
            String line = "x".repeat(998) + "\r\n";
            StringBuilder big = new StringBuilder();
            while (big.length() <= MAX_SIZE + 5000) {
                big.append(line);
            }
            c.send(big + ".\r\n");
            c.read().assertReply(552, "5.3.4");
            envelope(c, "a@example.com", "b@example.com");
            c.send("small\r\n.\r\n");
            TestMta.queueId(c.read());
        }
        assertEquals(queuedBefore + 1, mta.queuedCount());
    }

    @Test
    void recipientsBeyondTheLimitGet452() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            for (int i = 0; i < MAX_RCPTS; i++) {
                c.command("RCPT TO:<r" + i + "@example.com>").assertReply(250, "2.1.5");
            }
            c.command("RCPT TO:<over@example.com>").assertReply(452, "4.5.3");
            c.command("DATA").assertCode(354);
            c.send("body\r\n.\r\n");
            SpooledMessage m = mta.queued(TestMta.queueId(c.read()));
            assertEquals(MAX_RCPTS, m.envelope().recipients().size());
        }
    }

    /** SMTP smuggling: a bare LF or CR around a dot never ends the message, and the message is refused whole. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\r\n.\r", "\r.\r", "\n.\r"})
    void smugglingIsRejectedAndNeverSplitsAMessage(String endShape) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "a@example.com", "b@example.com");
            c.send("Subject: real\r\n\r\nreal body" + endShape
                    + "MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\nsmuggled\r\n.\r\n");
            c.read().assertReply(550, "5.5.2");
            c.command("NOOP").assertReply(250, "2.0.0");
        }
        assertEquals(queuedBefore, mta.queuedCount(), "nothing may be queued from a smuggling attempt");
    }

    @Test
    void bareLfInsideABodyLineIsRejected() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "a@example.com", "b@example.com");
            c.send("line one\nline two\r\n.\r\n");
            c.read().assertReply(550, "5.5.2");
        }
        assertEquals(queuedBefore, mta.queuedCount());
    }

    @Test
    void clientDisconnectingMidDataLeavesNothingQueued() throws Exception {
        for (int i = 0; i < 5; i++) {
            SmtpTestClient c = SmtpTestClient.greeted(mta.address());
            envelope(c, "a@example.com", "b@example.com");
            c.send("Subject: cut\r\n\r\n" + "partial line\r\n".repeat(2000 * (i + 1)));
            c.close();
        }
        assertEquals(queuedBefore, mta.queuedCount(), "nothing half-written may be queued");
        // Nor after a restart, when the queue is rebuilt from disk alone.
        mta.restart();
        assertEquals(queuedBefore, mta.queuedCount(), "nothing half-written may be recovered");
    }

    @Test
    void quitRightAfterTheDotStillGetsTheQueueReplyFirst() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            envelope(c, "a@example.com", "b@example.com");
            c.send("body\r\n.\r\nQUIT\r\n");
            Reply queued = c.read();
            TestMta.queueId(queued);
            c.read().assertReply(221, "2.0.0");
            assertTrue(c.closedByServer());
        }
    }
}
