package dev.mta.bench.compare;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mta-bench compare}: for each scenario, the same load to the sink directly (the ceiling), through this MTA
 * and through a private Postfix, one after the other; a Markdown table, JSON and a PNG chart of the results.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the same load against the sink directly (ceiling), through this MTA and through Postfix,",
                "one after the other, and reports accepted/s, delivered/s, latency, CPU and peak PSS per run."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sessions", split = ",", defaultValue = "10", paramLabel = "N[,N...]",
            description = "concurrent sessions; several make several scenarios (default ${DEFAULT-VALUE})")
    List<Integer> sessions;

    @Option(names = "--messages", defaultValue = "2000", paramLabel = "N", description = "messages per run (default ${DEFAULT-VALUE})")
    long messages;

    @Option(names = "--size", defaultValue = "10k", paramLabel = "SIZE",
            description = "message size as load's --size; repeat the option for several scenarios (default ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--per-connection", split = ",", defaultValue = "0", paramLabel = "N[,N...]",
            description = "messages per connection, 1 = new connection each, 0 = reused; several make several scenarios")
    List<Integer> perConnection;

    @Option(names = "--recipients", defaultValue = "1", paramLabel = "N", description = "RCPT TOs per message (default ${DEFAULT-VALUE})")
    int recipients;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
            description = "messages sent and delivered before each measured run, not counted (default ${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--runs", split = ",", defaultValue = "ceiling,mta,postfix", paramLabel = "RUN[,RUN...]",
            description = "which runs: ceiling, mta, postfix (default ${DEFAULT-VALUE})")
    List<String> runs;

    @Option(names = "--sink-rcpt-temp-fail", defaultValue = "0", paramLabel = "PCT",
            description = "the sink answers 451 to this share of RCPTs (default ${DEFAULT-VALUE})")
    double sinkRcptTempFail;

    @Option(names = "--mta-jar", paramLabel = "FILE",
            description = "this MTA's jar (default server/target/mta.jar if it exists, else this class path)")
    Path mtaJar;

    @Option(names = "--mta-jvm-options", defaultValue = "-Xmx1g", split = " ", paramLabel = "OPTS",
            description = "JVM options of the MTA (default ${DEFAULT-VALUE})")
    List<String> mtaJvmOptions;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S", description = "load's wait for each reply (default ${DEFAULT-VALUE} s)")
    double timeout;

    @Option(names = "--drain-timeout", defaultValue = "600", paramLabel = "S",
            description = "longest wait for the sink to receive everything after the load ends (default ${DEFAULT-VALUE} s)")
    double drainTimeout;

    @Option(names = "--out", paramLabel = "DIR", description = "write results.md, results.json and chart.png here")
    Path out;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Option(names = "--cross-check-postal", paramLabel = "RUN[,RUN...]", split = ",",
            description = "after the runs, send with Debian's postal instead of our load to these (ceiling, mta, "
                    + "postfix) in the first scenario, and report the sink's delivered/s over a steady window")
    List<String> crossCheckPostal;

    @Option(names = "--replot", paramLabel = "DIR",
            description = "run nothing: rewrite DIR's results.md and chart.png from its results.json")
    Path replot;

    @Override
    public Integer call() throws Exception {
        if (replot != null) {
            List<RunResult> results = ResultsJson.read(replot.resolve("results.json"));
            Files.writeString(replot.resolve("results.md"), ResultsTable.markdown(results));
            ResultsChart.write(results, replot.resolve("chart.png"));
            return 0;
        }
        CompareSettings settings = settings();
        PrintStream err = System.err;
        Map<String, Object> setup = setup(settings);
        err.println("compare on " + setup.get("machine"));
        CompareRun runner = new CompareRun(settings, err);
        List<RunResult> results = new ArrayList<>();
        for (Scenario s : settings.scenarios()) {
            for (Contender c : settings.runs()) {
                err.println("== " + s.label() + ": " + c.label);
                RunResult r = runner.run(s, c);
                err.print(ResultsTable.row(r));
                results.add(r);
                write(setup, results);
            }
        }
        String md = ResultsTable.markdown(results);
        if (crossCheckPostal != null && !crossCheckPostal.isEmpty()) {
            List<PostalCrossCheck.Result> checks = new ArrayList<>();
            for (String run : crossCheckPostal) {
                Contender c = Contender.parse(run);
                err.println("== postal cross-check: " + settings.scenarios().get(0).label() + ": " + c.label);
                checks.add(PostalCrossCheck.run(settings.scenarios().get(0), c, settings, 3, 10));
            }
            md += PostalCrossCheck.markdown(checks, results);
            setup.put("postalCrossCheck", checks);
            write(setup, results);
            if (out != null) {
                Files.writeString(out.resolve("results.md"), md);
            }
        }
        System.out.print(md);
        return results.stream().allMatch(RunResult::exactlyOnce) ? 0 : 1;
    }

    /** Writes the results so far (after every run, so a long matrix cut short keeps what it measured). */
    private void write(Map<String, Object> setup, List<RunResult> results)
            throws java.io.IOException {
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.md"), ResultsTable.markdown(results));
            ResultsJson.write(setup, results, out.resolve("results.json"));
            ResultsChart.write(results, out.resolve("chart.png"));
        }
    }

    CompareSettings settings() {
        require(messages > 0, "--messages must be at least 1");
        require(recipients > 0, "--recipients must be at least 1");
        require(sinkRcptTempFail >= 0 && sinkRcptTempFail < 100, "--sink-rcpt-temp-fail is a share below 100");
        require(sessions.stream().allMatch(n -> n > 0), "--sessions must be at least 1");
        require(perConnection.stream().allMatch(n -> n >= 0), "--per-connection must be 0 or more");
        List<Contender> contenders = new ArrayList<>();
        try {
            runs.forEach(r -> contenders.add(Contender.parse(r)));
            sizes.forEach(dev.mta.bench.load.SizeDistribution::parse);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        contenders.sort(null);
        if (crossCheckPostal != null && !crossCheckPostal.isEmpty() && PostalCrossCheck.unavailable() != null) {
            throw new ParameterException(spec.commandLine(), PostalCrossCheck.unavailable());
        }
        try {
            if (crossCheckPostal != null) {
                crossCheckPostal.forEach(Contender::parse);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (contenders.contains(Contender.POSTFIX) && PostfixInstance.unavailable() != null) {
            throw new ParameterException(spec.commandLine(), PostfixInstance.unavailable()
                    + "; leave postfix out of --runs");
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String size : sizes) {
            for (int n : sessions) {
                for (int pc : perConnection) {
                    scenarios.add(new Scenario(size, n, pc));
                }
            }
        }
        Path jar = mtaJar;
        if (jar == null && Files.isRegularFile(Path.of("server/target/mta.jar"))) {
            jar = Path.of("server/target/mta.jar");
        }
        return new CompareSettings(scenarios, List.copyOf(contenders), messages, recipients, warmup, sinkRcptTempFail,
                jar, mtaJvmOptions.stream().filter(o -> !o.isBlank()).toList(), seconds(timeout),
                seconds(drainTimeout), quiet);
    }

    private Map<String, Object> setup(CompareSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        m.put("machine", Machine.describe());
        m.put("messages", s.messages());
        m.put("warmup", s.warmup());
        m.put("recipients", s.recipients());
        m.put("sinkRcptTempFailPct", s.sinkRcptTempFailPct());
        m.put("mta", ChildMta.command(s.mtaJar(), s.mtaJvmOptions(), 0, Path.of("SPOOL"),
                new java.net.InetSocketAddress("127.0.0.1", 0), s.scenarios().get(0).sessions()));
        Map<String, Object> limits = new LinkedHashMap<>();
        for (Scenario sc : s.scenarios()) {
            limits.put(sc.sessions() + " sessions",
                    new PostfixConfig(Path.of("DIR"), 0, 0, sc.sessions()).raisedLimits());
        }
        m.put("postfixRaisedLimits", limits);
        return m;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
