package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.model.Route;

import dev.mta.queue.model.Outcome;

import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurableQueueTest {
    @TempDir
    Path dir;
    private DurableQueue queue;

    private DurableQueue open() throws IOException {
        return open(QueueConfig.defaults(dir));
    }

    private DurableQueue open(QueueConfig c) throws IOException {
        if (queue != null) {
            queue.close();
        }
        queue = DurableQueue.open(c);
        return queue;
    }

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private static dev.mta.queue.model.Envelope envelope(String... rcpts) {
        return Envelopes.of("sender@example.com", "BODY=8BITMIME", List.of(rcpts), "192.0.2.1", "client.test", "ESMTP");
    }

    /** Enqueues a body written in pieces of {@code piece} bytes, as a session would. */
    private static String enqueue(DurableQueue q, byte[] body, int piece, String... rcpts) throws Exception {
        IncomingMessage m = q.receive(envelope(rcpts));
        for (int off = 0; off < body.length; off += piece) {
            m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, off, Math.min(body.length, off + piece))));
        }
        return m.commit().get();
    }

    private static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void messagesSurviveReopenByteExact() throws Exception {
        DurableQueue q = open();
        byte[] small = "Subject: small\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] large = body(3 * QueueConfig.DEFAULT_INLINE_LIMIT + 12345, 1); // spilled as chunks
        String a = enqueue(q, small, 7, "a@example.com", "b@example.org");
        String b = enqueue(q, large, 16 * 1024, "c@example.net");
        q = open();
        assertEquals(2, q.size());
        QueueEntry ea = q.find(a).orElseThrow();
        assertEquals("sender@example.com", ea.sender().address());
        assertEquals("BODY=8BITMIME", ea.mailParameters());
        assertEquals(List.of("a@example.com", "b@example.org"),
                ea.recipients().stream().map(QueueEntry.Recipient::address).collect(Collectors.toList()));
        assertArrayEquals(small, q.body(a).orElseThrow().readAll());
        assertArrayEquals(large, q.body(b).orElseThrow().readAll());
        assertEquals(large.length, q.find(b).orElseThrow().bodyLength());
    }

    @Test
    void abortedMessagesNeverAppear() throws Exception {
        DurableQueue q = open();
        IncomingMessage m = q.receive(envelope("a@example.com"));
        m.write(Unpooled.wrappedBuffer(body(400_000, 2)));
        m.abort();
        enqueue(q, "kept\r\n".getBytes(StandardCharsets.US_ASCII), 100, "b@example.com");
        assertEquals(1, q.size());
        q = open();
        assertEquals(1, q.size());
        assertEquals("b@example.com", q.list().get(0).recipients().get(0).address());
    }

    @Test
    void recipientsOfOneDestinationTravelTogether() throws Exception {
        DurableQueue q = open();
        enqueue(q, "x\r\n".getBytes(StandardCharsets.US_ASCII), 10, "a@one.example", "b@two.example", "c@ONE.example");
        long now = System.currentTimeMillis();
        DeliveryJob one = q.poll(Route.smtp("one.example"), now);
        assertNotNull(one);
        assertEquals(List.of("a@one.example", "c@ONE.example"), Envelopes.addresses(one.recipients()));
        DeliveryJob two = q.poll(now);
        assertEquals(Route.smtp("two.example"), two.route());
        assertEquals(List.of("b@two.example"), Envelopes.addresses(two.recipients()));
        assertNull(q.poll(now));
        assertArrayEquals("x\r\n".getBytes(StandardCharsets.US_ASCII), one.body().readAll());
    }

    @Test
    void outcomesAreDurableAndDropRecipients() throws Exception {
        DurableQueue q = open();
        String id = enqueue(q, "x\r\n".getBytes(StandardCharsets.US_ASCII), 10, "a@d.example", "b@d.example", "c@d.example");
        DeliveryJob job = q.poll(System.currentTimeMillis());
        q.report(job, List.of(Outcome.delivered("250 ok"), Outcome.deferred("451 try later"), Outcome.failed("550 no")))
                .get();
        QueueEntry e = q.find(id).orElseThrow();
        assertEquals(1, e.recipients().size());
        QueueEntry.Recipient b = e.recipients().get(0);
        assertEquals("b@d.example", b.address());
        assertEquals(1, b.attempts());
        assertEquals("451 try later", b.lastError());
        assertTrue(b.nextAttemptMillis() > System.currentTimeMillis() + 30_000, "backed off about a minute");

        q = open();
        QueueEntry after = q.find(id).orElseThrow();
        assertEquals(List.of("b@d.example"),
                after.recipients().stream().map(QueueEntry.Recipient::address).collect(Collectors.toList()));
        assertEquals(1, after.recipients().get(0).attempts());
        assertEquals("451 try later", after.recipients().get(0).lastError());
        assertNull(q.poll(System.currentTimeMillis()), "deferred: not due yet");
        assertTrue(q.nextDueMillis() > System.currentTimeMillis());
        assertEquals(1, q.flush());
        DeliveryJob again = q.poll(System.currentTimeMillis());
        assertEquals(List.of("b@d.example"), Envelopes.addresses(again.recipients()));
        q.report(again, List.of(Outcome.delivered("250 ok"))).get();
        assertTrue(q.find(id).isEmpty(), "no recipient left: the message is gone");
        q = open();
        assertEquals(0, q.size());
    }

    @Test
    void deleteRemovesForGood() throws Exception {
        DurableQueue q = open();
        String id = enqueue(q, "x\r\n".getBytes(StandardCharsets.US_ASCII), 10, "a@d.example");
        assertTrue(q.delete(id).join());
        assertFalse(q.delete(id).join());
        assertNull(q.poll(System.currentTimeMillis()));
        q = open();
        assertTrue(q.find(id).isEmpty());
    }

    @Test
    void expiredMessagesAreHandedOutAsExpired() throws Exception {
        RetrySchedule quick = new RetrySchedule(List.of(Duration.ofMillis(10)), Duration.ofMillis(50), 0);
        DurableQueue q = open(new QueueConfig(dir, QueueConfig.DEFAULT_SEGMENT_SIZE, QueueConfig.DEFAULT_INLINE_LIMIT, quick));
        enqueue(q, "x\r\n".getBytes(StandardCharsets.US_ASCII), 10, "a@d.example");
        DeliveryJob job = q.poll(System.currentTimeMillis());
        assertFalse(job.expired());
        q.report(job, List.of(Outcome.deferred("421 busy"))).get();
        Thread.sleep(80);
        DeliveryJob late = q.poll(System.currentTimeMillis());
        assertTrue(late.expired(), "past the maximum lifetime");
    }

    /** Queues two small messages and closes the queue; returns their ids. */
    private String[] twoMessagesThenClose() throws Exception {
        DurableQueue q = open();
        String first = enqueue(q, "first\r\n".getBytes(StandardCharsets.US_ASCII), 100, "a@d.example");
        String second = enqueue(q, "second\r\n".getBytes(StandardCharsets.US_ASCII), 100, "b@d.example");
        q.close();
        queue = null;
        return new String[]{first, second};
    }

    @Test
    void tornTailIsCutAndEarlierRecordsKept() throws Exception {
        String[] ids = twoMessagesThenClose();
        String first = ids[0];
        String second = ids[1];
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // the second MESSAGE record loses its last bytes, as in a crash mid-write
        }
        DurableQueue q = open();
        assertTrue(q.find(first).isPresent());
        assertTrue(q.find(second).isEmpty());
        // The log goes on after the cut.
        String third = enqueue(q, "third\r\n".getBytes(StandardCharsets.US_ASCII), 100, "c@d.example");
        q = open();
        assertTrue(q.find(first).isPresent());
        assertArrayEquals("third\r\n".getBytes(StandardCharsets.US_ASCII), q.body(third).orElseThrow().readAll());
    }

    @Test
    void corruptTailRecordIsDetectedByItsChecksum() throws Exception {
        String[] ids = twoMessagesThenClose();
        String first = ids[0];
        String second = ids[1];
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, size - 3);
            b.flip();
            byte flipped = (byte) (b.get(0) ^ 0x40);
            ch.write(ByteBuffer.wrap(new byte[]{flipped}), size - 3);
        }
        DurableQueue q = open();
        assertTrue(q.find(first).isPresent());
        assertTrue(q.find(second).isEmpty());
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> segs = s.filter(p -> p.toString().endsWith(".seg")).collect(Collectors.toList());
            assertEquals(1, segs.size());
            return segs.get(0);
        }
    }

    @Test
    void concurrentWritersShareFsyncs() throws Exception {
        DurableQueue q = open();
        int writers = 64;
        int each = 40;
        long syncsBefore = q.syncCount();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                final int seed = w;
                results.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        ids.add(enqueue(q, body(2048, seed * 1000L + i), 512, "r" + seed + "@d.example"));
                    }
                    return ids;
                }));
            }
            for (Future<List<String>> f : results) {
                assertEquals(each, f.get().size());
            }
        } finally {
            pool.shutdown();
        }
        long syncs = q.syncCount() - syncsBefore;
        int messages = writers * each;
        assertEquals(messages, q.size());
        assertTrue(syncs < messages / 2, "group commit: " + syncs + " fsyncs for " + messages + " messages");
    }

    @Test
    void finishedSegmentsAreDeletedAndDiskFollowsTheLiveQueue() throws Exception {
        DurableQueue q = open(new QueueConfig(dir, 64 * 1024, 8 * 1024, RetrySchedule.DEFAULT));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(enqueue(q, body(5000, i), 1000, "r@d.example"));
        }
        long full = q.diskBytes();
        assertTrue(full > 200 * 5000, "all bodies are on disk: " + full);
        DeliveryJob job;
        List<CompletableFuture<Void>> reports = new ArrayList<>();
        while ((job = q.poll(System.currentTimeMillis())) != null) {
            reports.add(q.report(job, List.of(Outcome.delivered("250"))));
        }
        for (CompletableFuture<Void> f : reports) {
            f.get();
        }
        assertEquals(0, q.size());
        // Reclamation runs after the writer's next batch.
        enqueue(q, body(100, 999), 100, "last@d.example");
        long after = q.diskBytes();
        assertTrue(after < 3 * 64 * 1024, "finished segments are gone: " + after + " bytes left of " + full);
        q = open();
        assertEquals(1, q.size());
    }

    @Test
    void longLivedMessagesAreMovedSoDiskFollowsTheLiveQueue() throws Exception {
        long segment = 64 * 1024;
        DurableQueue q = open(new QueueConfig(dir, segment, 8 * 1024, RetrySchedule.DEFAULT));
        byte[] keeperBody = body(30_000, 42); // spilled into chunks
        String keeper = enqueue(q, keeperBody, 4096, "slow@far.example", "other@far.example");
        DeliveryJob first = q.poll(Route.smtp("far.example"), System.currentTimeMillis());
        q.report(first, List.of(Outcome.delivered("250"), Outcome.deferred("451 later"))).get();

        long maxDisk = 0;
        for (int round = 0; round < 60; round++) {
            List<CompletableFuture<Void>> reports = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                enqueue(q, body(3000, round * 100L + i), 3000, "r@fast.example");
            }
            DeliveryJob job;
            while ((job = q.poll(Route.smtp("fast.example"), System.currentTimeMillis())) != null) {
                reports.add(q.report(job, List.of(Outcome.delivered("250"))));
            }
            for (CompletableFuture<Void> f : reports) {
                f.get();
            }
            maxDisk = Math.max(maxDisk, q.diskBytes());
        }
        // 60 x 20 x 3 KB = 3.6 MB went through; without moving the keeper every segment after its first would stay.
        assertTrue(q.diskBytes() < 8 * segment, "disk " + q.diskBytes() + " bytes after 3.6 MB of traffic");
        assertEquals(1, q.size());
        q = open(new QueueConfig(dir, segment, 8 * 1024, RetrySchedule.DEFAULT));
        QueueEntry e = q.find(keeper).orElseThrow();
        assertEquals(1, e.recipients().size());
        assertEquals("other@far.example", e.recipients().get(0).address());
        assertEquals("451 later", e.recipients().get(0).lastError());
        assertEquals(1, e.recipients().get(0).attempts());
        assertArrayEquals(keeperBody, q.body(keeper).orElseThrow().readAll());
        assertEquals(List.of("slow@far.example", "other@far.example"), Envelopes.addresses(q.envelope(keeper).orElseThrow().recipients()));
    }

    @Test
    void aTrickleOfTinyPiecesIsCopiedTogetherAndNotHeldPieceByPiece() throws Exception {
        DurableQueue q = open();
        byte[] body = body(300_000, 7); // past the inline limit: spilled as chunks on the way
        IncomingMessage m = q.receive(envelope("a@example.com"));
        List<io.netty.buffer.ByteBuf> pieces = new ArrayList<>();
        for (int off = 0; off < body.length; ) {
            int n = Math.min(off % 7 + 1, body.length - off); // 1 to 7 bytes, as a client sending tiny segments
            io.netty.buffer.ByteBuf piece = io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(64).writeBytes(body, off, n);
            pieces.add(piece);
            m.write(piece);
            off += n;
        }
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "no tiny piece is kept: each was copied and released");
        String id = m.commit().get();
        assertArrayEquals(body, q.body(id).orElseThrow().readAll());
        q = open();
        assertArrayEquals(body, q.body(id).orElseThrow().readAll());
    }

    @Test
    void contentWaitingInMemoryIsBoundedForAllMessagesTogether() throws Exception {
        QueueConfig c = QueueConfig.defaults(dir).withMaxBufferedContent(64 * 1024);
        DurableQueue q = open(c);
        List<IncomingMessage> messages = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            IncomingMessage m = q.receive(envelope("r" + i + "@example.com"));
            byte[] b = body(100_000, 100 + i); // under the 128 KiB inline limit: alone, none would write ahead
            for (int off = 0; off < b.length; off += 16 * 1024) {
                m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(b, off, Math.min(b.length, off + 16 * 1024))));
            }
            messages.add(m);
            bodies.add(b);
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        messages.get(39).whenDrained(() -> drained.complete(null));
        drained.get();
        q.writer().execute(() -> { }); // let the writer finish what is queued
        long waiting = q.bufferedContent();
        assertTrue(waiting < 64 * 1024 + 40 * 20 * 1024, "40 x 100 kB arrived, " + waiting + " bytes wait in memory");
        List<String> ids = new ArrayList<>();
        for (IncomingMessage m : messages) {
            ids.add(m.commit().get());
        }
        assertEquals(0, q.bufferedContent());
        for (int i = 0; i < ids.size(); i++) {
            assertArrayEquals(bodies.get(i), q.body(ids.get(i)).orElseThrow().readAll());
        }
    }
}
