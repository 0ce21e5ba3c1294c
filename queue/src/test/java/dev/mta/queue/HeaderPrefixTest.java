package dev.mta.queue;

import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.schedule.RetrySchedule;
import dev.mta.testkit.LeakGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A header prefix given at commit is stored with the message and read back before its content by every reader:
 * inline and written ahead as chunks, after a restart and from a crash copy, after the compactor moved the message;
 * a commit whose fsync fails leaves nothing, and the prefix counts against the bound on content held.
 */
@ExtendWith(LeakGuard.class)
class HeaderPrefixTest {
    private static final int INLINE = 8 * 1024;
    private static final byte[] PREFIX = ("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\r\n"
            + "\tb=AbCdEf==\r\nAuthentication-Results: mx.example; spf=pass smtp.mailfrom=example.com\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    @TempDir
    Path crash;
    private DurableQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private DurableQueue open(long segmentSize) throws IOException {
        return open(new QueueConfig(dir, segmentSize, INLINE, RetrySchedule.DEFAULT));
    }

    private DurableQueue open(QueueConfig c) throws IOException {
        if (queue != null) {
            queue.close();
        }
        queue = DurableQueue.open(c);
        return queue;
    }

    private static Envelope envelope(String rcpt) {
        return Envelopes.of("s@example.com", "BODY=8BITMIME", List.of(rcpt), "192.0.2.1", "c.test", "ESMTP");
    }

    private static CompletableFuture<String> send(DurableQueue q, byte[] body, byte[] prefix, String rcpt) {
        IncomingMessage m = q.receive(envelope(rcpt));
        for (int off = 0; off < body.length; off += 4096) {
            m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, off, Math.min(body.length, off + 4096))));
        }
        return m.commit(Unpooled.copiedBuffer(prefix));
    }

    private static byte[] body(int size, long seed) {
        byte[] b = ("Subject: s" + seed + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(b, size);
        Random r = new Random(seed);
        for (int i = b.length; i < size; i++) {
            all[i] = (byte) ('a' + r.nextInt(26));
        }
        return all;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void assertStored(DurableQueue q, String id, byte[] expected) throws IOException {
        assertArrayEquals(expected, q.body(id).orElseThrow().readAll());
        assertEquals(expected.length, q.body(id).orElseThrow().length());
        assertEquals(expected.length, q.find(id).orElseThrow().bodyLength(), "the size counts the prefix");
        // The envelope still reads from the record's head (the operator's show, relocation).
        assertEquals("s@example.com", q.envelope(id).orElseThrow().sender().address());
    }

    @Test
    void aPrefixedMessageReadsBackAsPrefixThenContentInlineAndInChunks() throws Exception {
        DurableQueue q = open(1 << 20);
        byte[] small = body(300, 1);
        byte[] large = body(5 * INLINE + 123, 2); // written ahead as CHUNK records
        String a = send(q, small, PREFIX, "a@one.example").get();
        String b = send(q, large, PREFIX, "b@two.example").get();
        String c = send(q, small, new byte[0], "c@three.example").get();
        assertStored(q, a, concat(PREFIX, small));
        assertStored(q, b, concat(PREFIX, large));
        assertStored(q, c, small);
        assertEquals(0, q.bufferedContent(), "the prefix's share of the bound is given back once written");

        DeliveryJob job = q.poll(Route.smtp("two.example"), System.currentTimeMillis());
        assertEquals(PREFIX.length + large.length, job.body().length());
        assertArrayEquals(concat(PREFIX, large), job.body().openStream().readAllBytes());
        q.report(job, List.of(Outcome.deferred("451 4.3.0 later"))).get();
        // A retry reads the same bytes again.
        q.flush();
        job = q.poll(Route.smtp("two.example"), System.currentTimeMillis());
        assertArrayEquals(concat(PREFIX, large), job.body().openStream().readAllBytes());
        q.report(job, List.of(Outcome.delivered("250 ok"))).get();
    }

    @Test
    void aPrefixedMessageSurvivesARestartAndACrashAfterItsCommit() throws Exception {
        DurableQueue q = open(1 << 20);
        byte[] small = body(300, 3);
        byte[] large = body(3 * INLINE, 4);
        String a = send(q, small, PREFIX, "a@one.example").get();
        String b = send(q, large, PREFIX, "b@two.example").get();
        SegmentFiles.snapshot(dir, crash); // what a SIGKILL right after the 250 leaves
        try (DurableQueue recovered = DurableQueue.open(new QueueConfig(crash, 1 << 20, INLINE,
                RetrySchedule.DEFAULT))) {
            assertStored(recovered, a, concat(PREFIX, small));
            assertStored(recovered, b, concat(PREFIX, large));
        }
        q = open(1 << 20);
        assertStored(q, a, concat(PREFIX, small));
        assertStored(q, b, concat(PREFIX, large));
    }

    @Test
    void aCommitWhoseFsyncFailsLeavesNothing() throws Exception {
        FailingFsync disk = new FailingFsync(true);
        DurableQueue q = open(new QueueConfig(dir, 1 << 20, INLINE, RetrySchedule.DEFAULT).withFaults(disk));
        String kept = send(q, body(200, 5), PREFIX, "a@one.example").get();
        disk.failNext.set(1);
        assertThrows(ExecutionException.class, () -> send(q, body(3 * INLINE, 6), PREFIX, "b@two.example")
                .get(5, TimeUnit.SECONDS));
        assertEquals(1, q.size());
        q.close();
        queue = null;
        SegmentFiles.snapshot(dir, crash);
        try (DurableQueue recovered = DurableQueue.open(new QueueConfig(crash, 1 << 20, INLINE,
                RetrySchedule.DEFAULT))) {
            assertEquals(1, recovered.size());
            assertStored(recovered, kept, concat(PREFIX, body(200, 5)));
        }
    }

    @Test
    void theCompactorCarriesThePrefixWhenItMovesTheMessage() throws Exception {
        long segment = 64 * 1024;
        DurableQueue q = open(segment);
        byte[] keeperBody = body(30_000, 42);
        byte[] smallKeeperBody = body(500, 43);
        String keeper = send(q, keeperBody, PREFIX, "slow@far.example").get();
        String smallKeeper = send(q, smallKeeperBody, PREFIX, "slow2@far.example").get();
        for (int round = 0; round < 60; round++) {
            List<CompletableFuture<Void>> reports = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                send(q, body(3000, round * 100L + i), PREFIX, "r@fast.example").get();
            }
            DeliveryJob job;
            while ((job = q.poll(Route.smtp("fast.example"), System.currentTimeMillis())) != null) {
                reports.add(q.report(job, List.of(Outcome.delivered("250"))));
            }
            for (CompletableFuture<Void> f : reports) {
                f.get();
            }
        }
        // Without moving the keepers every segment after their first would stay.
        assertTrue(q.diskBytes() < 8 * segment, "disk " + q.diskBytes() + " bytes after 3.6 MB of traffic");
        assertStored(q, keeper, concat(PREFIX, keeperBody));
        assertStored(q, smallKeeper, concat(PREFIX, smallKeeperBody));
        q = open(segment);
        assertEquals(2, q.size());
        assertStored(q, keeper, concat(PREFIX, keeperBody));
        assertStored(q, smallKeeper, concat(PREFIX, smallKeeperBody));
    }

    @Test
    void aPrefixThatIsNotWholeHeaderFieldsIsRefusedAndReleased() throws Exception {
        DurableQueue q = open(1 << 20);
        IncomingMessage m = q.receive(envelope("a@one.example"));
        m.write(Unpooled.copiedBuffer(body(100, 7)));
        ByteBuf open = Unpooled.copiedBuffer("X-Open: no line end", StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> m.commit(open));
        assertEquals(0, open.refCnt());
        ByteBuf huge = Unpooled.buffer(IncomingMessage.MAX_HEADER_PREFIX + 2)
                .writeZero(IncomingMessage.MAX_HEADER_PREFIX).writeBytes(new byte[]{'\r', '\n'});
        assertThrows(IllegalArgumentException.class, () -> m.commit(huge));
        assertEquals(0, huge.refCnt());
        m.abort();
        assertEquals(0, q.size());
        assertEquals(0, q.bufferedContent());
    }

    @Test
    void aPrefixIsReleasedWhenTheMessageWasAlreadyFinished() throws Exception {
        DurableQueue q = open(1 << 20);
        IncomingMessage m = q.receive(envelope("a@one.example"));
        m.write(Unpooled.copiedBuffer(body(100, 8)));
        m.abort();
        ByteBuf prefix = Unpooled.copiedBuffer(PREFIX);
        assertThrows(ExecutionException.class, () -> m.commit(prefix).get());
        assertEquals(0, prefix.refCnt());
    }
}
