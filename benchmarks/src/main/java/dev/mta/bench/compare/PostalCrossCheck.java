package dev.mta.bench.compare;

import dev.mta.bench.sink.Sink;
import dev.mta.bench.sink.SinkSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A second witness: Debian's {@code postal} (Russell Coker's SMTP benchmark, not ours) sends to the server under test
 * for a while, and the sink's count over a steady window gives the delivered rate. postal numbers nothing, so there
 * is no exactly-once check here, and it reports only once a minute, so the sink is the clock. postal caps itself at
 * 24,000 messages a minute (400 a second) by default; its {@code -r} above that misbehaved here.
 */
final class PostalCrossCheck {
    static final String POSTAL = "/usr/sbin/postal";

    /** One cross-check's figure: messages a second arriving at the sink over {@code seconds}, after a ramp-up. */
    record Result(String scenario, Contender contender, String server, double deliveredPerSecond, long messages,
                  double seconds, String command) {
    }

    private PostalCrossCheck() {
    }

    static String unavailable() {
        return Files.isExecutable(Path.of(POSTAL)) ? null : "postal is not installed (apt-get install postal)";
    }

    static Result run(Scenario s, Contender c, CompareSettings settings, double rampSeconds, double windowSeconds)
            throws Exception {
        SinkSettings sinkSettings = SinkSettings.acceptAll(new InetSocketAddress("127.0.0.1", 0))
                .withRcptFailures(settings.sinkRcptTempFailPct(), 0);
        Path users = Files.createTempFile("compare-postal", ".users");
        try (Sink sink = Sink.start(sinkSettings); Subject subject = subject(c, sink, s, settings)) {
            Files.writeString(users, "bench0@sink.invalid\n");
            List<String> cmd = command(s, subject.smtp(), users);
            Process postal = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep((long) (rampSeconds * 1000));
                long before = sink.counts().messages();
                long t0 = System.nanoTime();
                Thread.sleep((long) (windowSeconds * 1000));
                long n = sink.counts().messages() - before;
                double secs = (System.nanoTime() - t0) / 1e9;
                return new Result(s.label(), c, c == Contender.POSTFIX ? "Postfix " + PostfixInstance.version()
                        : c.label, n / secs, n, secs, String.join(" ", cmd));
            } finally {
                postal.destroy();
                if (!postal.waitFor(5, TimeUnit.SECONDS)) {
                    postal.destroyForcibly();
                    postal.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            Files.deleteIfExists(users);
        }
    }

    /** postal with the scenario's shape: size in KB (min = max), a thread per session, messages per connection. */
    static List<String> command(Scenario s, InetSocketAddress target, Path users) {
        int[] sizes = dev.mta.bench.load.SizeDistribution.parse(s.size()).sizes();
        String kb = Integer.toString(Math.max(1, sizes[0] / 1024));
        List<String> cmd = new ArrayList<>(List.of(POSTAL, "-m", kb, "-M", kb, "-t", Integer.toString(s.sessions()),
                "-c", Integer.toString(s.perConnection() == 0 ? 1000 : s.perConnection())));
        cmd.add(String.format(Locale.ROOT, "[%s]%d", target.getHostString(), target.getPort()));
        cmd.add(users.toString());
        return cmd;
    }

    private static Subject subject(Contender c, Sink sink, Scenario s, CompareSettings settings) throws Exception {
        return switch (c) {
            case CEILING -> new CompareRun.SinkItself(sink.address());
            case MTA -> ChildMta.start(settings.mtaJar(), sink.address(), s.sessions(), settings.mtaJvmOptions());
            case POSTFIX -> PostfixInstance.start(sink.address(), s.sessions());
        };
    }

    /** A Markdown table of the cross-checks, beside our generator's delivered/s in the same scenario. */
    static String markdown(List<Result> results, List<RunResult> ours) {
        StringBuilder b = new StringBuilder("### Cross-check with postal (an independent generator)\n\n"
                + "| scenario | server | postal: delivered/s | our load: delivered/s |\n| --- | --- | ---: | ---: |\n");
        for (Result r : results) {
            double mine = ours.stream().filter(o -> o.scenario().equals(r.scenario()) && o.contender() == r.contender())
                    .mapToDouble(RunResult::deliveredPerSecond).findFirst().orElse(0);
            b.append("| ").append(r.scenario()).append(" | ").append(r.server()).append(" | ")
                    .append(ResultsTable.rate(r.deliveredPerSecond())).append(" | ").append(ResultsTable.rate(mine))
                    .append(" |\n");
        }
        return b.append('\n').toString();
    }
}
