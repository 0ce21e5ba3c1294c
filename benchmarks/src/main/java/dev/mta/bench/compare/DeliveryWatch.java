package dev.mta.bench.compare;

import dev.mta.bench.sink.ExactlyOnce;
import dev.mta.bench.sink.ExpectedIds;
import dev.mta.bench.sink.Sink;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Waits until the sink holds every message the server accepted (its queue is then empty), noting when the last one
 * arrived, then checks by X-Bench-Id that each came exactly once. Only ids of one run id count.
 */
final class DeliveryWatch {
    /** How often the sink's count is read: the precision of the last arrival's time. */
    static final long POLL_MS = 10;
    /** After the count is reached, late duplicates get this long to show up. */
    static final long SETTLE_MS = 300;

    private DeliveryWatch() {
    }

    /**
     * @param delivered    messages of this run that arrived
     * @param lastArrival  System.nanoTime() when the count last grew
     * @param check        the exactly-once check
     * @param timedOut     whether the count was still short at the deadline
     */
    record Outcome(long delivered, long lastArrival, ExactlyOnce check, boolean timedOut) {
    }

    /**
     * Waits for {@code target} more messages than {@code baseline} at the sink, at most {@code timeout}; then checks
     * the ids {@code runId-*} against {@code expected} (null: duplicates only).
     */
    static Outcome await(Sink sink, long baseline, long target, String runId, ExpectedIds expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = sink.counts().messages() - baseline;
        long last = System.nanoTime();
        while (seen < target && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MS);
            long now = sink.counts().messages() - baseline;
            if (now != seen) {
                seen = now;
                last = System.nanoTime();
            }
        }
        boolean timedOut = seen < target;
        Thread.sleep(SETTLE_MS);
        long after = sink.counts().messages() - baseline;
        if (after != seen) {
            seen = after;
            last = System.nanoTime() - SETTLE_MS * 1_000_000 / 2;
        }
        return new Outcome(seen, last, ExactlyOnce.check(expected, only(sink.receivedIds(), runId + "-")), timedOut);
    }

    static Map<String, Integer> only(Map<String, Integer> ids, String prefix) {
        Map<String, Integer> out = new TreeMap<>();
        ids.forEach((id, n) -> {
            if (id.startsWith(prefix)) {
                out.put(id, n);
            }
        });
        return out;
    }
}
