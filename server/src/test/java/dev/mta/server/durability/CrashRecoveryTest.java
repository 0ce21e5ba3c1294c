package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.model.QueueEntry;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real MTA process with SIGKILL while 24 sessions send, restarts the queue from disk, and checks with the
 * clients' own record that every message that got 250 is there with its recipients, byte for byte.
 */
class CrashRecoveryTest {
    private static final int SESSIONS = 24;

    /** What a client sent and had acknowledged. */
    private record Acked(List<String> recipients, byte[] body) {
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "kill {0} ms after 30 messages were accepted")
    @ValueSource(ints = {0, 250, 700})
    void everyAcknowledgedMessageSurvivesSigkill(int killAfterMillis) throws Exception {
        Path spool = dir.resolve("spool");
        int port = MtaProcess.freePort();
        Process mta = MtaProcess.start(port, spool, dir.resolve("mta.log"), List.of("--no-relay"));
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        try {
            MtaProcess.awaitListening(port);
            for (int s = 0; s < SESSIONS; s++) {
                final int session = s;
                Thread t = new Thread(() -> sendUntilCut(port, session, acked, killed, failures), "client-" + s);
                t.start();
                clients.add(t);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (acked.size() < 30 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(killAfterMillis);
        } finally {
            killed.set(true); // from here on a connection that breaks was cut by the kill
            mta.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(mta.waitFor(10, TimeUnit.SECONDS));
        }
        for (Thread t : clients) {
            t.join(30_000);
            assertFalse(t.isAlive(), t.getName() + " did not notice the kill");
        }
        assertTrue(failures.isEmpty(), () -> "sessions failed other than by the kill:\n" + String.join("\n", failures));
        assertTrue(acked.size() > SESSIONS, "the clients got messages accepted before the kill: " + acked.size());

        try (DurableQueue queue = DurableQueue.open(QueueConfig.defaults(spool))) {
            for (Map.Entry<String, Acked> e : acked.entrySet()) {
                String id = e.getKey();
                QueueEntry entry = queue.find(id).orElseThrow(() -> new AssertionError("acknowledged " + id + " was lost"));
                assertEquals(e.getValue().recipients(),
                        entry.recipients().stream().map(QueueEntry.Recipient::address).collect(Collectors.toList()));
                assertArrayEquals(e.getValue().body(), TestMta.withoutReceived(queue.body(id).orElseThrow().readAll()),
                        "body of " + id);
                assertEquals(e.getValue().recipients(), queue.envelope(id).orElseThrow().recipients().stream()
                        .map(dev.mta.protocol.command.MailPath::address).collect(Collectors.toList()));
            }
            assertTrue(queue.size() >= acked.size());
            System.out.printf("kill +%d ms: %d acknowledged, %d recovered%n", killAfterMillis, acked.size(), queue.size());
        }
    }

    /**
     * One session sending messages until the server goes away; records each 250 with what was sent. Only a
     * connection that breaks (end of stream, reset, broken pipe: an IOException) after the kill ends it quietly.
     * A wrong reply at any time, or a broken connection before the kill, is put in {@code failures} and fails the
     * test.
     */
    private static void sendUntilCut(int port, int session, Map<String, Acked> acked, AtomicBoolean killed,
                                     Queue<String> failures) {
        Random random = new Random(session);
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            for (int n = 0; ; n++) {
                List<String> rcpts = List.of("s" + session + "n" + n + "@one.example", "copy" + n + "@two.example");
                // Mostly small, some past the inline limit so they are written ahead as chunks.
                int size = n % 10 == 9 ? 150_000 + random.nextInt(100_000) : 200 + random.nextInt(20_000);
                byte[] body = body(session, n, size, random);
                c.command("MAIL FROM:<sender" + session + "@example.com>").assertCode(250);
                for (String r : rcpts) {
                    c.command("RCPT TO:<" + r + ">").assertCode(250);
                }
                c.command("DATA").assertCode(354);
                c.send(stuffed(body));
                c.send(".\r\n");
                Reply r = c.read().assertCode(250);
                acked.put(TestMta.queueId(r), new Acked(rcpts, body));
            }
        } catch (IOException e) {
            if (!killed.get()) {
                failures.add("session " + session + ": connection broke before the kill: " + e);
            }
            // Otherwise the server was killed: the connection was cut.
        } catch (AssertionError | RuntimeException e) {
            failures.add("session " + session + ": wrong reply" + (killed.get() ? " (after the kill)" : "") + ": "
                    + e.getMessage());
        }
    }

    private static byte[] body(int session, int n, int size, Random random) {
        StringBuilder sb = new StringBuilder(size + 100);
        sb.append("Subject: session ").append(session).append(" message ").append(n).append("\r\n\r\n");
        while (sb.length() < size) {
            sb.append(random.nextInt(10) == 0 ? "." : "").append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] stuffed(byte[] body) {
        String s = new String(body, StandardCharsets.US_ASCII);
        s = (s.startsWith(".") ? "." : "") + s.replace("\r\n.", "\r\n..");
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
