package dev.mta.server.hardening;

import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DATA phase as a whole is bounded: by its total time (max-data-time) and by an average rate the client
 * must keep up (min-data-rate, as Postfix's smtpd_min_data_rate), however often single bytes arrive to keep
 * the data timeout from firing. A cut message is not queued.
 */
@ExtendWith(LeakGuard.class)
class DataDeadlineTest {
    private static final byte[] TEXT =
            "Subject: trickle\r\n\r\none byte at a time\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path spool;

    @Test
    void aTrickleIsCutAtTheTotalDataTime() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c.withDataLimits(Duration.ofSeconds(3), 0));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            startData(c);
            long start = System.nanoTime();
            Thread trickle = trickle(c, Duration.ofMillis(300), 40);
            try {
                c.setReadTimeout(10_000);
                c.read().assertReply(421, "4.4.2");
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= Duration.ofMillis(2900).toNanos(), "not before max-data-time: " + elapsed);
                assertTrue(c.closedByServer());
            } finally {
                trickle.interrupt();
                trickle.join(5000);
            }
            assertEquals(0, mta.queuedCount());
            mta.restart();
            assertEquals(0, mta.queuedCount(), "nothing of the cut message is recovered");
        }
    }

    @Test
    void aClientBelowTheMinimumRateIsCutSoonAfterTheDataTimeout() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withDataLimits(Duration.ofMinutes(30), 1000));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            startData(c);
            long start = System.nanoTime();
            // 5 bytes/s: each byte buys 1 ms beyond the 2 s the data timeout grants at the start.
            Thread trickle = trickle(c, Duration.ofMillis(200), 40);
            try {
                c.setReadTimeout(7_000);
                c.read().assertReply(421, "4.4.2");
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= Duration.ofMillis(1900).toNanos(), "not before the data timeout: " + elapsed);
                assertTrue(c.closedByServer());
            } finally {
                trickle.interrupt();
                trickle.join(5000);
            }
            assertEquals(0, mta.queuedCount());
        }
    }

    @Test
    void aMessageAtAnOrdinaryPaceIsQueuedUnderTheSameLimits() throws Exception {
        try (TestMta mta = TestMta.start(spool, c -> c
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withDataLimits(Duration.ofSeconds(3), 1000));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            startData(c);
            StringBuilder body = new StringBuilder("Subject: ordinary\r\n\r\n");
            while (body.length() < 300_000) {
                body.append("a line of an ordinary message, sent as fast as the socket takes it\r\n");
            }
            c.send(body + ".\r\n");
            String id = TestMta.queueId(c.read());
            assertTrue(mta.queued(id).envelope().recipients().contains("b@example.com"));
            c.command("QUIT").assertReply(221, "2.0.0");
        }
    }

    private static void startData(SmtpTestClient c) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
        c.command("DATA").assertCode(354);
    }

    /** Sends the message text one byte per {@code interval}, at most {@code max} bytes, until cut or interrupted. */
    private static Thread trickle(SmtpTestClient c, Duration interval, int max) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < max; i++) {
                    c.send(new byte[]{TEXT[i % TEXT.length]});
                    Thread.sleep(interval.toMillis());
                }
            } catch (IOException | InterruptedException stopped) {
                // cut by the server, or the test is done
            }
        }, "trickle");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
