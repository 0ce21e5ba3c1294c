package dev.mta.queue;

import dev.mta.queue.log.CommitObserver;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.QueueCounts;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue's counts snapshot (metrics read it instead of listing the queue) follows every change, and a restart. */
class QueueCountsTest {
    @TempDir
    Path dir;
    private DurableQueue queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    private static String enqueue(DurableQueue q, String... rcpts) throws Exception {
        IncomingMessage m = q.receive(Envelopes.of("sender@example.com", "", List.of(rcpts), "192.0.2.1",
                "client.test", "ESMTP"));
        m.write(Unpooled.wrappedBuffer("x\r\n".getBytes(StandardCharsets.US_ASCII)));
        return m.commit().get(10, TimeUnit.SECONDS);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Test
    void countsFollowArrivalDeferralHoldAndRemoval() throws Exception {
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        assertEquals(QueueCounts.EMPTY, queue.counts());
        long before = now();
        String first = enqueue(queue, "a@one.example", "b@one.example");
        String second = enqueue(queue, "c@two.example");
        QueueCounts c = queue.counts();
        assertEquals(new QueueCounts(2, 0, 0, 3, 0, 0, c.oldestArrivalMillis()), c);
        assertTrue(c.oldestArrivalMillis() >= before && c.oldestArrivalMillis() <= now(), "oldest: " + c);

        // The first message: one recipient delivered, one deferred: it waits for a retry.
        DeliveryJob job = queue.poll(now());
        assertEquals(first, job.id());
        queue.report(job, List.of(Outcome.delivered("250 ok"), Outcome.deferred("451 later"))).get();
        assertEquals(new QueueCounts(1, 1, 0, 1, 1, 0, c.oldestArrivalMillis()), queue.counts());

        // Held: out of the other states, with its recipient.
        assertTrue(queue.admin().hold(second).get(10, TimeUnit.SECONDS));
        assertEquals(new QueueCounts(0, 1, 1, 0, 1, 1, c.oldestArrivalMillis()), queue.counts());
        assertTrue(queue.admin().release(second).get(10, TimeUnit.SECONDS));
        assertEquals(new QueueCounts(1, 1, 0, 1, 1, 0, c.oldestArrivalMillis()), queue.counts());

        // The second is delivered and leaves: the oldest is still the first.
        DeliveryJob two = queue.poll(now());
        assertEquals(second, two.id());
        queue.report(two, List.of(Outcome.delivered("250 ok"))).get();
        assertEquals(new QueueCounts(0, 1, 0, 0, 1, 0, c.oldestArrivalMillis()), queue.counts());

        // After a restart the same counts come back from recovery.
        queue.close();
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        assertEquals(new QueueCounts(0, 1, 0, 0, 1, 0, c.oldestArrivalMillis()), queue.counts());

        assertTrue(queue.admin().delete(first).get(10, TimeUnit.SECONDS));
        assertEquals(QueueCounts.EMPTY, queue.counts());
        assertEquals(0.0, queue.counts().oldestAgeSeconds(now()));
    }

    @Test
    void aMessageWithUntriedAndDeferredRecipientsIsActive() throws Exception {
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        enqueue(queue, "a@one.example", "b@two.example");
        DeliveryJob job = queue.poll(now());
        queue.report(job, List.of(Outcome.deferred("451 later"))).get();
        assertEquals(new QueueCounts(1, 0, 0, 1, 1, 0, queue.counts().oldestArrivalMillis()), queue.counts(),
                "one recipient not tried yet keeps the message active; the tried one counts as deferred");
    }

    @Test
    void theCommitObserverHearsEachBatchWithItsRecords() throws Exception {
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        AtomicLong nanos = new AtomicLong();
        queue.observeCommits(new CommitObserver() {
            @Override
            public void committed(int n, long took, boolean synced) {
                if (synced) {
                    batches.incrementAndGet();
                    records.addAndGet(n);
                    nanos.addAndGet(took);
                }
            }
        });
        enqueue(queue, "a@one.example");
        enqueue(queue, "b@one.example");
        assertEquals(2, batches.get(), "one fsync for each message sent one after the other");
        assertEquals(2, records.get());
        assertTrue(nanos.get() > 0);
        assertEquals(WriteHealth.Problem.NONE, queue.writeState().problem());
    }
}
