package dev.mta.bench.sink;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code mta-bench sink}: runs a {@link Sink} until a signal, a duration or a message count, then reports. */
@Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A fast SMTP sink that accepts everything, or refuses, delays and drops a share of it on purpose,",
                "stores nothing, and checks from the X-Bench-Id headers that each expected message came exactly once.",
                "Prints counts every --report-every seconds and a report on SIGTERM/SIGINT, after --duration or",
                "--exit-after. Exit status: 0, or 1 when the exactly-once check failed."})
public final class SinkCommand implements Callable<Integer> {
    /** How often the stop conditions are looked at. */
    private static final long POLL_MS = 50;

    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Address to listen on.")
    private String listen;

    @Option(names = "--rcpt-temp-fail", paramLabel = "PCT", defaultValue = "0",
            description = "Share of RCPTs answered 451 4.3.0.")
    private double rcptTempFail;

    @Option(names = "--rcpt-perm-fail", paramLabel = "PCT", defaultValue = "0",
            description = "Share of RCPTs answered 550 5.1.1.")
    private double rcptPermFail;

    @Option(names = "--data-temp-fail", paramLabel = "PCT", defaultValue = "0",
            description = "Share of messages answered 451 4.3.0 at the end of data.")
    private double dataTempFail;

    @Option(names = "--data-perm-fail", paramLabel = "PCT", defaultValue = "0",
            description = "Share of messages answered 554 5.6.0 at the end of data.")
    private double dataPermFail;

    @Option(names = "--delay-greeting", paramLabel = "MS", defaultValue = "0", description = "Delay before the 220.")
    private long delayGreeting;

    @Option(names = "--delay-rcpt", paramLabel = "MS", defaultValue = "0", description = "Delay before each RCPT reply.")
    private long delayRcpt;

    @Option(names = "--delay-data", paramLabel = "MS", defaultValue = "0",
            description = "Delay before the reply at the end of data.")
    private long delayData;

    @Option(names = "--drop-connections", paramLabel = "PCT", defaultValue = "0",
            description = "Share of connections closed, unanswered, at their first DATA command.")
    private double dropConnections;

    @Option(names = "--stall-after", paramLabel = "N", defaultValue = "0",
            description = "Once N messages are accepted, answer nothing for --stall-for (once).")
    private long stallAfter;

    @Option(names = "--stall-for", paramLabel = "MS", defaultValue = "2000", description = "Length of the stall.")
    private long stallFor;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the refusals and drops (default: random, reported).")
    private Long seed;

    @Option(names = "--starttls", description = "Offer STARTTLS with a self-signed certificate.")
    private boolean starttls;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "104857600",
            description = "SIZE advertised; a larger declared SIZE is refused.")
    private long maxSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Event loops (0: one per core).")
    private int threads;

    @Option(names = "--expect", paramLabel = "FILE", description = "Ids expected exactly once, one a line.")
    private Path expectFile;

    @Option(names = "--expect-count", paramLabel = "N",
            description = "Expect the ids PREFIX+FIRST .. PREFIX+(FIRST+N-1) exactly once.")
    private Long expectCount;

    @Option(names = "--id-prefix", paramLabel = "PREFIX", defaultValue = "", description = "With --expect-count.")
    private String idPrefix;

    @Option(names = "--id-first", paramLabel = "FIRST", defaultValue = "0", description = "With --expect-count.")
    private long idFirst;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds.")
    private Double duration;

    @Option(names = "--exit-after", paramLabel = "N", description = "Stop once N messages are accepted.")
    private Long exitAfter;

    @Option(names = "--report-every", paramLabel = "S", defaultValue = "5",
            description = "Seconds between progress lines (0: none).")
    private double reportEvery;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the final report as JSON.")
    private Path json;

    /** For picocli and for tests. */
    public SinkCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        if (expectFile != null && expectCount != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--expect and --expect-count exclude each other");
        }
        ExpectedIds expected = expectFile != null ? ExpectedIds.fromFile(expectFile)
                : expectCount != null ? ExpectedIds.numbered(idPrefix, idFirst, expectCount) : null;
        SinkSettings settings = settings();
        StopSignal stop = StopSignal.install();
        try (Sink sink = Sink.start(settings)) {
            out.printf("sink listening on %s (seed %d)%n", HostPort.format(sink.address()), settings.seed());
            out.flush();
            waitForStop(sink, stop, out);
            sink.close();
            SinkReport report = sink.report(expected);
            out.print(report.text());
            out.flush();
            if (json != null) {
                report.writeJson(json);
            }
            return report.exactlyOnce().ok() ? 0 : 1;
        } finally {
            stop.uninstall();
        }
    }

    private SinkSettings settings() {
        try {
            return new SinkSettings(HostPort.parse(listen), rcptTempFail, rcptPermFail, dataTempFail, dataPermFail, delayGreeting,
                    delayRcpt, delayData, dropConnections, stallAfter, stallFor,
                    seed != null ? seed : System.nanoTime(), starttls, maxSize, threads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private void waitForStop(Sink sink, StopSignal stop, PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + (long) (duration * 1e9);
        long every = (long) (reportEvery * 1e9);
        long nextReport = start + every;
        while (!stop.await(POLL_MS, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return;
            }
            if (exitAfter != null && sink.counts().messages() >= exitAfter) {
                // the last 250 (and its delay, if any) leaves before the connections close
                Thread.sleep(200 + delayData);
                return;
            }
            if (every > 0 && now - nextReport >= 0) {
                out.println(sink.report(null).progressLine());
                out.flush();
                nextReport += every;
            }
        }
    }
}
