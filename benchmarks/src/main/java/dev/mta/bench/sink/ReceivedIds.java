package dev.mta.bench.sink;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** How many times each X-Bench-Id arrived in an accepted message; safe from every event loop. */
final class ReceivedIds {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    void record(String id) {
        counts.merge(id, 1, Integer::sum);
    }

    /** A copy, sorted by id. */
    Map<String, Integer> snapshot() {
        return new TreeMap<>(counts);
    }
}
