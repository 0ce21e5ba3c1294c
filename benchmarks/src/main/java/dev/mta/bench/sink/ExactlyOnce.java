package dev.mta.bench.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exactly-once check: which expected ids never arrived, which arrived more than once, which were not expected.
 * Totals are exact; the lists keep the first {@link #SAMPLE} of each, in id order.
 *
 * @param expected   ids expected, or -1 when nothing was (then only duplicates are checked)
 * @param distinct   distinct ids received
 * @param missing    expected ids never received
 * @param duplicated ids received more than once
 * @param extraCopies copies beyond the first, summed over the duplicated ids
 * @param unexpected ids received but not expected (0 when nothing was expected)
 */
public record ExactlyOnce(long expected, long distinct, long missing, long duplicated, long extraCopies,
                          long unexpected, List<String> missingSample, List<String> duplicatedSample,
                          List<String> unexpectedSample) {
    /** How many ids of each kind the report names. */
    public static final int SAMPLE = 20;

    /** Whether every expected id came exactly once and nothing else came (or, with no expectation, no duplicates). */
    public boolean ok() {
        return missing == 0 && duplicated == 0 && unexpected == 0;
    }

    /** The check of {@code received} (id to copies) against {@code expected} (null: duplicates only). */
    public static ExactlyOnce check(ExpectedIds expected, Map<String, Integer> received) {
        List<String> missingSample = new ArrayList<>();
        long[] missing = {0};
        if (expected != null) {
            expected.forEach(id -> {
                if (!received.containsKey(id)) {
                    if (missing[0]++ < SAMPLE) {
                        missingSample.add(id);
                    }
                }
            });
        }
        List<String> duplicatedSample = new ArrayList<>();
        List<String> unexpectedSample = new ArrayList<>();
        long duplicated = 0;
        long extra = 0;
        long unexpected = 0;
        for (Map.Entry<String, Integer> e : received.entrySet()) {
            if (e.getValue() > 1) {
                if (duplicated++ < SAMPLE) {
                    duplicatedSample.add(e.getKey() + " x" + e.getValue());
                }
                extra += e.getValue() - 1;
            }
            if (expected != null && !expected.contains(e.getKey()) && unexpected++ < SAMPLE) {
                unexpectedSample.add(e.getKey());
            }
        }
        return new ExactlyOnce(expected == null ? -1 : expected.size(), received.size(), missing[0], duplicated,
                extra, unexpected, List.copyOf(missingSample), List.copyOf(duplicatedSample),
                List.copyOf(unexpectedSample));
    }
}
