package dev.mta.server.metrics;

import dev.mta.queue.DurableQueue;
import dev.mta.server.logging.DroppedLogLines;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The MTA's metrics in one Micrometer registry, rendered in the Prometheus text format: the JVM's and Netty's
 * (bound here), the mail event stream's ({@link #mail()}), the SMTP listeners' ({@link #smtp()}), the POP3 server's
 * ({@link #pop3()}), the queue's and the relay's (bound once they exist).
 */
public final class MtaMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MailMetrics mail;
    private final SmtpMetrics smtp;
    private final Pop3Metrics pop3;

    public MtaMetrics() {
        PromtoolNames.apply(registry); // first: filters apply only to meters registered after them
        mail = new MailMetrics(registry);
        smtp = new SmtpMetrics(registry);
        pop3 = new Pop3Metrics(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyMemoryMetrics().bindTo(registry);
        // Lines the never-blocking log appender had to drop: never silently (the count is asked afresh each scrape).
        DroppedLogLines dropped = DroppedLogLines.ofThisProcess();
        FunctionCounter.builder("mta.log.lines.dropped", dropped, DroppedLogLines::count)
                .description("Log lines dropped because the log output could not keep up (a WARN says so too)")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The listener of the mail event stream. */
    public MailMetrics mail() {
        return mail;
    }

    /** The observers of the SMTP listeners. */
    public SmtpMetrics smtp() {
        return smtp;
    }

    /** The observer of the POP3 server. */
    public Pop3Metrics pop3() {
        return pop3;
    }

    /** The queue's gauges and commit meters. */
    public void bindQueue(DurableQueue queue) {
        QueueMetrics.bind(registry, queue);
    }

    // The suppliers below are lambdas nothing else holds: the gauges keep them strongly (Micrometer's are weak).

    /** The relay's outbound connections open now ({@code () -> 0} when the relay is off). */
    public void bindRelay(IntSupplier openConnections) {
        Gauge.builder("mta.relay.connections.open", openConnections, IntSupplier::getAsInt)
                .description("Outbound SMTP connections open now: delivering, or kept for the next message")
                .strongReference(true).register(registry);
    }

    /** Free space on the spool's file system, as the spool probe last measured it. */
    public void bindSpoolFree(LongSupplier freeBytes) {
        Gauge.builder("mta.spool.free", freeBytes, LongSupplier::getAsLong).baseUnit("bytes")
                .description("Bytes free for the MTA on the spool's file system, measured every few seconds")
                .strongReference(true).register(registry);
    }

    /** 1 while the MTA is ready (what /health/ready says), else 0. */
    public void bindReadiness(BooleanSupplier ready) {
        Gauge.builder("mta.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while the MTA takes mail (GET /health/ready answers 200), else 0")
                .strongReference(true).register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
