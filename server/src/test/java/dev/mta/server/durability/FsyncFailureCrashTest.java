package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.model.QueueEntry;
import dev.mta.server.FaultyMtaMain;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An fsync fails in a real MTA process, which then is killed with SIGKILL. The failure drops what the fsync covered,
 * as Linux may, including the chunks a large message in mid-DATA had written ahead. After recovery every message that
 * got 250 is there byte for byte, and none that got 451 is: the failed segment was sealed and the next one voids it.
 */
class FsyncFailureCrashTest {
    private static final int SESSIONS = 8;

    @TempDir
    Path dir;

    @Test
    void nothingAnswered451IsDeliveredAndNothingAcknowledgedIsLost() throws Exception {
        Path spool = dir.resolve("spool");
        Path triggers = Files.createDirectories(dir.resolve("triggers"));
        int port = MtaProcess.freePort();
        Process mta = FaultyMtaMain.launch(triggers, port, spool, dir.resolve("mta.log"), "--no-relay");
        Map<String, byte[]> acked = new ConcurrentHashMap<>();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        AtomicInteger ackedAfterRefusal = new AtomicInteger();
        try {
            MtaProcess.awaitListening(port);
            runLoad(port, 0, acked, refused, ackedAfterRefusal, () -> acked.size() >= 40);

            // A large message streams in and waits: its first chunks are written ahead, not yet fsynced.
            try (SmtpTestClient slow = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
                slow.command("MAIL FROM:<slow@example.com>").assertCode(250);
                slow.command("RCPT TO:<slow@example.net>").assertCode(250);
                slow.command("DATA").assertCode(354);
                byte[] big = body("slow", 400_000, new Random(7));
                slow.send(java.util.Arrays.copyOf(big, 300_000));
                Thread.sleep(300);
                // The next fsync fails, and takes with it what it covered, those chunks included.
                Files.createFile(triggers.resolve("fail-fsync"));
                sendOne(port, "trigger", acked, refused, ackedAfterRefusal);
                assertTrue(refused.contains("trigger"), "the batch whose fsync failed is refused");
                slow.send(java.util.Arrays.copyOfRange(big, 300_000, big.length));
                slow.send(".\r\n");
                record(slow.read(), "slow", big, acked, refused, ackedAfterRefusal);
            }
            runLoad(port, 100, acked, refused, ackedAfterRefusal, () -> ackedAfterRefusal.get() >= 20);
        } finally {
            mta.destroyForcibly(); // SIGKILL
            assertTrue(mta.waitFor(10, TimeUnit.SECONDS));
        }
        String log = Files.readString(dir.resolve("mta.log"));
        assertTrue(log.contains("fsync failed"), log);

        try (DurableQueue queue = DurableQueue.open(QueueConfig.defaults(spool))) {
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                QueueEntry entry = queue.find(e.getKey()).orElseThrow(() ->
                        new AssertionError("acknowledged " + e.getKey() + " was lost"));
                assertArrayEquals(e.getValue(), TestMta.withoutReceived(queue.body(entry.id()).orElseThrow().readAll()));
            }
            for (QueueEntry e : queue.list()) {
                String body = new String(queue.body(e.id()).orElseThrow().readAll(), StandardCharsets.ISO_8859_1);
                String tag = body.substring(body.indexOf("X-Test: ") + 8, body.indexOf("\r\n", body.indexOf("X-Test: ")));
                assertFalse(refused.contains(tag), "message " + tag + " was answered 451 and came back");
            }
            System.out.printf("fsync failure: %d acknowledged (%d after the failure), answered 451: %s; %d recovered%n",
                    acked.size(), ackedAfterRefusal.get(), refused, queue.size());
        }
    }

    /** Sessions sending at once until {@code enough}; each stops after its current message. */
    private static void runLoad(int port, int firstSession, Map<String, byte[]> acked, Set<String> refused,
                                AtomicInteger ackedAfterRefusal, java.util.function.BooleanSupplier enough)
            throws InterruptedException {
        List<Thread> clients = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            final int session = firstSession + s;
            Thread t = new Thread(() -> send(port, session, acked, refused, ackedAfterRefusal, enough), "client-" + s);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(60_000);
        }
        assertTrue(enough.getAsBoolean(), "the load got far enough: " + acked.size() + " acknowledged");
    }

    private static void sendOne(int port, String tag, Map<String, byte[]> acked, Set<String> refused,
                                AtomicInteger ackedAfterRefusal) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            byte[] body = body(tag, 500, new Random(1));
            c.command("MAIL FROM:<t@example.com>").assertCode(250);
            c.command("RCPT TO:<t@example.net>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send(body);
            c.send(".\r\n");
            record(c.read(), tag, body, acked, refused, ackedAfterRefusal);
        }
    }

    private static void record(Reply r, String tag, byte[] body, Map<String, byte[]> acked, Set<String> refused,
                               AtomicInteger ackedAfterRefusal) {
        if (r.code() == 250) {
            acked.put(TestMta.queueId(r), body);
            if (!refused.isEmpty()) {
                ackedAfterRefusal.incrementAndGet();
            }
        } else if (r.code() == 451) {
            refused.add(tag);
        } else {
            throw new AssertionError("unexpected " + r);
        }
    }

    private static byte[] body(String tag, int size, Random random) {
        StringBuilder sb = new StringBuilder("X-Test: " + tag + "\r\nSubject: " + tag + "\r\n\r\n");
        while (sb.length() < size) {
            sb.append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitCount(java.util.function.IntSupplier count, int atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (count.getAsInt() < atLeast) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited for " + atLeast + ", have " + count.getAsInt());
            }
            Thread.sleep(5);
        }
    }

    private static void send(int port, int session, Map<String, byte[]> acked, Set<String> refused,
                             AtomicInteger ackedAfterRefusal, java.util.function.BooleanSupplier enough) {
        Random random = new Random(session);
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            for (int n = 0; !enough.getAsBoolean(); n++) {
                String tag = "s" + session + "n" + n;
                // Some past the 128 KiB inline limit: their chunks are written ahead, before their own fsync.
                byte[] body = body(tag, n % 5 == 4 ? 140_000 + random.nextInt(60_000) : 300 + random.nextInt(3000), random);
                c.command("MAIL FROM:<s" + session + "@example.com>").assertCode(250);
                c.command("RCPT TO:<r" + n + "@example.net>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send(body);
                c.send(".\r\n");
                record(c.read(), tag, body, acked, refused, ackedAfterRefusal);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
