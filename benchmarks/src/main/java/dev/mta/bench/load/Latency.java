package dev.mta.bench.load;

import org.HdrHistogram.Histogram;

/** One phase's latency summary, in milliseconds. */
public record Latency(long count, double p50, double p90, double p99, double p999, double max) {

    /** Summarises a histogram of microseconds. */
    static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
