package dev.mta.server.relay;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.QueueEntry;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.transport.smtp.HopHealth;
import dev.mta.relay.transport.smtp.SmtpTransport;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance test: 1,000 messages for a next hop that refuses connections. While it is down the relay
 * makes few connection attempts (counted), nothing bounces, and once it listens again every message is delivered
 * within one hop back-off period, although the queue's own retry delay is far longer.
 */
@ExtendWith(LeakGuard.class)
class RelayDeadHopTest {
    private static final int MESSAGES = 1_000;
    private static final int SESSIONS = 4;
    private static final HopHealth.Backoff BACKOFF = new HopHealth.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    /** Deferred mail comes back after 1 s, then every 30 s: only the hop's recovery makes it due sooner. */
    private static final List<Duration> RETRY = List.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final long DOWN_FOR_MILLIS = 8_000;

    @TempDir
    Path dir;

    @Test
    void aRefusingNextHopCostsFewAttemptsBouncesNothingAndGetsItsMailOnceBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        InetSocketAddress hop = new InetSocketAddress("127.0.0.1", port);
        RelaySettings relay = RelaySettings.smarthost(hop).withHopBackoff(BACKOFF);
        try (TestMta mta = TestMta.start(dir.resolve("spool"),
                c -> c.withRelay(relay).withRetry(RETRY, Duration.ofDays(5)))) {
            SmtpTransport smtp = mta.mta().relay().smtp();
            long started = System.currentTimeMillis();
            queue(mta);
            long queued = System.currentTimeMillis();
            Thread.sleep(DOWN_FOR_MILLIS);
            long attemptsWhileDown = smtp.connectionAttempts();
            long downMillis = System.currentTimeMillis() - started;
            System.out.printf("dead hop: %d messages queued in %d ms; %d connection attempts in %d ms down%n",
                    MESSAGES, queued - started, attemptsWhileDown, downMillis);

            assertTrue(smtp.health().isDown(hop), "the next hop is marked down");
            List<QueueEntry> waiting = mta.mta().queue().list();
            assertEquals(MESSAGES, waiting.size(), "every message still queued, and no DSN among them");
            for (QueueEntry e : waiting) {
                assertTrue(!e.sender().equals(MailPath.NULL), "no bounce: " + e);
                assertEquals(1, e.recipients().size());
            }
            // The first attempts race the first failure (at most --max-per-destination at once); after that, one
            // probe per back-off period (1, 2, 4, 4... s): a handful, not one per message or per retry.
            long bound = RelaySettings.DEFAULT_MAX_PER_DESTINATION + downMillis / BACKOFF.min().toMillis();
            assertTrue(attemptsWhileDown <= bound, attemptsWhileDown + " attempts while down, bound " + bound);
            assertTrue(attemptsWhileDown >= 2, "tried, and probed at least once: " + attemptsWhileDown);

            try (ScriptedSmtpServer next = new ScriptedSmtpServer(port)) {
                long back = System.currentTimeMillis();
                long deadline = back + BACKOFF.max().toMillis() + 6_000;
                while (mta.queuedCount() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                long took = System.currentTimeMillis() - back;
                System.out.printf("dead hop: back; %d of %d delivered %d ms later (hop back-off max %d ms);"
                                + " %d connection attempts after it came back%n", next.received.size(), MESSAGES, took,
                        BACKOFF.max().toMillis(), smtp.connectionAttempts() - attemptsWhileDown);
                assertEquals(0, mta.queuedCount(), "all delivered within one back-off period of its return");
                assertEquals(MESSAGES, next.received.size());
                assertTrue(!smtp.health().isDown(hop));
            }
        }
    }

    /** {@link #MESSAGES} small messages over {@link #SESSIONS} sessions at once, the envelope pipelined. */
    private static void queue(TestMta mta) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                done.add(clients.submit(() -> {
                    try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                        for (int i = 0; i < MESSAGES / SESSIONS; i++) {
                            c.send("MAIL FROM:<alice@sender.test>\r\nRCPT TO:<bob@dest.test>\r\nDATA\r\n");
                            c.read().assertCode(250);
                            c.read().assertCode(250);
                            c.read().assertCode(354);
                            c.send("Subject: " + session + "-" + i + "\r\n\r\nsmall\r\n.\r\n");
                            c.read().assertCode(250);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
    }
}
