package dev.mta.server.metrics;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.log.CommitObserver;
import dev.mta.queue.log.RecoveryReport;
import dev.mta.queue.model.QueueCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The queue's meters: messages and recipients by state and the oldest one's age (from the index's counts snapshot,
 * read with no lock: a scrape never waits for the queue), the spool's size on disk, what recovery found at start,
 * and each group commit's latency and size (a {@link CommitObserver} on the writer thread).
 */
public final class QueueMetrics implements CommitObserver {
    /** Commit buckets: an fsync takes from tens of microseconds (tmpfs) to a second (a disk in trouble). */
    private static final Duration[] COMMIT_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};
    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 4096};

    private final Timer commit;
    private final DistributionSummary batch;
    private final Counter diskFull;
    private final Counter writeErrors;

    /** Registers the queue's meters and starts hearing its commits. */
    public static QueueMetrics bind(MeterRegistry registry, DurableQueue queue) {
        QueueMetrics m = new QueueMetrics(registry);
        state(registry, "mta.queue.messages", "Messages queued, by state", queue, "active", QueueCounts::activeMessages);
        state(registry, "mta.queue.messages", "Messages queued, by state", queue, "deferred", QueueCounts::deferredMessages);
        state(registry, "mta.queue.messages", "Messages queued, by state", queue, "held", QueueCounts::heldMessages);
        String rcpts = "Recipients still to deliver, by the state of their message";
        state(registry, "mta.queue.recipients", rcpts, queue, "active", QueueCounts::activeRecipients);
        state(registry, "mta.queue.recipients", rcpts, queue, "deferred", QueueCounts::deferredRecipients);
        state(registry, "mta.queue.recipients", rcpts, queue, "held", QueueCounts::heldRecipients);
        Gauge.builder("mta.queue.oldest.age", queue, q -> q.counts().oldestAgeSeconds(System.currentTimeMillis()))
                .baseUnit("seconds").description("How long the oldest queued message has waited; 0 when none is queued")
                .register(registry);
        Gauge.builder("mta.spool.size", queue, DurableQueue::diskBytes).baseUnit("bytes")
                .description("Bytes of the queue's segment files on disk").register(registry);
        RecoveryReport recovery = queue.recoveryReport();
        String found = "What recovery found when the queue was opened: messages back in the queue, and lost to damage";
        Gauge.builder("mta.queue.recovery.messages", recovery, RecoveryReport::messagesRecovered).description(found)
                .tag("result", "recovered").register(registry);
        Gauge.builder("mta.queue.recovery.messages", recovery, RecoveryReport::messagesLost).description(found)
                .tag("result", "lost").register(registry);
        Gauge.builder("mta.queue.recovery.damaged.records", recovery, RecoveryReport::damagedRecords)
                .description("Records recovery found damaged when the queue was opened (their segments are kept in "
                        + "corrupt/)").register(registry);
        queue.observeCommits(m);
        return m;
    }

    private static void state(MeterRegistry registry, String name, String description, DurableQueue queue,
                              String state, ToDoubleFunction<QueueCounts> value) {
        Gauge.builder(name, queue, q -> value.applyAsDouble(q.counts())).description(description)
                .tag("state", state).register(registry);
    }

    private QueueMetrics(MeterRegistry registry) {
        commit = Timer.builder("mta.queue.commit")
                .description("Group commits of the queue: writing a batch of records and its one fsync")
                .serviceLevelObjectives(COMMIT_BUCKETS).register(registry);
        batch = DistributionSummary.builder("mta.queue.commit.batch").baseUnit("records")
                .description("Records made durable by one fsync").serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        String failures = "Batches the queue failed to write (their messages got 452 or 451)";
        diskFull = Counter.builder("mta.queue.write.failures").description(failures).tag("reason", "disk_full")
                .register(registry);
        writeErrors = Counter.builder("mta.queue.write.failures").description(failures).tag("reason", "error")
                .register(registry);
    }

    @Override
    public void committed(int records, long nanos, boolean synced) {
        if (synced) {
            commit.record(nanos, TimeUnit.NANOSECONDS);
            batch.record(records);
        }
    }

    @Override
    public void failed(int records, boolean noSpace) {
        (noSpace ? diskFull : writeErrors).increment();
    }
}
