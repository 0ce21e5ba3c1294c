package dev.mta.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** What a run counts, from every event loop at once: latencies per phase (microseconds), outcomes, errors. */
final class LoadStats {
    /** Longest latency recorded exactly: an hour. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Map<Phase, Histogram> histograms = new EnumMap<>(Phase.class);
    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    LoadStats() {
        for (Phase p : Phase.values()) {
            histograms.put(p, new ConcurrentHistogram(HIGHEST_MICROS, 3));
        }
    }

    void record(Phase phase, long nanos) {
        histograms.get(phase).recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    /** A message's MAIL FROM went out (or its connection was attempted). */
    void sent() {
        sent.increment();
    }

    void accepted() {
        accepted.increment();
    }

    /** A message that was not accepted, for the reason {@code key} (e.g. "RCPT 450", "connect: refused"). */
    void failed(String key) {
        failed.increment();
        error(key);
    }

    /** A failed message whose reason is counted among the errors already (a refused RCPT, when its reply came). */
    void failedWithoutError() {
        failed.increment();
    }

    /** An error that did not by itself fail a message (e.g. one recipient of several refused). */
    void error(String key) {
        errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void connected() {
        connections.increment();
    }

    long sentCount() {
        return sent.sum();
    }

    long acceptedCount() {
        return accepted.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    long connectionCount() {
        return connections.sum();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A copy of the phase's histogram. */
    Histogram histogram(Phase phase) {
        return histograms.get(phase).copy();
    }

    /** Errors by key, sorted. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
