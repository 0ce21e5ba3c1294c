package dev.mta.server;

import dev.mta.server.config.Defaults;
import dev.mta.server.config.MetricsSettings;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-listen}, a picocli mixin of {@link MtaMain}: where Prometheus metrics and the health checks are
 * served over HTTP, or {@code off}. Its error names the key.
 */
final class MetricsOptions {
    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT|off", defaultValue = Defaults.METRICS_LISTEN,
            description = "HTTP listener for GET /metrics (Prometheus), /health/live and /health/ready, or off "
                    + "(default: ${DEFAULT-VALUE})")
    String metricsListen;

    /** The settings these options give; IllegalArgumentException naming the key when the value is bad. */
    MetricsSettings settings() {
        return OptionValues.parsed("metrics-listen", () -> MetricsSettings.parse(metricsListen));
    }
}
