package dev.mta.server.smtp;

import dev.mta.server.config.ServerConfig;
import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts, connection and error limits, and the 421 a client gets when the server shuts down. */
@ExtendWith(LeakGuard.class)
class SmtpLimitsTest {
    @TempDir
    Path spool;

    @Test
    void idleClientGets421AfterTheCommandTimeout() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5)));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            long start = System.nanoTime();
            c.read().assertReply(421, "4.4.2");
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(900).toNanos(), "not before the timeout");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void activityKeepsTheSessionAlive() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5)));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            for (int i = 0; i < 6; i++) {
                Thread.sleep(400);
                c.command("NOOP").assertCode(250);
            }
        }
    }

    @Test
    void stalledDataGets421AndNothingIsQueued() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5)));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: stalled\r\n\r\nhalf a message\r\n");
            c.read().assertReply(421, "4.4.2");
            assertTrue(c.closedByServer());
            assertEquals(0, mta.queuedCount());
            mta.restart();
            assertEquals(0, mta.queuedCount());
        }
    }

    @Test
    void connectionsBeyondTheLimitGet421() throws Exception {
        ServerConfig base = TestMta.config(spool);
        try (TestMta mta = TestMta.start(spool, c -> c.withLimits(base.maxMessageSize(), base.maxRecipients(), 2));
             SmtpTestClient first = SmtpTestClient.greeted(mta.address());
             SmtpTestClient second = SmtpTestClient.greeted(mta.address())) {
            try (SmtpTestClient third = SmtpTestClient.connect(mta.address())) {
                third.read().assertReply(421, "4.3.2");
                assertTrue(third.closedByServer());
            }
            first.command("QUIT").assertCode(221);
            first.closedByServer();
            // The slot comes back once the first connection is gone.
            long deadline = System.currentTimeMillis() + 5000;
            while (mta.mta().smtpServer().openConnections() > 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            try (SmtpTestClient fourth = SmtpTestClient.connect(mta.address())) {
                fourth.read().assertCode(220);
            }
            second.command("NOOP").assertCode(250);
        }
    }

    @Test
    void tooManyBadCommandsEndTheSession() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c.withMaxErrors(3));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("BOGUS").assertReply(500, "5.5.2");
            c.command("MAIL FROM:broken").assertCode(501);
            c.command("ALSO BOGUS").assertReply(421, "4.7.0");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void shutdownSends421ToIdleSessionsAndStopsListening() throws Exception {
        TestMta mta = TestMta.start(spool);
        SmtpTestClient idle = SmtpTestClient.greeted(mta.address());
        SmtpTestClient fresh = SmtpTestClient.connect(mta.address());
        fresh.expect(220);
        mta.close();
        idle.read().assertReply(421, "4.3.2");
        assertTrue(idle.closedByServer());
        fresh.read().assertReply(421, "4.3.2");
        idle.close();
        fresh.close();
        assertThrows(ConnectException.class, () -> SmtpTestClient.connect(mta.address()));
    }

    @Test
    void shutdownLetsAMessageInFlightFinishThenSends421() throws Exception {
        TestMta mta = TestMta.start(spool);
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: in flight\r\n\r\nfirst half\r\n");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(mta::close);
            Thread.sleep(300);
            c.send("second half\r\n.\r\n");
            Reply queued = c.read();
            String id = TestMta.queueId(queued);
            c.read().assertReply(421, "4.3.2");
            closing.get();
            mta.restart();
            assertTrue(mta.queued(id).envelope().recipients().contains("b@example.com"), "kept across the restart");
            mta.close();
        }
    }
}
