package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.model.Outcome;

import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed fsync is not retried on the same file: what it covered is void, nothing answered with a failure comes
 * back at recovery, nothing acknowledged before it is lost, and outcomes it held are written again. The crash is a
 * copy of the spool's files taken while the queue is still open: what a kill -9 leaves (the page cache).
 */
class FsyncFailureTest {
    private static final int INLINE = 8 * 1024;

    @TempDir
    Path dir;
    @TempDir
    Path crash;
    private DurableQueue queue;
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();

    private DurableQueue open(FailingFsync disk) throws Exception {
        QueueConfig c = new QueueConfig(dir, 1 << 20, INLINE, RetrySchedule.DEFAULT).withFaults(disk);
        queue = DurableQueue.open(c, (component, cause) -> fatal.add(cause));
        return queue;
    }

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private static dev.mta.queue.model.Envelope envelope(String rcpt, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(rcpt));
        all.addAll(List.of(more));
        return Envelopes.of("s@example.com", "", all, "192.0.2.1", "c.test", "ESMTP");
    }

    private static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CompletableFuture<String> send(DurableQueue q, byte[] body, String rcpt) {
        IncomingMessage m = q.receive(envelope(rcpt));
        m.write(Unpooled.wrappedBuffer(body));
        return m.commit();
    }

    /** Opens the crash copy the way the next start would. */
    private DurableQueue recoverCrashCopy() throws Exception {
        SegmentFiles.snapshot(dir, crash);
        return DurableQueue.open(new QueueConfig(crash, 1 << 20, INLINE, RetrySchedule.DEFAULT));
    }

    /** The writer tells of a fatal failure after it has answered the batch. */
    private void awaitFatal(String why) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (fatal.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, fatal.size(), why);
    }

    @ParameterizedTest(name = "dirty pages dropped: {0}")
    @ValueSource(booleans = {false, true})
    void nothingAnsweredWithAFailureComesBackAndNothingAcknowledgedIsLost(boolean dropPages) throws Exception {
        FailingFsync disk = new FailingFsync(dropPages);
        DurableQueue q = open(disk);
        byte[] a = body(500, 1);
        String acked = send(q, a, "a@d.example").get();

        // A large message streams in: its first chunks are written ahead, without an fsync of their own.
        IncomingMessage large = q.receive(envelope("large@d.example"));
        large.write(Unpooled.wrappedBuffer(body(3 * INLINE, 2)));
        CompletableFuture<Void> drained = new CompletableFuture<>();
        large.whenDrained(() -> drained.complete(null));
        drained.get(5, TimeUnit.SECONDS);

        disk.failNext.set(1);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> send(q, body(500, 3), "b@d.example").get());
        assertTrue(refused.getCause().getMessage().contains("fsync"), refused.getCause().toString());
        // Its chunks lay in the range the failed fsync covered: it must not be acknowledged now.
        large.write(Unpooled.wrappedBuffer(body(100, 4)));
        assertThrows(ExecutionException.class, () -> large.commit().get());

        byte[] c = body(500, 5);
        String after = send(q, c, "c@d.example").get();
        assertTrue(q.isWritable());
        assertTrue(fatal.isEmpty(), "one failure is survived");

        try (DurableQueue r = recoverCrashCopy()) {
            assertEquals(2, r.size(), "only the acknowledged messages: " + r.list());
            assertArrayEquals(a, r.body(acked).orElseThrow().readAll());
            assertArrayEquals(c, r.body(after).orElseThrow().readAll());
            assertTrue(r.recoveryReport().voidedBytes() > 0);
            assertFalse(r.recoveryReport().foundDamage(), "a void is not damage");
        }
    }

    @Test
    void outcomesInTheFailedBatchAreWrittenAgain() throws Exception {
        FailingFsync disk = new FailingFsync(true);
        DurableQueue q = open(disk);
        String id = q.receive(envelope("x@d.example", "y@d.example")).commit().get();
        DeliveryJob job = q.poll(System.currentTimeMillis());
        // Outcomes are written at once and ride the next fsync: the one of the next message, which fails and drops
        // the pages written since the last good one, the outcomes' among them.
        q.report(job, List.of(Outcome.delivered("250 ok"), Outcome.deferred("451 4.3.0 later"))).get(5, TimeUnit.SECONDS);
        assertEquals(0, disk.failed.get(), "no fsync of their own");
        disk.failNext.set(1);
        assertThrows(ExecutionException.class, () -> send(q, body(300, 2), "b@d.example").get(5, TimeUnit.SECONDS));
        assertEquals(1, disk.failed.get());

        try (DurableQueue r = recoverCrashCopy()) {
            QueueEntry e = r.find(id).orElseThrow();
            assertEquals(1, e.recipients().size(), "x was delivered: its outcome survived the failed fsync");
            assertEquals("y@d.example", e.recipients().get(0).address());
            assertEquals("451 4.3.0 later", e.recipients().get(0).lastError());
        }
    }

    @Test
    void anOutcomeWrittenWithoutAnFsyncGetsOneWithinASecondWhenNothingElseComes() throws Exception {
        FailingFsync disk = new FailingFsync(false);
        DurableQueue q = open(disk);
        q.receive(envelope("x@d.example")).commit().get();
        DeliveryJob job = q.poll(System.currentTimeMillis());
        int before = disk.fsyncs.get();
        q.report(job, List.of(Outcome.deferred("451 4.3.0 later"))).get(5, TimeUnit.SECONDS);
        assertEquals(before, disk.fsyncs.get(), "written without an fsync of its own");
        long deadline = System.currentTimeMillis() + 3_000;
        while (disk.fsyncs.get() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(before + 1, disk.fsyncs.get(), "the writer fsynced it by itself, with nothing else to write");
    }

    @Test
    void twoFailuresInARowAreFatalAndRefuseEverything() throws Exception {
        FailingFsync disk = new FailingFsync(false);
        DurableQueue q = open(disk);
        String acked = send(q, body(300, 1), "a@d.example").get();
        disk.failNext.set(2); // the batch's fsync, then the one that would make the void durable
        assertThrows(ExecutionException.class, () -> send(q, body(300, 2), "b@d.example").get());
        awaitFatal("the process is told to go");
        assertFalse(q.isWritable(), "not ready");
        ExecutionException later = assertThrows(ExecutionException.class,
                () -> send(q, body(300, 3), "c@d.example").get());
        assertTrue(later.getCause().getMessage().contains("cannot write"), later.getCause().toString());

        try (DurableQueue r = recoverCrashCopy()) {
            assertTrue(r.find(acked).isPresent());
        }
    }

    @Test
    void theNextFsyncFailingToo() throws Exception {
        FailingFsync disk = new FailingFsync(false);
        DurableQueue q = open(disk);
        send(q, body(300, 1), "a@d.example").get();
        disk.failNext.set(1);
        assertThrows(ExecutionException.class, () -> send(q, body(300, 2), "b@d.example").get());
        assertTrue(fatal.isEmpty());
        disk.failNext.set(1);
        assertThrows(ExecutionException.class, () -> send(q, body(300, 3), "c@d.example").get());
        awaitFatal("two batches in a row could not be made durable");
        try (DurableQueue r = recoverCrashCopy()) {
            assertEquals(1, r.size(), "neither refused message is there: " + r.list());
        }
    }
}
