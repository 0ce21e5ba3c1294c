package dev.mta.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The final report as the terminal shows it. */
final class ReportText {
    private ReportText() {
    }

    static void print(LoadReport r, PrintStream out) {
        out.printf(Locale.ROOT, "target %s, %s, %d sessions, sizes %s, run id %s%n",
                r.target(), r.mode(), r.sessions(), r.sizes(), r.runId());
        out.printf(Locale.ROOT, "sent %d, accepted %d, failed %d, connections %d in %.2f s: %.1f msgs/s accepted%n",
                r.sent(), r.accepted(), r.failed(), r.connections(), r.seconds(), r.throughput());
        out.printf(Locale.ROOT, "%-12s %9s %9s %9s %9s %9s %9s%n", "latency ms", "count", "p50", "p90", "p99",
                "p99.9", "max");
        for (Map.Entry<String, Latency> e : r.latency().entrySet()) {
            Latency l = e.getValue();
            out.printf(Locale.ROOT, "%-12s %9d %9.2f %9.2f %9.2f %9.2f %9.2f%n", e.getKey(), l.count(), l.p50(),
                    l.p90(), l.p99(), l.p999(), l.max());
        }
        if (r.errors().isEmpty()) {
            out.println("errors: none");
        } else {
            out.println("errors:");
            r.errors().forEach((k, v) -> out.printf(Locale.ROOT, "  %-30s %d%n", k, v));
        }
    }
}
