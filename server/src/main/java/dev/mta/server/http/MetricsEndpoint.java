package dev.mta.server.http;

import dev.mta.queue.DurableQueue;
import dev.mta.server.config.MetricsSettings;
import dev.mta.server.metrics.MtaMetrics;
import dev.mta.server.net.Transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Metrics and health as they run ({@code --metrics-listen}): the meters, the spool probe readiness reads, the
 * readiness checks ({@link MtaReadiness}), and the HTTP listener that serves them. Started in two steps, the probe
 * and the meters first ({@link #probe}), then the listener ({@link #listen}), so that the MTA holding it can close
 * it whole when the listener cannot bind.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final MtaMetrics metrics;
    private final SpoolProbe spoolProbe;
    private final Readiness readiness;
    private MetricsServer server;

    private MetricsEndpoint(MtaMetrics metrics, SpoolProbe spoolProbe, Readiness readiness) {
        this.metrics = metrics;
        this.spoolProbe = spoolProbe;
        this.readiness = readiness;
    }

    /**
     * Starts the spool probe of {@code spool} and binds the meters that read it, the relay's open connections and
     * readiness: ready while not {@code stopping}, {@code listening}, and the {@code queue} can take mail.
     */
    public static MetricsEndpoint probe(MtaMetrics metrics, MetricsSettings settings, Path spool,
                                        BooleanSupplier stopping, BooleanSupplier listening, DurableQueue queue,
                                        IntSupplier relayConnections) {
        SpoolProbe spoolProbe = SpoolProbe.start(spool, settings.probeInterval());
        Readiness readiness = new MtaReadiness(stopping, listening, queue, spoolProbe);
        metrics.bindRelay(relayConnections);
        metrics.bindSpoolFree(() -> spoolProbe.state().freeBytes());
        metrics.bindReadiness(() -> readiness.check().ready());
        return new MetricsEndpoint(metrics, spoolProbe, readiness);
    }

    /** Opens the HTTP listener on {@code address}; a BindException names it when it is taken. */
    public void listen(InetSocketAddress address, Transport transport) throws IOException, InterruptedException {
        server = MetricsServer.start(address, transport, metrics::scrape, readiness);
    }

    /** The listener's address, or null before it listens. */
    public InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    public MtaMetrics metrics() {
        return metrics;
    }

    /** Closes the listener, the probe and the meters, in that order. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        spoolProbe.close();
        metrics.close();
    }
}
