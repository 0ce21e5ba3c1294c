package dev.mta.bench;

import dev.mta.queue.DurableQueue;
import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.QueueConfig;
import io.netty.buffer.Unpooled;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Heap bytes per queued message: fills a queue with N messages (concurrent commits, as many sessions would), then
 * measures the heap after GC, and again after reopening the queue from disk (recovery).
 *
 * <pre>java -cp benchmarks/target/mta-bench.jar dev.mta.bench.QueueFootprint 1000000 10240 DIR</pre>
 * With a count of 0 it only recovers the queue already in DIR and measures that.
 */
public final class QueueFootprint {
    private QueueFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("footprint");
        if (count > 0) {
            fill(count, size, dir);
        }
        // Separate calls: nothing of the filling queue stays reachable from this frame.
        recover(dir);
    }

    private static void fill(int count, int size, Path dir) throws Exception {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'x');
        System.out.printf("max heap %d MB; %d messages of %d bytes into %s%n",
                Runtime.getRuntime().maxMemory() >> 20, count, size, dir);

        long base = usedHeapAfterGc();
        long start = System.nanoTime();
        long syncs;
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<String>> tail = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                Envelope e = new Envelope(new MailPath("sender" + (i % 1000), "example.com", false),
                        new MailParameters(-1, BodyType.EIGHT_BIT_MIME, false),
                        List.of(new MailPath("user" + i, "dest" + (i % 500) + ".example", false)), "192.0.2.1",
                        "client.example", "ESMTP");
                IncomingMessage m = q.receive(e);
                m.write(Unpooled.wrappedBuffer(body));
                CompletableFuture<String> f = m.commit();
                f.whenComplete((id, err) -> inFlight.release());
                if (i >= count - 256) {
                    tail.add(f);
                }
            }
            for (CompletableFuture<String> f : tail) {
                f.join();
            }
            inFlight.acquire(256);
            double secs = (System.nanoTime() - start) / 1e9;
            syncs = q.syncCount();
            long used = usedHeapAfterGc() - base;
            System.out.printf("enqueued %d in %.1f s (%.0f msgs/s), %d fsyncs (%.4f per message), %d MB on disk%n",
                    q.size(), secs, count / secs, syncs, syncs / (double) count, q.diskBytes() >> 20);
            System.out.printf("heap after enqueue: %d MB = %d bytes per queued message%n", used >> 20, used / count);
        }
    }

    private static void recover(Path dir) throws Exception {
        long before = usedHeapAfterGc();
        long t = System.nanoTime();
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            long used = usedHeapAfterGc() - before;
            System.out.printf("recovered %d in %.1f s; heap after recovery: %d MB = %d bytes per queued message%n",
                    q.size(), (System.nanoTime() - t) / 1e9, used >> 20, used / Math.max(1, q.size()));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
