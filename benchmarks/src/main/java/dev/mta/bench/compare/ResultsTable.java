package dev.mta.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as Markdown: per scenario, a row for each run, then the ratios us/Postfix and us/ceiling. A ratio
 * above 1 means more of that figure for us: better for rates, worse for latency, CPU and memory.
 */
final class ResultsTable {
    static final String HEADER = "| run | accepted/s | delivered/s | delivered/s during load | p50 ms | p99 ms | p99.9 ms | CPU s / 1k msgs "
            + "| peak PSS MB | exactly once |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";

    private ResultsTable() {
    }

    static String markdown(List<RunResult> results) {
        Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
        for (RunResult r : results) {
            byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder b = new StringBuilder();
        byScenario.forEach((scenario, rows) -> {
            b.append("### ").append(scenario).append("\n\n").append(HEADER);
            rows.forEach(r -> b.append(row(r)));
            RunResult us = find(rows, Contender.MTA);
            RunResult postfix = find(rows, Contender.POSTFIX);
            RunResult ceiling = find(rows, Contender.CEILING);
            if (us != null && postfix != null) {
                b.append(ratioRow("us / Postfix", us, postfix, true));
            }
            if (us != null && ceiling != null) {
                b.append(ratioRow("us / ceiling", us, ceiling, false));
            }
            rows.stream().filter(r -> !r.note().isEmpty())
                    .forEach(r -> b.append("\n").append(r.server()).append(": ").append(r.note()).append('\n'));
            b.append('\n');
        });
        return b.toString();
    }

    static String row(RunResult r) {
        return "| " + r.server() + " | " + rate(r.acceptedPerSecond()) + " | " + rate(r.deliveredPerSecond()) + " | "
                + rate(r.deliveredWhileLoadingPerSecond()) + " | " + ms(r.p50()) + " | " + ms(r.p99()) + " | " + ms(r.p999()) + " | " + cpu(r.cpuPer1000()) + " | "
                + mb(r.peakPssBytes()) + " | " + (r.exactlyOnce() ? "yes, " + r.delivered() : "**no**: "
                + r.delivered() + " of " + r.accepted() + ", " + r.missing() + " missing, " + r.duplicated()
                + " duplicated") + " |\n";
    }

    /** Ratios of us to {@code other}; CPU and memory only against a server ({@code withResources}). */
    static String ratioRow(String name, RunResult us, RunResult other, boolean withResources) {
        return "| *" + name + "* | " + ratio(us.acceptedPerSecond(), other.acceptedPerSecond()) + " | "
                + ratio(us.deliveredPerSecond(), other.deliveredPerSecond()) + " | "
                + ratio(us.deliveredWhileLoadingPerSecond(), other.deliveredWhileLoadingPerSecond()) + " | "
                + ratio(us.p50(), other.p50())
                + " | " + ratio(us.p99(), other.p99()) + " | " + ratio(us.p999(), other.p999()) + " | "
                + (withResources ? ratio(us.cpuPer1000(), other.cpuPer1000()) : "") + " | "
                + (withResources ? ratio(us.peakPssBytes(), other.peakPssBytes()) : "") + " | |\n";
    }

    static String ratio(double us, double other) {
        if (!(us >= 0) || !(other > 0) || Double.isInfinite(us)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", us / other);
    }

    static String rate(double perSecond) {
        return perSecond > 0 ? String.format(Locale.ROOT, "%,.0f", perSecond) : "–";
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%,.0f", ms);
    }

    static String cpu(double seconds) {
        return Double.isNaN(seconds) ? "–" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    static String mb(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", bytes / 1048576.0);
    }

    private static RunResult find(List<RunResult> rows, Contender c) {
        return rows.stream().filter(r -> r.contender() == c).findFirst().orElse(null);
    }
}
