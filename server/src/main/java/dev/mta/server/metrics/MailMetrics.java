package dev.mta.server.metrics;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The metrics the mail event stream carries: messages received and their size, delivery attempts by result and
 * transport, the delay from arrival to delivery, DSNs made, messages leaving the queue. A listener of
 * {@link dev.mta.queue.events.MailEventBus}: its counters are registered up front, an event only increments.
 */
public final class MailMetrics implements MailEvents {
    /** Size buckets: 1 KiB to 50 MiB, so histogram_quantile has something to work with. */
    private static final double[] SIZE_BUCKETS = {1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 10485760,
            26214400, 52428800};
    /** Arrival-to-delivery buckets: under a second (relayed at once) to the five days of the default lifetime. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofDays(1), Duration.ofDays(5)};

    private final Counter received;
    private final Counter dsns;
    private final DistributionSummary size;
    private final Timer delay;
    /** By result, then transport. */
    private final Counter[][] attempts = new Counter[MetricLabels.RESULTS.length][MetricLabels.TRANSPORTS.length];
    private final Counter[] removed = new Counter[MailEvent.MessageRemoved.Reason.values().length];

    public MailMetrics(MeterRegistry registry) {
        received = Counter.builder("mta.smtp.messages.received")
                .description("Messages received from clients and queued (their 250 sent)").register(registry);
        size = DistributionSummary.builder("mta.smtp.message.size").baseUnit("bytes")
                .description("Size of the messages received, as the client sent them")
                .serviceLevelObjectives(SIZE_BUCKETS).register(registry);
        dsns = Counter.builder("mta.dsn.generated")
                .description("Delivery status notifications (bounces) made here and queued").register(registry);
        delay = Timer.builder("mta.delivery.delay")
                .description("Time from a message's arrival to the delivery of one of its recipients")
                .serviceLevelObjectives(DELAY_BUCKETS).register(registry);
        for (int r = 0; r < MetricLabels.RESULTS.length; r++) {
            for (int t = 0; t < MetricLabels.TRANSPORTS.length; t++) {
                attempts[r][t] = Counter.builder("mta.delivery.attempts")
                        .description("Delivery attempts, one for each recipient tried, by result and transport")
                        .tag("result", MetricLabels.RESULTS[r]).tag("transport", MetricLabels.TRANSPORTS[t])
                        .register(registry);
            }
        }
        for (MailEvent.MessageRemoved.Reason r : MailEvent.MessageRemoved.Reason.values()) {
            removed[r.ordinal()] = Counter.builder("mta.queue.removed")
                    .description("Messages that left the queue: every recipient done, or deleted by the operator")
                    .tag("reason", MetricLabels.name(r)).register(registry);
        }
    }

    @Override
    public void messageQueued(MailEvent.MessageQueued e) {
        if (e.client() == null) {
            return; // a DSN made here: counted by bounced()
        }
        received.increment();
        size.record(e.size());
    }

    @Override
    public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
        int result = MetricLabels.resultIndex(e.outcome().kind(), e.expired());
        attempts[result][MetricLabels.transportIndex(e.route().transport())].increment();
        if (result == 0) {
            delay.record(Math.max(0, e.delayMillis()), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void bounced(MailEvent.Bounced e) {
        dsns.increment();
    }

    @Override
    public void messageRemoved(MailEvent.MessageRemoved e) {
        removed[e.reason().ordinal()].increment();
    }
}
