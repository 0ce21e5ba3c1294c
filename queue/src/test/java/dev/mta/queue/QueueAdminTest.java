package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's operations: list, show, flush, delete, hold and release. */
class QueueAdminTest {
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

    private static String enqueue(DurableQueue q, byte[] body, String... rcpts) throws Exception {
        IncomingMessage m = q.receive(Envelopes.of("sender@example.com", "BODY=8BITMIME", List.of(rcpts), "192.0.2.1",
                "client.test", "ESMTP"));
        for (int off = 0; off < body.length; off += 4096) {
            m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, off, Math.min(body.length, off + 4096))));
        }
        return m.commit().get();
    }

    private static String enqueue(DurableQueue q, String... rcpts) throws Exception {
        return enqueue(q, "x\r\n".getBytes(StandardCharsets.US_ASCII), rcpts);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static boolean done(java.util.concurrent.CompletableFuture<Boolean> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void showGivesTheEntryAndTheEnvelopeAsReceived() throws Exception {
        DurableQueue q = open();
        QueueAdmin admin = q.admin();
        String id = enqueue(q, "a@d.example", "b@d.example");
        DeliveryJob job = q.poll(now());
        q.report(job, List.of(Outcome.delivered("250 ok"), Outcome.deferred("451 later"))).get();

        QueueAdmin.MessageDetails shown = admin.show(id).orElseThrow();
        assertEquals(List.of("b@d.example"), shown.entry().recipients().stream().map(QueueEntry.Recipient::address)
                .collect(Collectors.toList()), "the entry: what is left to do");
        assertEquals(List.of("a@d.example", "b@d.example"), Envelopes.addresses(shown.envelope().recipients()),
                "the envelope: every recipient as received");
        assertEquals("client.test", shown.envelope().heloName());
        assertFalse(shown.entry().held());
        assertEquals(List.of(id), admin.list().stream().map(QueueEntry::id).collect(Collectors.toList()));
        assertTrue(admin.show("0000000000000000").isEmpty());
        assertTrue(admin.show("not an id").isEmpty());
    }

    @Test
    void aFlushCountsOnlyWhatItMakesDue() throws Exception {
        DurableQueue q = open();
        String held = enqueue(q, "a@one.example");
        String other = enqueue(q, "b@two.example");
        for (int i = 0; i < 2; i++) {
            DeliveryJob job = q.poll(now());
            q.report(job, List.of(Outcome.deferred("451 later"))).get();
        }
        assertTrue(done(q.admin().hold(held)));
        assertEquals(1, q.admin().flush(), "the held message's delivery is not one made due");
        assertEquals(other, q.poll(now()).id());
        assertNull(q.poll(now()), "the held one stays out");
    }

    @Test
    void flushOfOneMessageMakesOnlyItsRecipientsDue() throws Exception {
        DurableQueue q = open();
        String one = enqueue(q, "a@one.example");
        String two = enqueue(q, "b@two.example");
        for (int i = 0; i < 2; i++) {
            DeliveryJob job = q.poll(now());
            q.report(job, List.of(Outcome.deferred("451 later"))).get();
        }
        assertNull(q.poll(now()), "both wait for their back-off");
        assertEquals(Optional.of(1), q.admin().flush(two));
        DeliveryJob due = q.poll(now());
        assertEquals(two, due.id());
        assertNull(q.poll(now()), "the other still waits");
        assertEquals(Optional.empty(), q.admin().flush("0000000000000000"));
        assertEquals(1, q.admin().flush());
        assertEquals(one, q.poll(now()).id());
    }

    @Test
    void aHeldMessageIsNotDeliveredAndStaysHeldAcrossARestartUntilReleased() throws Exception {
        DurableQueue q = open();
        String held = enqueue(q, "a@d.example");
        String other = enqueue(q, "b@d.example");
        assertTrue(done(q.admin().hold(held)));
        assertTrue(q.find(held).orElseThrow().held());
        assertFalse(q.find(other).orElseThrow().held());
        DeliveryJob job = q.poll(now());
        assertEquals(other, job.id());
        assertNull(q.poll(now()), "the held message is not handed out");
        assertEquals(0, q.flush(), "a flush does not release it");
        assertNull(q.poll(now()));

        q = open();
        assertTrue(q.find(held).orElseThrow().held(), "held after a restart");
        assertTrue(q.list().stream().anyMatch(e -> e.id().equals(held) && e.held()), "the list says so");
        DeliveryJob first = q.poll(now());
        assertEquals(other, first.id(), "only the other one");
        assertNull(q.poll(now()));

        assertTrue(done(q.admin().release(held)));
        assertFalse(q.find(held).orElseThrow().held());
        DeliveryJob released = q.poll(now());
        assertNotNull(released, "released: due now");
        assertEquals(held, released.id());
        q.report(released, List.of(Outcome.deferred("451 later"))).get();

        q = open();
        assertFalse(q.find(held).orElseThrow().held(), "the release is durable too");
    }

    @Test
    void holdingWhileADeliveryIsUnderWayLetsItFinishAndKeepsTheRestBack() throws Exception {
        DurableQueue q = open();
        String id = enqueue(q, "a@d.example", "b@d.example");
        DeliveryJob job = q.poll(now());
        assertTrue(done(q.admin().hold(id)));
        q.report(job, List.of(Outcome.delivered("250 ok"), Outcome.deferred("451 later"))).get();
        assertEquals(0, q.flush(), "a held message's delivery is not counted as made due");
        assertNull(q.poll(now()), "held: the deferred recipient waits");
        assertTrue(done(q.admin().release(id)));
        DeliveryJob again = q.poll(now());
        assertEquals(List.of("b@d.example"), Envelopes.addresses(again.recipients()));
        assertNull(q.poll(now()), "handed out once, not twice");
    }

    @Test
    void deleteOfAHeldMessageWorksAndUnknownIdsAreRefused() throws Exception {
        DurableQueue q = open();
        String id = enqueue(q, "a@d.example");
        assertTrue(done(q.admin().hold(id)));
        assertTrue(done(q.admin().delete(id)));
        assertTrue(q.find(id).isEmpty());
        assertFalse(done(q.admin().delete(id)));
        assertFalse(done(q.admin().hold(id)));
        assertFalse(done(q.admin().release(id)));
        assertFalse(done(q.admin().hold("nonsense")));
        q = open();
        assertTrue(q.find(id).isEmpty(), "deleted for good");
        assertEquals(0, q.size());
    }

    @Test
    void aHeldMessageExpiresOnlyOnceReleased() throws Exception {
        RetrySchedule quick = new RetrySchedule(List.of(Duration.ofMillis(10)), Duration.ofMillis(50), 0);
        DurableQueue q = open(new QueueConfig(dir, QueueConfig.DEFAULT_SEGMENT_SIZE, QueueConfig.DEFAULT_INLINE_LIMIT,
                quick));
        String id = enqueue(q, "a@d.example");
        assertTrue(done(q.admin().hold(id)));
        Thread.sleep(80);
        assertNull(q.poll(now()), "past its lifetime, but held: neither delivered nor bounced");
        assertTrue(q.find(id).isPresent());
        assertTrue(done(q.admin().release(id)));
        DeliveryJob job = q.poll(now());
        assertTrue(job.expired(), "released past its lifetime: it fails at once");
    }

    @Test
    void aHeldMessageStaysHeldWhenTheCompactorMovesIt() throws Exception {
        long segment = 64 * 1024;
        QueueConfig c = new QueueConfig(dir, segment, 8 * 1024, RetrySchedule.DEFAULT);
        DurableQueue q = open(c);
        byte[] keeperBody = new byte[30_000];
        new Random(3).nextBytes(keeperBody);
        String keeper = enqueue(q, keeperBody, "a@far.example");
        String released = enqueue(q, "b@far.example");
        assertTrue(done(q.admin().hold(keeper)));
        assertTrue(done(q.admin().hold(released)));
        assertTrue(done(q.admin().release(released)));
        DeliveryJob job = q.poll(Route.smtp("far.example"), now());
        assertEquals(released, job.id());
        q.report(job, List.of(Outcome.deferred("451 later"))).get();
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 20; i++) {
                enqueue(q, new byte[3000], "r@fast.example");
            }
            DeliveryJob fast;
            while ((fast = q.poll(Route.smtp("fast.example"), now())) != null) {
                q.report(fast, List.of(Outcome.delivered("250"))).get();
            }
        }
        assertTrue(q.diskBytes() < 8 * segment, "both were moved: disk " + q.diskBytes());
        q = open(c);
        assertTrue(q.find(keeper).orElseThrow().held(), "still held after its move and a restart");
        assertFalse(q.find(released).orElseThrow().held(), "still released after its move and a restart");
        assertArrayEquals(keeperBody, q.body(keeper).orElseThrow().readAll());
        assertEquals(1, q.flush());
        DeliveryJob only = q.poll(now());
        assertEquals(released, only.id());
        assertNull(q.poll(now()));
    }
}
