package dev.mta.server.hardening;

import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.JvmHeap;
import dev.mta.server.support.MtaMemory;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.NativeMemory;
import dev.mta.server.support.Reply;
import dev.mta.server.support.ReplyReader;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded memory per session whatever the client sends, shown against a real MTA in a JVM of its own with a 64 MB
 * heap, measured from outside: 100,000 NOOPs pipelined in one write, a 100 MB line without CRLF (as a command and as
 * message content), 10,000 pipelined RCPTs. Each attack gets the answers the limits promise, the MTA does not run out
 * of memory, keeps nothing of the attack once it is over, and serves the next client.
 */
@ExtendWith(LeakGuard.class) // the spool is read back in this JVM
class SessionMemoryBoundsTest {
    private static final ServerConfig DEFAULTS = ServerConfig.defaults();
    private static final int NOOPS = 100_000;
    private static final int RECIPIENTS = 10_000;
    private static final long LINE = 100L << 20;
    /** Heap the MTA may still hold after a full collection once an attack is over, beyond what it held at rest. */
    private static final long RETAINED_HEAP = 4 << 20;
    /** Direct memory it may still hold then: allocator chunks kept for reuse, never the attack's bytes. */
    private static final long RETAINED_DIRECT = 8 << 20;

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private Process mta;
    private InetSocketAddress address;
    private Path log;
    private Path gcLog;
    private long otherAtRest;
    private long liveAtRest;

    @Test
    void pipelinedNoopsAreAnsweredUntilTheJunkAndErrorLimitsEndTheSession() throws Exception {
        start();
        // Past 100 junk commands each NOOP is also an error; the 20th error is 421 and the close (Postfix's limits).
        int answered = DEFAULTS.maxJunkCommands() + DEFAULTS.maxErrors() - 1;
        try (Socket s = connect()) {
            ReplyReader replies = new ReplyReader(s.getInputStream());
            replies.next().assertCode(220);
            long start = System.nanoTime();
            CompletableFuture<IOException> sent = send(s, "EHLO noop.test\r\n" + "NOOP\r\n".repeat(NOOPS));
            replies.next().assertCode(250);
            for (int i = 1; i <= answered; i++) {
                Reply r = replies.next();
                int n = i;
                assertEquals(250, r.code(), () -> "NOOP " + n + " got " + r);
            }
            replies.next().assertReply(421, "4.7.0");
            assertTrue(replies.closed(), "the session ends after the 421");
            IOException cut = sent.get(30, TimeUnit.SECONDS);
            System.out.printf("%,d pipelined NOOPs: %d answered 250, then 421 and the close after %d ms;"
                    + " the write %s%n", NOOPS, answered, millisSince(start), cut == null ? "went through" : "failed: "
                    + cut.getMessage());
        }
        assertBoundedAndServing("100,000 NOOPs, default limits");
    }

    @Test
    void pipelinedNoopsWithoutAJunkLimitAreAllAnswered() throws Exception {
        start("--max-junk-commands", String.valueOf(Integer.MAX_VALUE));
        try (Socket s = connect()) {
            ReplyReader replies = new ReplyReader(s.getInputStream());
            replies.next().assertCode(220);
            long start = System.nanoTime();
            CompletableFuture<IOException> sent = send(s, "EHLO noop.test\r\n" + "NOOP\r\n".repeat(NOOPS) + "QUIT\r\n");
            replies.next().assertCode(250);
            for (int i = 1; i <= NOOPS; i++) {
                Reply r = replies.next();
                int n = i;
                assertEquals(250, r.code(), () -> "NOOP " + n + " got " + r);
            }
            replies.next().assertReply(221, "2.0.0");
            assertEquals(null, sent.get(30, TimeUnit.SECONDS));
            System.out.printf("%,d pipelined NOOPs, no junk limit: all answered in %d ms%n", NOOPS, millisSince(start));
        }
        assertBoundedAndServing("100,000 NOOPs, no junk limit");
    }

    @Test
    void aHundredMegabyteCommandLineIsDroppedAndAnsweredOnce() throws Exception {
        start();
        try (SmtpTestClient c = SmtpTestClient.greeted(address)) {
            long start = System.nanoTime();
            sendFiller(c, LINE);
            c.send("\r\n");
            c.setReadTimeout(30_000);
            c.read().assertReply(500, "5.5.6");
            System.out.printf("a %,d-byte command line: 500 5.5.6 after %d ms%n", LINE, millisSince(start));
            // Once: the next reply is the next command's, and the session goes on.
            c.command("NOOP").assertReply(250, "2.0.0");
            sendMessage(c);
            c.command("QUIT").assertReply(221, "2.0.0");
        }
        assertBoundedAndServing("a 100 MB command line");
    }

    @Test
    void aHundredMegabyteLineOfContentIsDroppedPastTheSizeLimit() throws Exception {
        start();
        try (SmtpTestClient c = SmtpTestClient.greeted(address)) {
            c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
            c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
            c.command("DATA").assertCode(354);
            long start = System.nanoTime();
            sendFiller(c, LINE);
            c.send("\r\n.\r\n");
            c.setReadTimeout(60_000);
            c.read().assertReply(552, "5.3.4");
            System.out.printf("a %,d-byte line of content: 552 5.3.4 after %d ms%n", LINE, millisSince(start));
            sendMessage(c);
            c.command("QUIT").assertReply(221, "2.0.0");
        }
        assertBoundedAndServing("a 100 MB line of content");
    }

