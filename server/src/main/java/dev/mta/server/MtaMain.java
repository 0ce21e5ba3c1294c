package dev.mta.server;

import dev.mta.queue.QueueConfig;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.routing.TransportMap;
import dev.mta.queue.schedule.RetrySchedule;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.HostPort;
import dev.mta.relay.RelaySettings;
import dev.mta.server.config.ServerConfig;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static dev.mta.server.OptionValues.grace;
import static dev.mta.server.OptionValues.parsed;
import static dev.mta.server.OptionValues.seconds;

/**
 * The command line: {@code java -jar mta.jar [options]}; a --config file supplies defaults the flags override
 * ({@link ConfigFile}). Errors are one line and an exit status ({@link CommandLineErrors}).
 */
@Command(name = "mta", mixinStandardHelpOptions = true, version = "mta 0.1.0",
        subcommands = {dev.mta.server.auth.UserCommand.class, dev.mta.server.cli.QueueCommand.class, ConfigCommand.class,
                dev.mta.server.dkim.DkimCommand.class},
        description = "A non-blocking mail transfer agent. Starts with embedded defaults; flags and --config override them.")
public final class MtaMain implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file whose keys are the long option names without dashes, e.g. smtp-listen = 0.0.0.0:25; reread on SIGHUP (default: none)")
    Path configFile;

    @Option(names = "--smtp-listen", paramLabel = "HOST:PORT[,...]", defaultValue = Defaults.SMTP_LISTEN,
            description = "Addresses for SMTP, separated by commas, e.g. 0.0.0.0:25, [::]:25 (default: ${DEFAULT-VALUE})")
    String smtpListen;

    @Option(names = "--spool", paramLabel = "DIR", defaultValue = Defaults.SPOOL,
            description = "Queue directory: its segment files (default: ${DEFAULT-VALUE})")
    Path spool;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Name in the greeting, EHLO reply and Received headers (default: this machine's name)")
    String hostname;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "" + Defaults.MAX_MESSAGE_SIZE,
            description = "Largest message accepted, advertised as SIZE (default: ${DEFAULT-VALUE})")
    long maxMessageSize;

    @Option(names = "--max-recipients", paramLabel = "N", defaultValue = "" + Defaults.MAX_RECIPIENTS,
            description = "Recipients per message; more get 452 4.5.3 (default: ${DEFAULT-VALUE})")
    int maxRecipients;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + Defaults.MAX_CONNECTIONS,
            description = "Concurrent SMTP connections; more get 421 4.3.2 (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--max-line-length", paramLabel = "OCTETS", defaultValue = "" + Defaults.MAX_LINE_LENGTH,
            description = "Longest command line with its CRLF; longer gets 500 5.5.6 (default: ${DEFAULT-VALUE}, RFC 5321)")
    int maxLineLength;

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "" + Defaults.MAX_ERRORS,
            description = "Bad commands in one session before 421 and close (default: ${DEFAULT-VALUE})")
    int maxErrors;

    @Option(names = "--max-junk-commands", paramLabel = "N", defaultValue = "" + Defaults.MAX_JUNK_COMMANDS,
            description = "NOOP, RSET, VRFY, EXPN, HELP and repeated HELO/EHLO in one session before each counts as an error (default: ${DEFAULT-VALUE})")
    int maxJunkCommands;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.COMMAND_TIMEOUT_SECONDS,
            description = "Wait for the next command before 421 4.4.2 (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.7)")
    long commandTimeout;

    @Option(names = "--data-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.DATA_TIMEOUT_SECONDS,
            description = "Wait for more message content before 421 4.4.2 (default: ${DEFAULT-VALUE})")
    long dataTimeout;

    @Option(names = "--max-data-time", paramLabel = "SECONDS", defaultValue = "" + Defaults.MAX_DATA_TIME_SECONDS,
            description = "Longest a whole DATA phase may take, then 421 4.4.2 (default: ${DEFAULT-VALUE})")
    long maxDataTime;

    @Option(names = "--min-data-rate", paramLabel = "BYTES", defaultValue = "" + Defaults.MIN_DATA_RATE,
            description = "Average bytes per second a client in DATA must keep up past the data timeout; 0 = no limit (default: ${DEFAULT-VALUE})")
    long minDataRate;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "" + Defaults.SHUTDOWN_GRACE_SECONDS,
            description = "On shutdown, how long messages in flight may take to finish (default: ${DEFAULT-VALUE})")
    long shutdownGrace;

    @Option(names = "--event-loop-threads", paramLabel = "N", defaultValue = "" + Defaults.EVENT_LOOP_THREADS,
            description = "Network threads; 0 = twice the cores (default: ${DEFAULT-VALUE})")
    int eventLoopThreads;

    @Option(names = "--queue-segment-size", paramLabel = "BYTES", defaultValue = "" + Defaults.QUEUE_SEGMENT_SIZE,
            description = "Size of each queue segment file (default: ${DEFAULT-VALUE})")
    long queueSegmentSize;

    @Option(names = "--queue-heap-percent", paramLabel = "PERCENT", defaultValue = "" + Defaults.QUEUE_HEAP_PERCENT,
            description = "Share of the heap the queue's index of envelopes may take; past it new mail gets 452 4.3.1 (default: ${DEFAULT-VALUE})")
    int queueHeapPercent;

    @Option(names = "--retry-delays", paramLabel = "LIST", defaultValue = Defaults.RETRY_DELAYS,
            description = "Back-off after each temporary failure, the last repeating; units s m h d (default: ${DEFAULT-VALUE})")
    String retryDelays;

    @Option(names = "--max-lifetime", paramLabel = "DURATION", defaultValue = Defaults.MAX_LIFETIME,
            description = "How long a message may stay queued before its recipients fail and bounce (default: ${DEFAULT-VALUE})")
    String maxLifetime;

    @Option(names = "--no-relay", description = "Accept and queue mail but deliver nothing")
    boolean noRelay;

    @Option(names = "--transport-map", paramLabel = "ROUTES", defaultValue = Defaults.TRANSPORT_MAP,
            description = "Routes that win over DNS: example.com=host:port, and *=host:port for a smarthost")
    String transportMap;

    @Option(names = "--dns-server", paramLabel = "HOST:PORT",
            description = "DNS server for MX lookups (default: the system's resolvers)")
    String dnsServer;

    @Option(names = "--relay-port", paramLabel = "PORT", defaultValue = "" + Defaults.RELAY_PORT,
            description = "Port of next hops found through MX records (default: ${DEFAULT-VALUE})")
    int relayPort;

    @Option(names = "--max-outbound-connections", paramLabel = "N", defaultValue = "" + Defaults.MAX_OUTBOUND_CONNECTIONS,
            description = "Outbound SMTP connections at once (default: ${DEFAULT-VALUE})")
    int maxOutbound;

    @Option(names = "--max-per-destination", paramLabel = "N", defaultValue = "" + Defaults.MAX_PER_DESTINATION,
            description = "Outbound connections at once to one destination (default: ${DEFAULT-VALUE})")
    int maxPerDestination;

    @Option(names = "--outbound-idle-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.OUTBOUND_IDLE_TIMEOUT_SECONDS,
            description = "How long an unused outbound connection waits for the next message (default: ${DEFAULT-VALUE})")
    long outboundIdle;

    @Option(names = "--relay-connect-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_CONNECT_TIMEOUT_SECONDS,
            description = "Wait for an outbound TCP connection (default: ${DEFAULT-VALUE})")
    long relayConnectTimeout;

    @Option(names = "--relay-greeting-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_GREETING_TIMEOUT_SECONDS,
            description = "Wait for a next hop's 220 greeting (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.1)")
    long relayGreetingTimeout;

    @Option(names = "--relay-command-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_COMMAND_TIMEOUT_SECONDS,
            description = "Wait for the reply to EHLO, MAIL, RCPT, RSET or STARTTLS (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.2-3)")
    long relayCommandTimeout;

    @Option(names = "--relay-data-init-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_DATA_INIT_TIMEOUT_SECONDS,
            description = "Wait for the 354 after DATA (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.4)")
    long relayDataInitTimeout;

    @Option(names = "--relay-data-xfer-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_DATA_XFER_TIMEOUT_SECONDS,
            description = "Wait for a next hop that takes no more of the message content (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.5)")
    long relayDataXferTimeout;

    @Option(names = "--relay-data-done-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.RELAY_DATA_DONE_TIMEOUT_SECONDS,
            description = "Wait for the reply after the final dot (default: ${DEFAULT-VALUE}, RFC 5321 4.5.3.2.6; shorter risks duplicates)")
    long relayDataDoneTimeout;

    @Option(names = "--max-received-headers", paramLabel = "N", defaultValue = "" + Defaults.MAX_RECEIVED_HEADERS,
            description = "More Received headers than this fails a message as a mail loop (default: ${DEFAULT-VALUE})")
    int maxReceived;

    /** Who may relay, recipient checks, bounces and dead next hops: the relay policy's options, in a class of their own. */
    @Mixin
    RelayPolicyOptions relayPolicy = new RelayPolicyOptions();
    @Mixin RelayTlsOptions relayTls = new RelayTlsOptions();

    @Mixin
    TlsOptions tlsOptions = new TlsOptions();

    /** Per-client connection limits and the greeting pause. */
    @Mixin
    ClientLimitOptions clientLimits = new ClientLimitOptions();

    /** SMTP AUTH: --users, --auth-max-argon2-memory, --allow-plaintext-auth. */
    @Mixin
    dev.mta.server.auth.AuthOptions auth = new dev.mta.server.auth.AuthOptions();

    /** --mail-root: where local mailboxes are (local delivery, POP3). */
    @Mixin
    MailboxOptions mailbox = new MailboxOptions();

    /** Local delivery: --aliases, --mailbox-quota, --vrfy, --expn. */
    @Mixin
    LocalMailOptions localMail = new LocalMailOptions();

    /** --pop3-listen, --pop3s-listen, --pop3-idle-timeout, --pop3-max-connections: the POP3 server. */
    @Mixin
    Pop3Options pop3 = new Pop3Options();

    /** --mailauth-verify and its kin: SPF, DKIM and DMARC of received mail. */
    @Mixin
    MailauthOptions mailauth = new MailauthOptions();

    /** --bare-newline: LF-only content from authenticated clients. */
    @Mixin
    BareNewlineOptions bareNewline = new BareNewlineOptions();

    /** --metrics-listen: Prometheus metrics and health checks over HTTP. */
    @Mixin
    MetricsOptions metricsOptions = new MetricsOptions();

    /** --log-level: levels over logback.xml's, reread on SIGHUP. */
    @Mixin
    LogOptions logOptions = new LogOptions();

    /** The command line as given, read again on SIGHUP (with the --config file it names). */
    private String[] args = new String[0];

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe; IllegalArgumentException naming the key when a value is bad. */
    ServerConfig toConfig() {
        java.util.List<InetSocketAddress> listen = parsed("smtp-listen", () -> HostPort.parseList(smtpListen));
        InetSocketAddress dns = dnsServer == null ? null : parsed("dns-server", () -> HostPort.parse(dnsServer));
        if (dns != null && dns.getPort() == 0) {
            throw new IllegalArgumentException("dns-server needs a port from 1 to 65535: " + dnsServer);
        }
        parsed("transport-map", () -> TransportMap.parse(transportMap));
        ClientTimeouts relayTimeouts = new ClientTimeouts(seconds("relay-connect-timeout", relayConnectTimeout),
                seconds("relay-greeting-timeout", relayGreetingTimeout), seconds("relay-command-timeout", relayCommandTimeout),
                seconds("relay-data-init-timeout", relayDataInitTimeout),
                seconds("relay-data-xfer-timeout", relayDataXferTimeout),
                seconds("relay-data-done-timeout", relayDataDoneTimeout));
        return new ServerConfig(listen, spool, hostname != null ? hostname : Defaults.hostname(),
                maxMessageSize, maxRecipients, maxConnections, maxLineLength, maxErrors, maxJunkCommands,
                seconds("command-timeout", commandTimeout), seconds("data-timeout", dataTimeout),
                seconds("max-data-time", maxDataTime), minDataRate, grace(shutdownGrace),
                eventLoopThreads, queueSegmentSize, queueHeapPercent, parsed("retry-delays", () -> RetrySchedule.parseDelays(retryDelays)),
                parsed("max-lifetime", () -> RetrySchedule.parseDuration(maxLifetime)),
                relayTls.applyTo(new RelaySettings(!noRelay, transportMap, dns, relayPort, maxOutbound, maxPerDestination,
                        seconds("outbound-idle-timeout", outboundIdle), maxReceived, relayTimeouts))
                        .withBounces(relayPolicy.bounceSettings())
                        .withHopBackoff(relayPolicy.hopBackoff()),
                relayPolicy.relayControl(), relayPolicy.verification(), mailauth.settings());
    }

    /**
     * Every value checked, nothing opened or bound (IllegalArgumentException naming the key): what a start, a reload
     * and {@code mta config} begin with.
     */
    CheckedOptions check() {
        ServerConfig config = toConfig();
        if (config.spoolDir().toString().isBlank()) {
            throw new IllegalArgumentException("spool: must name a directory, not be empty");
        }
        if (Files.exists(config.spoolDir()) && !Files.isDirectory(config.spoolDir())) {
            throw new IllegalArgumentException("spool: " + config.spoolDir() + " is not a directory");
        }
        auth.check();
        dev.mta.mailbox.maildir.MailRoot mailRoot = mailbox.mailRoot(config.spoolDir());
        CheckedOptions checked = new CheckedOptions(config, clientLimits.clientLimits(config.relayControl()),
                bareNewline.mode(), auth.lockout(), tlsOptions.settings(), logOptions.levels(), metricsOptions.settings(),
                localMail(config), pop3.settings(mailRoot, auth.users() != null));
        checked.checkNoOverlap();
        return checked;
    }

    /**
     * Local delivery as the options say, the aliases read, and checked against the names of the users file (the
     * users themselves join at the start, {@link #withUsers}): IllegalArgumentException naming the key when the local
     * domains would have no postmaster that reaches someone (RFC 5321 4.5.1).
     */
    private dev.mta.server.config.LocalMailSettings localMail(ServerConfig config) {
        dev.mta.server.config.DomainList local = config.relayControl().localDomains();
        // The users file is read here (its names only) just when local domains need its users checked.
        dev.mta.mailbox.directory.LocalDirectory directory = new dev.mta.mailbox.directory.LocalDirectory(
                local.isEmpty() ? dev.mta.mailbox.directory.LocalDirectory.Users.NONE : userNames(),
                localMail.aliasTable());
        if (!local.isEmpty()) {
            String problem = LocalMailCheck.problem(directory, local::matches);
            if (problem != null) {
                throw new IllegalArgumentException("aliases: " + problem);
            }
        }
        return new dev.mta.server.config.LocalMailSettings(mailbox.mailRoot(config.spoolDir()), directory,
                localMail.aliasesFile(), localMail.quota(), localMail.queries());
    }

    /** The names of the users file (none without one), in any case: for the checks before the start. */
    private dev.mta.mailbox.directory.LocalDirectory.Users userNames() {
        if (auth.users() == null) {
            return dev.mta.mailbox.directory.LocalDirectory.Users.NONE;
        }
        java.util.Map<String, String> names = parsed("users",
                () -> dev.mta.server.auth.PasswdFile.load(auth.users())).namesByLowerCase();
        return n -> names.get(n.toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code lm} with the users of {@code users} (null: none) in force, as they are reloaded. */
    static dev.mta.server.config.LocalMailSettings withUsers(dev.mta.server.config.LocalMailSettings lm,
                                                             dev.mta.server.auth.UserStore users) {
        dev.mta.mailbox.directory.LocalDirectory directory = new dev.mta.mailbox.directory.LocalDirectory(
                users == null ? dev.mta.mailbox.directory.LocalDirectory.Users.NONE : users::mailboxOwner,
                lm.directory().aliases());
        return new dev.mta.server.config.LocalMailSettings(lm.mailRoot(), directory, lm.aliasesFile(), lm.quota(),
                lm.queries());
    }

    @Override
    public Integer call() throws Exception {
        StopSignals stopSignals = StopSignals.install(); // first: a stop asked for while starting is a stop too
        CheckedOptions checked = check();
        ServerConfig config = checked.config();
        checked.checkListenersFree();
        LogLevelSwitch logLevels = new LogLevelSwitch();
        logLevels.apply(checked.logLevels());
        StartupChecks.run(config);
        // Read before anything starts: a bad users file is bad configuration (one line, exit 2).
        // Its checks run on as many threads as fit the heap (auth.check() said at least one does).
        dev.mta.server.auth.UserStore users = parsed("users", () -> auth.openStore());
        Mta mta = Mta.start(config, config.queueConfig(), new FatalExit(), checked.tls(),
                new dev.mta.server.smtp.AuthSettings(users, auth.allowPlaintextAuth(), checked.bareNewline(),
                        checked.lockout()), checked.clientLimits(), checked.metrics(),
                withUsers(checked.localMail(), users), checked.pop3());
        ConfigReload reload = new ConfigReload(args, mta, logLevels, EffectiveSettings.of(spec));
        HangupSignal.onHangup(reload::reload, mta::reloadTls, mta::reloadUsers, mta::reloadAliases);
        stopSignals.stopWith(mta::close);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mta.close();
            // The async appender holds the last lines; stop logging only after the MTA has said it stopped.
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
                ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            }
        }, "shutdown"));
        mta.awaitStop();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The parser, with the --config file (if any) installed as the source of defaults. */
    static CommandLine commandLine(String[] args) {
        MtaMain main = new MtaMain();
        main.args = args.clone();
        CommandLine cmd = new CommandLine(main);
        CommandLineErrors.reportInOneLine(cmd);
        ConfigFile.install(cmd, args);
        return cmd;
    }
}
