package dev.mta.server.durability;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real MTA process while 16 sessions send and the relay delivers to smtp-sink: the MTA stops accepting,
 * lets the messages in flight finish, exits 0 within its grace period, and after a restart every message that got
 * a 250 reaches the sink: none lost.
 */
class StopUnderLoadTest {
    private static final int SESSIONS = 16;
    private static final Pattern SUBJECT = Pattern.compile("Subject: (load-\\d+-\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadExitsZeroAndLosesNothing() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir)) {
            Path spool = dir.resolve("spool");
            int port = MtaProcess.freePort();
            List<String> args = List.of("--transport-map", "*=127.0.0.1:" + sink.address().getPort(),
                    "--shutdown-grace", "10");
            Process mta = MtaProcess.start(port, spool, dir.resolve("mta.log"), args);
            Map<String, String> acked = new ConcurrentHashMap<>(); // subject -> queue id
            AtomicBoolean stopSent = new AtomicBoolean();
            AtomicInteger finishedAfterStop = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            MtaProcess.awaitListening(port);
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                Thread t = new Thread(() -> send(port, session, acked, stopSent, finishedAfterStop, failures));
                t.start();
                clients.add(t);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (acked.size() < 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            stopSent.set(true);
            mta.destroy(); // SIGTERM
            assertTrue(mta.waitFor(30, TimeUnit.SECONDS), "stopped within the grace period and a bit");
            String log = Files.readString(dir.resolve("mta.log"));
            assertEquals(0, mta.exitValue(), () -> "a clean stop on SIGTERM exits 0:\n" + tail(log));
            for (Thread t : clients) {
                t.join(30_000);
                assertFalse(t.isAlive(), t.getName() + " did not notice the stop");
            }
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
            int beforeRestart = sink.count();

            // The rest of the queue goes out after a restart on the same spool.
            Process again = MtaProcess.start(port, spool, dir.resolve("mta2.log"), args);
            try {
                // Started for real before it is stopped (the sink may have every message already): a SIGTERM that
                // comes while the JVM itself boots, before the MTA's code runs, is the JVM's own 143.
                MtaProcess.awaitListening(port);
                Map<String, Integer> delivered = awaitAll(sink, acked, 60_000);
                long duplicates = delivered.values().stream().filter(n -> n > 1).count();
                System.out.printf("SIGTERM under load: %d acknowledged (%d finished after the signal), %d delivered "
                                + "before the stop, all %d after the restart, %d delivered twice%n", acked.size(),
                        finishedAfterStop.get(), beforeRestart, acked.size(), duplicates);
            } finally {
                again.destroy();
                assertTrue(again.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, again.exitValue(), () -> tail(readQuietly(dir.resolve("mta2.log"))));
            }
        }
    }

    /** One session sending until the server says it is shutting down or goes away after the stop. */
    private static void send(int port, int session, Map<String, String> acked, AtomicBoolean stopSent,
                             AtomicInteger finishedAfterStop, Queue<String> failures) {
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            for (int n = 0; ; n++) {
                String subject = "load-" + session + "-" + n;
                boolean afterStop = stopSent.get();
                // Before DATA's content, a stop ends the transaction with 421: nothing was acknowledged.
                if (shutDown(c.command("MAIL FROM:<s" + session + "@example.org>"), 250, stopSent)
                        || shutDown(c.command("RCPT TO:<r" + n + "@example.com>"), 250, stopSent)
                        || shutDown(c.command("DATA"), 354, stopSent)) {
                    return;
                }
                c.send("Subject: " + subject + "\r\n\r\n" + "x".repeat(500 + 37 * n % 4000) + "\r\n.\r\n");
                Reply done = c.read();
                if (done.code() == 421 && stopSent.get()) {
                    return; // not acknowledged: the client still has it
                }
                done.assertCode(250);
                acked.put(subject, TestMta.queueId(done));
                if (!afterStop && stopSent.get()) {
                    finishedAfterStop.incrementAndGet();
                }
            }
        } catch (IOException e) {
            if (!stopSent.get()) {
                failures.add("session " + session + " broke before the stop: " + e);
            }
        } catch (AssertionError | RuntimeException e) {
            failures.add("session " + session + ": " + e.getMessage());
        }
    }

    /** Whether {@code r} is the 421 of a server shutting down after the stop; else it must be {@code expected}. */
    private static boolean shutDown(Reply r, int expected, AtomicBoolean stopSent) {
        if (r.code() == 421 && stopSent.get()) {
            return true;
        }
        r.assertCode(expected);
        return false;
    }

    private static Map<String, Integer> awaitAll(SmtpSink sink, Map<String, String> acked, long millis)
            throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            for (String m : sink.messages()) {
                Matcher x = SUBJECT.matcher(m);
                if (x.find()) {
                    seen.merge(x.group(1), 1, Integer::sum);
                }
            }
            List<String> missing = acked.keySet().stream().filter(s -> !seen.containsKey(s)).sorted().toList();
            if (missing.isEmpty()) {
                return seen;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(missing.size() + " acknowledged message(s) never delivered, e.g. "
                        + missing.subList(0, Math.min(5, missing.size())) + " queued as "
                        + acked.get(missing.get(0)));
            }
            Thread.sleep(100);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }
}
