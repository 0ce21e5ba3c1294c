package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.NativeMemory;
import dev.mta.server.support.NonReadingClient;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer memory of sessions, measured from outside in an MTA with a 64 MB heap (and so 64 MB of direct memory),
 * by a thousand clients at once, the default --max-connections.
 *
 * <p>Clients that pipeline EHLO without end and never read: each stalled session must hold only a small, bounded
 * amount, so they all fit, no session runs out of direct memory, a new client is greeted and queues a message, and a
 * session opened before the flood still gets its replies. Clients that send a batch of commands ending in half a
 * command and then wait: each session holds that half, not the read buffer it came in.
 */
class StalledConnectionsMemoryTest {
    private static final int CLIENTS = 1000;
    /** Direct memory one stalled session may hold: its last read, at most 8 KiB of replies, allocator slack. */
    private static final long STALLED_LIMIT = 32 << 10;
    /** Direct memory one waiting session with half a command may hold. */
    private static final long WAITING_LIMIT = 4 << 10;

    @TempDir
    Path dir;

    @Test
    void aThousandStalledSessionsFitInASmallHeap() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = startMta(port, log);
        List<NonReadingClient> flooders = new ArrayList<>();
        try {
            MtaProcess.awaitListening(port);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (SmtpTestClient idle = SmtpTestClient.greeted(address)) {
                long atRest = NativeMemory.other(mta.pid());
                for (int i = 0; i < CLIENTS; i++) {
                    // 64 KiB of EHLO per write, up to 4 MB each: the socket buffers stall the writes long before.
                    flooders.add(NonReadingClient.connect(address, 4096, 16_384, "EHLO a\r\n", "EHLO a\r\n", 8192,
                            4L << 20));
                }
                boolean stalled = NonReadingClient.floodUntilStalled(flooders, Duration.ofSeconds(2),
                        Duration.ofSeconds(60));
                long total = flooders.stream().mapToLong(NonReadingClient::written).sum();
                long dropped = flooders.stream().filter(NonReadingClient::writeFailed).count();
                System.out.printf("%d flooders: the server took %,d bytes in all, stalled=%s, dropped=%d%n",
                        CLIENTS, total, stalled, dropped);
                assertTrue(stalled, () -> "the writes did not stall: " + tail(log));
                assertEquals(0, dropped, () -> "the server dropped flooding clients: " + tail(log));
                // The kernel takes the clients' bytes before the server has read them: wait until it has caught up.
                assertTrue(MtaProcess.awaitIdle(mta, Duration.ofSeconds(60)), "the MTA is still busy");
                long stalledNow = NativeMemory.other(mta.pid());
                long perSession = perSession(atRest, stalledNow);
                System.out.printf("direct memory: %,d bytes at rest, %,d with %d stalled sessions: %,d each%n",
                        atRest, stalledNow, CLIENTS, perSession);

                // A new client is greeted promptly and its message is queued.
                try (SmtpTestClient fresh = SmtpTestClient.connect(address)) {
                    fresh.setReadTimeout(10_000);
                    fresh.expect(220);
                    fresh.command("EHLO fresh.test").assertCode(250);
                    sendMessage(fresh);
                }
                // The session opened before the flood is still answered.
                idle.setReadTimeout(10_000);
                sendMessage(idle);
                idle.command("QUIT").assertReply(221, "2.0.0");
                assertTrue(mta.isAlive(), () -> "the MTA died: " + tail(log));
                assertFalse(Files.readString(log).contains("OutOfMemoryError"), () -> tail(log));
                // -1 when jcmd cannot attach: then the behaviour above is all this test can check.
                assertTrue(perSession <= STALLED_LIMIT, () -> perSession + " bytes per stalled session");
            }
        } finally {
            for (NonReadingClient c : flooders) {
                closeQuietly(c);
            }
            stop(mta);
        }
    }

    @Test
    void aThousandSessionsWaitingWithHalfACommandHoldOnlyThatHalf() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = startMta(port, log);
        // 30 KB of pipelined commands, read in several reads, the last one ending in half a command.
        byte[] batch = ("EHLO waiting.test\r\nMAIL FROM:<a@example.com>\r\n" + "RCPT TO:<b@example.com>\r\n".repeat(1200)
                + "RCPT TO:<b@exa").getBytes(StandardCharsets.US_ASCII);
        List<Socket> clients = new ArrayList<>();
        try {
            MtaProcess.awaitListening(port);
            long atRest = NativeMemory.other(mta.pid());
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket("127.0.0.1", port);
                clients.add(s);
                // The replies (about 29 KB) fit in this client's socket buffers: nothing stalls, the session waits.
                s.getOutputStream().write(batch);
            }
            assertTrue(MtaProcess.awaitIdle(mta, Duration.ofSeconds(60)), "the MTA is still busy");
            long waiting = NativeMemory.other(mta.pid());
            long perSession = perSession(atRest, waiting);
            System.out.printf("direct memory: %,d bytes at rest, %,d with %d waiting sessions: %,d each%n",
                    atRest, waiting, CLIENTS, perSession);
            assertTrue(mta.isAlive(), () -> "the MTA died: " + tail(log));
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), () -> tail(log));
            assertTrue(perSession <= WAITING_LIMIT, () -> perSession + " bytes per waiting session");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            stop(mta);
        }
    }

    private static Process startMta(int port, Path log) throws IOException {
        return MtaProcess.start(port, log.resolveSibling("spool"), log,
                List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", NativeMemory.TRACKING),
                // EHLO after the first is junk: the junk-command limit would end the floods before they stall.
                List.of("--no-relay", "--max-connections", String.valueOf(CLIENTS + 100),
                        "--max-junk-commands", String.valueOf(Integer.MAX_VALUE)));
    }

    /** Direct memory per client between two readings; -1 when jcmd could not take them. */
    private static long perSession(long before, long after) {
        return before >= 0 && after >= 0 ? (after - before) / CLIENTS : -1;
    }

    private static void stop(Process mta) throws InterruptedException {
        mta.destroy();
        if (!mta.waitFor(20, TimeUnit.SECONDS)) {
            mta.destroyForcibly();
        }
    }

    private static void sendMessage(SmtpTestClient c) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
        c.command("DATA").assertCode(354);
        c.send("Subject: among stalled sessions\r\n\r\nstill served\r\n.\r\n");
        TestMta.queueId(c.read());
    }

    private static void closeQuietly(NonReadingClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the server may have reset it
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
