package dev.mta.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a load run found: messages sent (MAIL FROM attempted), accepted (250 after the dot), failed, accepted per
 * second over the run, latency per phase (keys as {@link Phase}'s labels) and errors by reply code or cause.
 */
public record LoadReport(String target, String mode, int sessions, String runId, String sizes, double seconds,
                         long sent, long accepted, long failed, long connections, double throughput,
                         Map<String, Latency> latency, Map<String, Long> errors) {

    /** The report of {@code stats} after {@code nanos} of running. */
    static LoadReport of(LoadSettings s, LoadStats stats, long nanos) {
        Map<String, Latency> latency = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            latency.put(p.label, Latency.of(stats.histogram(p)));
        }
        double seconds = nanos / 1e9;
        String mode = s.openLoop() ? "open loop, " + trim(s.rate()) + " msgs/s" : "closed loop";
        return new LoadReport(s.target().getHostString() + ":" + s.target().getPort(), mode, s.sessions(), s.runId(),
                s.sizes().toString(), seconds, stats.sentCount(), stats.acceptedCount(), stats.failedCount(),
                stats.connectionCount(), seconds > 0 ? stats.acceptedCount() / seconds : 0, latency, stats.errors());
    }

    static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
