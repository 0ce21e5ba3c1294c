package dev.mta.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Message sizes: one size ({@code 10240}, {@code 10k}) or weighted sizes ({@code 1k:60,10k:30,100k:10}). */
public final class SizeDistribution {
    private final int[] sizes;
    private final int[] cumulativeWeights;

    private SizeDistribution(int[] sizes, int[] cumulativeWeights) {
        this.sizes = sizes;
        this.cumulativeWeights = cumulativeWeights;
    }

    /** Parses the option's text; {@code k} is 1024 bytes and {@code m} 1024 * 1024. */
    public static SizeDistribution parse(String text) {
        List<int[]> parts = new ArrayList<>();
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty size in '" + text + "'");
            }
            int colon = s.indexOf(':');
            int size = bytes(colon < 0 ? s : s.substring(0, colon));
            int weight = colon < 0 ? 1 : Integer.parseInt(s.substring(colon + 1).strip());
            if (weight <= 0) {
                throw new IllegalArgumentException("weight must be positive in '" + s + "'");
            }
            parts.add(new int[] {size, weight});
        }
        int[] sizes = new int[parts.size()];
        int[] cumulative = new int[parts.size()];
        int total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = parts.get(i)[0];
            total = Math.addExact(total, parts.get(i)[1]);
            cumulative[i] = total;
        }
        return new SizeDistribution(sizes, cumulative);
    }

    static int bytes(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024;
        } else if (t.endsWith("m")) {
            unit = 1024 * 1024;
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        long v = Long.parseLong(t) * unit;
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size out of range: " + s);
        }
        return (int) v;
    }

    /** The distinct sizes, in the order given. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Index into {@link #sizes()} of one message's size, drawn by weight. */
    public int pick(RandomGenerator random) {
        if (sizes.length == 1) {
            return 0;
        }
        int r = random.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return i;
            }
        }
        return sizes.length - 1;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        int previous = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(sizes[i]);
            if (sizes.length > 1) {
                b.append(':').append(cumulativeWeights[i] - previous);
            }
            previous = cumulativeWeights[i];
        }
        return b.toString();
    }
}
