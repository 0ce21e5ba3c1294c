package dev.mta.bench.compare;

import dev.mta.bench.load.LoadReport;
import dev.mta.bench.load.LoadRun;
import dev.mta.bench.load.LoadSettings;
import dev.mta.bench.load.SizeDistribution;
import dev.mta.bench.sink.ExpectedIds;
import dev.mta.bench.sink.Sink;
import dev.mta.bench.sink.SinkSettings;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run: a fresh sink (the same settings every time), the server under test in front of it (or none: the
 * ceiling), an optional warm-up load drained to the sink, then the measured load; CPU and peak PSS of the server
 * over the measured load and its delivery.
 */
final class CompareRun {
    private final CompareSettings settings;
    private final PrintStream log;

    CompareRun(CompareSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    RunResult run(Scenario scenario, Contender contender) throws Exception {
        SinkSettings sinkSettings = SinkSettings.acceptAll(new InetSocketAddress("127.0.0.1", 0))
                .withRcptFailures(settings.sinkRcptTempFailPct(), 0);
        try (Sink sink = Sink.start(sinkSettings); Subject subject = subject(contender, sink, scenario)) {
            String runId = contender.option + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            if (settings.warmup() > 0) {
                LoadReport warm = load(subject, scenario, settings.warmup(), runId + "w");
                DeliveryWatch.await(sink, 0, warm.accepted(), runId + "w", null, settings.drainTimeout());
            }
            long baseline = sink.counts().messages();
            long pid = subject.rootPid();
            double cpuBefore = pid > 0 ? ProcFs.treeCpuSeconds(pid) : 0;
            ResourceSampler pss = pid > 0 ? ResourceSampler.pss(pid) : null;
            LoadReport report = load(subject, scenario, settings.messages(), runId);
            long deliveredWhileLoading = sink.counts().messages() - baseline;
            // The load's first send: its report's elapsed time back from its end (event loop start-up excluded).
            long start = System.nanoTime() - (long) (report.seconds() * 1e9);
            ExpectedIds expected = report.failed() == 0
                    ? ExpectedIds.numbered(runId + "-", 0, report.sent()) : null;
            DeliveryWatch.Outcome out = DeliveryWatch.await(sink, baseline, report.accepted(), runId, expected,
                    settings.drainTimeout());
            double cpu = pid > 0 ? ProcFs.treeCpuSeconds(pid) - cpuBefore : Double.NaN;
            long peak = -1;
            if (pss != null) {
                pss.close();
                peak = pss.peak();
            }
            return result(scenario, contender, report, out, deliveredWhileLoading, start, cpu, peak);
        }
    }

    private Subject subject(Contender c, Sink sink, Scenario s) throws Exception {
        return switch (c) {
            case CEILING -> new SinkItself(sink.address());
            case MTA -> ChildMta.start(settings.mtaJar(), sink.address(), s.sessions(), settings.mtaJvmOptions());
            case POSTFIX -> PostfixInstance.start(sink.address(), s.sessions());
        };
    }

    private LoadReport load(Subject subject, Scenario s, long messages, String runId) throws Exception {
        LoadSettings ls = new LoadSettings(subject.smtp(), s.sessions(), messages, null, 0, s.perConnection(),
                settings.recipients(), SizeDistribution.parse(s.size()), true, false, null, "load@mta-bench.invalid",
                "sink.invalid", runId, "mta-bench.invalid", settings.timeout(), 0);
        return LoadRun.run(ls, log, false, settings.quiet() ? 0 : 5_000);
    }

    private static RunResult result(Scenario s, Contender c, LoadReport r, DeliveryWatch.Outcome out,
                                    long deliveredWhileLoading, long start, double cpu, long peak) {
        double deliverySeconds = (out.lastArrival() - start) / 1e9;
        var total = r.latency().get("total");
        StringBuilder note = new StringBuilder();
        if (out.timedOut()) {
            note.append("delivery timed out; ");
        }
        if (r.failed() > 0) {
            note.append(r.failed()).append(" refused to the load ").append(r.errors()).append("; ");
        }
        if (!out.check().ok()) {
            note.append(out.check().missing()).append(" missing, ").append(out.check().duplicated())
                    .append(" duplicated; ");
        }
        return new RunResult(s.label(), c, c == Contender.POSTFIX ? "Postfix " + PostfixInstance.version() : c.label,
                r.sent(), r.accepted(), r.failed(), out.delivered(), r.throughput(),
                deliverySeconds > 0 ? out.delivered() / deliverySeconds : 0,
                r.seconds() > 0 ? deliveredWhileLoading / r.seconds() : 0, total.p50(), total.p99(), total.p999(),
                out.delivered() > 0 ? cpu * 1000 / out.delivered() : Double.NaN, peak,
                out.check().ok() && !out.timedOut(), out.check().missing(), out.check().duplicated(),
                note.toString().strip());
    }

    /** The ceiling: the load goes straight to the sink. */
    record SinkItself(InetSocketAddress smtp) implements Subject {
        @Override
        public long rootPid() {
            return -1;
        }

        @Override
        public void close() {
        }
    }
}
