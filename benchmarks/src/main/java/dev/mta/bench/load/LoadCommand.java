package dev.mta.bench.load;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code mta-bench load}: sends SMTP load to a server and reports throughput and latency per phase. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends SMTP load to HOST:PORT and reports throughput and latency per phase.",
                "Closed loop by default; --rate makes it open loop: message n is due at n/rate seconds and its "
                        + "latency counts from then, whether or not a session was free (no coordinated omission)."})
public final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "the SMTP server")
    String target;

    @Option(names = "--sessions", defaultValue = "10", paramLabel = "N", description = "concurrent sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--messages", paramLabel = "N",
            description = "messages in all (default 1000 without --duration; with it, no limit)")
    Long messages;

    @Option(names = "--duration", paramLabel = "S", description = "stop taking new messages after S seconds")
    Double duration;

    @Option(names = "--rate", paramLabel = "R", description = "open loop: R messages a second, on schedule")
    Double rate;

    @Option(names = "--size", defaultValue = "10k", paramLabel = "BYTES",
            description = "message size, or sizes with weights: 1k:60,10k:30,100k:10 (k = 1024; default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--per-connection", defaultValue = "0", paramLabel = "N",
            description = "messages per connection; 1 = a new connection each, 0 = reuse for the whole run (default)")
    int perConnection;

    @Option(names = "--recipients", defaultValue = "1", paramLabel = "N", description = "RCPT TOs per message (default ${DEFAULT-VALUE})")
    int recipients;

    @Option(names = "--pipelining", defaultValue = "on", arity = "1", paramLabel = "on|off",
            converter = OnOff.class, description = "pipeline MAIL, RCPT and DATA when the server offers PIPELINING (default on)")
    boolean pipelining;

    @Option(names = "--starttls", description = "STARTTLS before the mail (the certificate is not checked)")
    boolean startTls;

    @Option(names = "--auth", paramLabel = "USER:PASS", description = "AUTH PLAIN; only after --starttls or on loopback")
    String auth;

    @Option(names = "--from", defaultValue = "load@mta-bench.invalid", paramLabel = "ADDRESS", description = "MAIL FROM (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to-domain", defaultValue = "sink.invalid", paramLabel = "DOMAIN",
            description = "recipients are benchN@DOMAIN (default ${DEFAULT-VALUE})")
    String toDomain;

    @Option(names = "--ehlo", defaultValue = "mta-bench.invalid", paramLabel = "NAME", description = "EHLO name (default ${DEFAULT-VALUE})")
    String ehlo;

    @Option(names = "--run-id", paramLabel = "ID", description = "X-Bench-Id prefix: each message carries ID-SEQ (default: random)")
    String runId;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "S", description = "wait for each reply (default ${DEFAULT-VALUE} s)")
    double timeout;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "event loop threads (default: cores, at most one a session)")
    int threads;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON to FILE")
    Path json;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        LoadSettings settings = settings();
        boolean terminal = System.console() != null;
        LoadReport report = LoadRun.run(settings, System.err, terminal, quiet ? 0 : terminal ? 500 : 5_000);
        ReportText.print(report, System.out);
        if (json != null) {
            ReportJson.write(report, json);
        }
        return report.accepted() > 0 && report.failed() == 0 ? 0 : 1;
    }

    /** The options checked and turned into settings; a bad one is a usage error (exit 2). */
    LoadSettings settings() {
        InetSocketAddress address;
        SizeDistribution sizes;
        try {
            address = Target.parse(target);
            sizes = SizeDistribution.parse(size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        require(sessions > 0, "--sessions must be at least 1");
        require(messages == null || messages > 0, "--messages must be at least 1");
        require(duration == null || duration > 0, "--duration must be positive");
        require(rate == null || rate > 0, "--rate must be positive");
        require(perConnection >= 0, "--per-connection must be 0 or more");
        require(recipients > 0, "--recipients must be at least 1");
        require(timeout > 0, "--timeout must be positive");
        require(auth == null || auth.indexOf(':') > 0, "--auth takes USER:PASS");
        require(auth == null || startTls || address.getAddress().isLoopbackAddress(),
                "--auth sends the password: only with --starttls, or to a loopback address");
        long limit = messages != null ? messages : duration != null ? Long.MAX_VALUE : 1000;
        return new LoadSettings(address, sessions, limit, duration == null ? null : seconds(duration),
                rate == null ? 0 : rate, perConnection, recipients, sizes, pipelining, startTls, auth, from, toDomain,
                runId != null ? runId : HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()), ehlo,
                seconds(timeout), threads);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** {@code on}/{@code off} (and true/false, yes/no) for --pipelining. */
    static final class OnOff implements picocli.CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new picocli.CommandLine.TypeConversionException("on or off, not " + value);
            };
        }
    }
}