    @Test
    void tenThousandPipelinedRecipientsStopAtTheRecipientLimit() throws Exception {
        start();
        int limit = DEFAULTS.maxRecipients();
        String id;
        StringBuilder batch = new StringBuilder("EHLO rcpt.test\r\nMAIL FROM:<a@example.com>\r\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            batch.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
        }
        batch.append("DATA\r\n");
        try (Socket s = connect()) {
            ReplyReader replies = new ReplyReader(s.getInputStream());
            replies.next().assertCode(220);
            long start = System.nanoTime();
            CompletableFuture<IOException> sent = send(s, batch.toString());
            replies.next().assertCode(250);
            replies.next().assertReply(250, "2.1.0");
            for (int i = 0; i < RECIPIENTS; i++) {
                Reply r = replies.next();
                int n = i;
                if (i < limit) {
                    assertEquals("2.1.5", r.status(), () -> "RCPT " + n + " got " + r);
                } else {
                    assertEquals("4.5.3", r.status(), () -> "RCPT " + n + " got " + r);
                    assertEquals(452, r.code());
                }
            }
            replies.next().assertCode(354);
            assertEquals(null, sent.get(30, TimeUnit.SECONDS));
            send(s, "Subject: many recipients\r\n\r\nhello\r\n.\r\nQUIT\r\n").get(30, TimeUnit.SECONDS);
            id = TestMta.queueId(replies.next());
            replies.next().assertReply(221, "2.0.0");
            System.out.printf("%,d pipelined RCPTs: %d accepted, %d refused 452 4.5.3, queued as %s after %d ms%n",
                    RECIPIENTS, limit, RECIPIENTS - limit, id, millisSince(start));
        }
        assertBoundedAndServing("10,000 RCPTs");
        stop();
        // The message was queued with the first 1000 recipients, in order.
        try (TestMta reopened = TestMta.start(dir.resolve("spool"))) {
            List<String> kept = reopened.queued(id).envelope().recipients();
            assertEquals(limit, kept.size());
            assertEquals("r0@example.com", kept.get(0));
            assertEquals("r" + (limit - 1) + "@example.com", kept.get(limit - 1));
        }
    }

    /** The MTA is alive, did not run out of memory, holds little after the attack, and queues a new client's mail. */
    private void assertBoundedAndServing(String attack) throws Exception {
        long start = System.nanoTime();
        try (SmtpTestClient fresh = SmtpTestClient.greeted(address)) {
            fresh.setReadTimeout(10_000);
            sendMessage(fresh);
        }
        long served = millisSince(start);
        MtaMemory after = MtaMemory.read(mta, gcLog, otherAtRest);
        System.out.printf("after %s (MTA -Xmx64m): %s; live heap at rest %.1f MB; a new client queued a message in"
                + " %d ms%n", attack, after, liveAtRest / 1048576.0, served);
        assertTrue(mta.isAlive(), () -> "the MTA died: " + tail());
        assertFalse(Files.readString(log).contains("OutOfMemoryError"), this::tail);
        // -1 when jcmd cannot attach: then the behaviour above is all this test can check.
        assertTrue(after.heapLive() < 0 || after.heapLive() - liveAtRest < RETAINED_HEAP,
                () -> "the MTA still holds heap after " + attack + ": " + after);
        assertTrue(after.direct() < RETAINED_DIRECT, () -> "the MTA still holds direct memory: " + after);
    }

    private void start(String... options) throws Exception {
        int port = MtaProcess.freePort();
        address = new InetSocketAddress("127.0.0.1", port);
        log = dir.resolve("mta.log");
        gcLog = dir.resolve("gc.log");
        List<String> jvm = new ArrayList<>(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", NativeMemory.TRACKING));
        jvm.addAll(JvmHeap.options(gcLog));
        List<String> args = new ArrayList<>(List.of("--no-relay"));
        args.addAll(Arrays.asList(options));
        mta = MtaProcess.start(port, dir.resolve("spool"), log, jvm, args);
        MtaProcess.awaitListening(port);
        otherAtRest = NativeMemory.other(mta.pid());
        liveAtRest = JvmHeap.usedAfterFullGc(mta.pid());
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.shutdownNow();
        if (mta != null) {
            mta.destroy();
            if (!mta.waitFor(20, TimeUnit.SECONDS)) {
                mta.destroyForcibly();
                mta.waitFor(20, TimeUnit.SECONDS);
            }
            mta = null;
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Writes {@code text} in one write on another thread; completes with the IOException that cut it, or null. */
    private CompletableFuture<IOException> send(Socket s, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(bytes);
                out.flush();
                return null;
            } catch (IOException e) {
                return e; // the server closed the connection with input unread
            }
        }, writer);
    }

    /** Sends {@code total} bytes of 'x' (no line ending), a megabyte at a time. */
    private static void sendFiller(SmtpTestClient c, long total) throws IOException {
        byte[] mb = new byte[1 << 20];
        Arrays.fill(mb, (byte) 'x');
        for (long sent = 0; sent < total; sent += mb.length) {
            c.send(mb);
        }
    }

    private static void sendMessage(SmtpTestClient c) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
        c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
        c.command("DATA").assertCode(354);
        c.send("Subject: after the attack\r\n\r\nstill served\r\n.\r\n");
        TestMta.queueId(c.read());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
