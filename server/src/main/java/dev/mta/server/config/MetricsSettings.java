package dev.mta.server.config;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The metrics and health listener ({@code --metrics-listen}): where it listens, or null when it is off, and how often
 * the spool is probed for readiness (a small write, to see a full or unwritable disk before mail does).
 */
public record MetricsSettings(InetSocketAddress listen, Duration probeInterval) {
    /** How often the spool is probed. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    /** No listener, no metrics. */
    public static final MetricsSettings OFF = new MetricsSettings(null, PROBE_INTERVAL);

    /** A listener on {@code listen} (port 0: any free one), probing at the usual interval. */
    public static MetricsSettings on(InetSocketAddress listen) {
        return new MetricsSettings(listen, PROBE_INTERVAL);
    }

    /** {@code --metrics-listen}'s value: HOST:PORT, or {@code off}. */
    public static MetricsSettings parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected HOST:PORT or off, got an empty value");
        }
        return "off".equalsIgnoreCase(text.strip()) ? OFF : on(HostPort.parse(text));
    }

    public boolean enabled() {
        return listen != null;
    }
}
