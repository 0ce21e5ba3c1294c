package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.compaction.Compactor;
import dev.mta.queue.log.FaultHook;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compactor moves live messages while the relay polls and reports, and never holds the index across the disk. */
class CompactionTest {
    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path dir;
    private DurableQueue queue;
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        caller.shutdownNow();
        if (queue != null) {
            queue.close();
        }
    }

    private DurableQueue open(RetrySchedule retry, FaultHook faults) throws IOException {
        if (queue != null) {
            queue.close();
        }
        queue = DurableQueue.open(new QueueConfig(dir, SEGMENT, 8 * 1024, retry).withFaults(faults));
        return queue;
    }

    private static String enqueue(DurableQueue q, byte[] body, String... rcpts) throws Exception {
        IncomingMessage m = q.receive(Envelopes.of("sender@example.com", "", List.of(rcpts), "192.0.2.1", "c.test",
                "ESMTP"));
        for (int off = 0; off < body.length; off += 4096) {
            m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, off, Math.min(body.length, off + 4096))));
        }
        return m.commit().get(30, TimeUnit.SECONDS);
    }

    private static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Mail that comes and goes at once, so that old segments hold nothing but the long-lived messages. */
    private static void traffic(DurableQueue q, int round) throws Exception {
        List<CompletableFuture<Void>> reports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            enqueue(q, body(3000, round * 100L + i), "r@fast.example");
        }
        DeliveryJob job;
        while ((job = q.poll(Route.smtp("fast.example"), System.currentTimeMillis())) != null) {
            reports.add(q.report(job, List.of(Outcome.delivered("250"))));
        }
        CompletableFuture.allOf(reports.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    }

    /** Blocks the compactor's fsync of a copy (not the writer's batches) once armed, until the gate opens. */
    private static final class BlockedCopyFsync implements FaultHook {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public void beforeFsync(long segment, FileChannel channel, long durableEnd, long end) throws IOException {
            if (armed.get() && copyingNow() && armed.compareAndSet(true, false)) {
                blocked.countDown();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static boolean copyingNow() {
            return StackWalker.getInstance().walk(frames -> {
                List<String> methods = frames.map(f -> f.getClassName() + "." + f.getMethodName())
                        .collect(Collectors.toList());
                return methods.stream().anyMatch(m -> m.startsWith(Compactor.class.getName() + "."))
                        && methods.stream().noneMatch(m -> m.endsWith(".rollIfFull") || m.endsWith(".discardSince"));
            });
        }
    }

    /** Runs {@code call} on another thread and fails unless it returns within two seconds. */
    private <T> T quickly(String what, Callable<T> call) throws Exception {
        try {
            return caller.submit(call).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " waited behind the compactor's fsync");
        }
    }

    @Test
    void theIndexAnswersWhileACopyIsFsyncedAndWhatChangedMeanwhileIsKept() throws Exception {
        BlockedCopyFsync hook = new BlockedCopyFsync();
        DurableQueue q = open(RetrySchedule.DEFAULT, hook);
        byte[] keeperBody = body(30_000, 42);
        String keeper = enqueue(q, keeperBody, "a@far.example", "b@near.example");
        hook.armed.set(true);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 0; round < 200 && hook.blocked.getCount() > 0; round++) {
                    traffic(q, round); // stops in the middle when the writer is blocked, and goes on after
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, sender);
        sender.shutdown();
        assertTrue(hook.blocked.await(60, TimeUnit.SECONDS), "the keeper's segment was compacted");

        CompletableFuture<Void> reported;
        try {
            // The writer thread sits in the fsync of the keeper's copy. The index answers all the same.
            assertTrue(quickly("hasRoom", q::hasRoom));
            assertEquals(1, quickly("size", q::size));
            assertTrue(quickly("nextDueMillis", q::nextDueMillis) <= System.currentTimeMillis());
            assertEquals(keeper, quickly("list", q::list).get(0).id());
            DeliveryJob job = quickly("poll", () -> q.poll(Route.smtp("near.example"), System.currentTimeMillis()));
            assertNotNull(job, "the keeper is handed out while being copied");
            assertArrayEquals(keeperBody, job.body().readAll(), "its body reads from where it was");
            reported = quickly("report",
                    () -> q.report(job, List.of(Outcome.deferred("451 4.3.0 later"))));
            assertFalse(reported.isDone(), "durable only once the writer goes on");
        } finally {
            hook.gate.countDown(); // the writer goes on, whatever the checks found
        }
        reported.get(30, TimeUnit.SECONDS);
        load.get(60, TimeUnit.SECONDS);
        traffic(q, 1000); // another batch, and another round of housekeeping
        assertOutcomeKept(q, keeper, keeperBody);
        DurableQueue reopened = open(RetrySchedule.DEFAULT, FaultHook.NONE);
        assertOutcomeKept(reopened, keeper, keeperBody);
        // Now unchanged and not leased, the keeper moves: the disk follows the live queue again.
        for (int round = 0; round < 60; round++) {
            traffic(reopened, 2000 + round);
        }
        assertTrue(reopened.diskBytes() < 8 * SEGMENT, "disk " + reopened.diskBytes());
        assertOutcomeKept(open(RetrySchedule.DEFAULT, FaultHook.NONE), keeper, keeperBody);
    }

    private static void assertOutcomeKept(DurableQueue q, String keeper, byte[] body) throws IOException {
        QueueEntry e = q.find(keeper).orElseThrow();
        assertEquals(List.of("a@far.example", "b@near.example"),
                e.recipients().stream().map(QueueEntry.Recipient::address).collect(Collectors.toList()));
        assertEquals(0, e.recipients().get(0).attempts());
        assertEquals(1, e.recipients().get(1).attempts());
        assertEquals("451 4.3.0 later", e.recipients().get(1).lastError());
        assertArrayEquals(body, q.body(keeper).orElseThrow().readAll());
    }

    @Test
    void outcomesReportedWhileMessagesMoveAreAllKept() throws Exception {
        RetrySchedule quick = new RetrySchedule(List.of(Duration.ofMillis(1)), Duration.ofDays(1), 0);
        DurableQueue q = open(quick, FaultHook.NONE);
        List<String> keepers = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            bodies.add(body(20_000 + k, 500 + k));
            List<String> rcpts = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                rcpts.add("k" + k + "r" + r + "@far.example");
            }
            keepers.add(enqueue(q, bodies.get(k), rcpts.toArray(new String[0])));
        }
        // The relay's side: takes the keepers' units as they come due and reports, mostly deferrals.
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread relay = new Thread(() -> {
            Random random = new Random(7);
            while (!stop.get()) {
                DeliveryJob job = q.poll(Route.smtp("far.example"), System.currentTimeMillis());
                if (job == null) {
                    Thread.onSpinWait();
                    continue;
                }
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < job.recipients().size(); i++) {
                    int n = random.nextInt(20);
                    outcomes.add(n == 0 ? Outcome.delivered("250 ok") : Outcome.deferred("451 try " + n));
                }
                reports.add(q.report(job, outcomes));
            }
        }, "test-relay");
        relay.start();
        try {
            for (int round = 0; round < 30; round++) {
                traffic(q, round);
            }
        } finally {
            stop.set(true);
            relay.join(10_000);
        }
        CompletableFuture.allOf(reports.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertTrue(reports.size() > 20, "reports ran alongside: " + reports.size());
        List<QueueEntry> before = q.list();
        DurableQueue reopened = open(quick, FaultHook.NONE);
        assertEquals(describe(before), describe(reopened.list()), "every outcome reported is on disk");
        for (int k = 0; k < keepers.size(); k++) {
            if (reopened.find(keepers.get(k)).isPresent()) {
                assertArrayEquals(bodies.get(k), reopened.body(keepers.get(k)).orElseThrow().readAll());
            }
        }
        for (int round = 0; round < 30; round++) {
            traffic(reopened, 1000 + round);
        }
        assertTrue(reopened.diskBytes() < 10 * SEGMENT, "disk " + reopened.diskBytes());
        List<QueueEntry> moved = reopened.list();
        assertEquals(describe(before), describe(open(quick, FaultHook.NONE).list()));
        assertEquals(describe(moved), describe(before));
    }

    /** What recovery must restore of each entry: recipients, states, attempts and last errors, and hold. */
    private static List<String> describe(List<QueueEntry> entries) {
        return entries.stream().map(e -> e.id() + " held=" + e.held() + " " + e.recipients().stream()
                .map(r -> r.address() + ":" + r.state() + ":" + r.attempts() + ":" + r.lastError())
                .collect(Collectors.joining(","))).collect(Collectors.toList());
    }
}
