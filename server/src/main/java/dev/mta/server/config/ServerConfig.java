package dev.mta.server.config;

import dev.mta.queue.model.RouteResolver;
import dev.mta.relay.transport.DiscardTransport;

import dev.mta.queue.QueueConfig;
import dev.mta.relay.RelaySettings;
import dev.mta.queue.schedule.RetrySchedule;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the MTA is configured with. {@link #defaults()} gives the embedded defaults ({@link Defaults}): SMTP
 * on 127.0.0.1:2525, queue in ./data/spool.
 *
 * @param smtpListeners the SMTP listen addresses, at least one ({@link #smtpListen()} is the first)
 */
public record ServerConfig(
        List<InetSocketAddress> smtpListeners,
        Path spoolDir,
        String hostname,
        long maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxLineLength,
        int maxErrors,
        int maxJunkCommands,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration maxDataTime,
        long minDataRate,
        Duration shutdownGrace,
        int eventLoopThreads,
        long queueSegmentSize,
        int queueHeapPercent,
        List<Duration> retryDelays,
        Duration maxLifetime,
        RelaySettings relay,
        RelayControl relayControl,
        RecipientVerification verification,
        MailauthSettings mailauth) {

    /** The share of the heap that envelopes of transactions under way may take, all sessions together. */
    public static final int ENVELOPE_HEAP_PERCENT = 20;
    /** The share of the heap that content of messages being received may take, all sessions together. */
    public static final int CONTENT_HEAP_PERCENT = 10;

    /** A configuration with the default verification of received mail ({@link MailauthSettings#DEFAULT}). */
    public ServerConfig(List<InetSocketAddress> smtpListeners, Path spoolDir, String hostname, long maxMessageSize,
                        int maxRecipients, int maxConnections, int maxLineLength, int maxErrors, int maxJunkCommands,
                        Duration commandTimeout, Duration dataTimeout, Duration maxDataTime, long minDataRate,
                        Duration shutdownGrace, int eventLoopThreads, long queueSegmentSize, int queueHeapPercent,
                        List<Duration> retryDelays, Duration maxLifetime, RelaySettings relay, RelayControl relayControl,
                        RecipientVerification verification) {
        this(smtpListeners, spoolDir, hostname, maxMessageSize, maxRecipients, maxConnections, maxLineLength,
                maxErrors, maxJunkCommands, commandTimeout, dataTimeout, maxDataTime, minDataRate, shutdownGrace,
                eventLoopThreads, queueSegmentSize, queueHeapPercent, retryDelays, maxLifetime, relay, relayControl,
                verification, MailauthSettings.DEFAULT);
    }

    /** A configuration with one SMTP listen address. */
    public ServerConfig(InetSocketAddress smtpListen, Path spoolDir, String hostname, long maxMessageSize,
                        int maxRecipients, int maxConnections, int maxLineLength, int maxErrors, int maxJunkCommands,
                        Duration commandTimeout, Duration dataTimeout, Duration maxDataTime, long minDataRate,
                        Duration shutdownGrace, int eventLoopThreads, long queueSegmentSize, int queueHeapPercent,
                        List<Duration> retryDelays, Duration maxLifetime, RelaySettings relay, RelayControl relayControl,
                        RecipientVerification verification) {
        this(List.of(smtpListen), spoolDir, hostname, maxMessageSize, maxRecipients, maxConnections, maxLineLength,
                maxErrors, maxJunkCommands, commandTimeout, dataTimeout, maxDataTime, minDataRate, shutdownGrace,
                eventLoopThreads, queueSegmentSize, queueHeapPercent, retryDelays, maxLifetime, relay, relayControl,
                verification);
    }

    /** A configuration with the default relay control (only loopback may relay) and no recipient verification. */
    public ServerConfig(InetSocketAddress smtpListen, Path spoolDir, String hostname, long maxMessageSize,
                        int maxRecipients, int maxConnections, int maxLineLength, int maxErrors, int maxJunkCommands,
                        Duration commandTimeout, Duration dataTimeout, Duration maxDataTime, long minDataRate,
                        Duration shutdownGrace, int eventLoopThreads, long queueSegmentSize, int queueHeapPercent,
                        List<Duration> retryDelays, Duration maxLifetime, RelaySettings relay) {
        this(smtpListen, spoolDir, hostname, maxMessageSize, maxRecipients, maxConnections, maxLineLength, maxErrors,
                maxJunkCommands, commandTimeout, dataTimeout, maxDataTime, minDataRate, shutdownGrace, eventLoopThreads,
                queueSegmentSize, queueHeapPercent, retryDelays, maxLifetime, relay, RelayControl.DEFAULT,
                RecipientVerification.NONE);
    }

    /**
     * Each recipient's route: by its domain, except mail to the sender of our own verification probes, which is
     * taken and dropped (a next hop may answer a probe's sender, and nobody reads that mailbox).
     */
    public RouteResolver routes() {
        String probeSender = verification().sender(hostname);
        return r -> r.address().equalsIgnoreCase(probeSender) ? DiscardTransport.ROUTE
                : RouteResolver.BY_DOMAIN.routeOf(r);
    }

    /** The queue settings within this configuration. */
    public QueueConfig queueConfig() {
        return new QueueConfig(spoolDir, queueSegmentSize, QueueConfig.DEFAULT_INLINE_LIMIT,
                new RetrySchedule(retryDelays, maxLifetime, RetrySchedule.DEFAULT_JITTER), QueueConfig.heapShare(queueHeapPercent),
                QueueConfig.heapShare(CONTENT_HEAP_PERCENT), dev.mta.queue.log.FaultHook.NONE, routes());
    }

    public ServerConfig {
        smtpListeners = List.copyOf(smtpListeners);
        if (smtpListeners.isEmpty()) {
            throw new IllegalArgumentException("smtp-listen needs at least one address");
        }
        retryDelays = List.copyOf(retryDelays);
        if (relayControl == null) {
            throw new IllegalArgumentException("relay control missing");
        }
        if (verification == null) {
            verification = RecipientVerification.NONE;
        }
        if (mailauth == null) {
            mailauth = MailauthSettings.DEFAULT;
        }
        Limits.atLeast("max-message-size", maxMessageSize, 1);
        Limits.between("max-lifetime in days", maxLifetime.toDays(), 0, 365);
        for (Duration d : retryDelays) {
            Limits.between("retry-delays in milliseconds", d.toMillis(), 1, Duration.ofDays(30).toMillis());
        }
        Limits.atLeast("max-recipients", maxRecipients, 1);
        Limits.atLeast("max-connections", maxConnections, 1);
        Limits.atLeast("max-errors", maxErrors, 1);
        Limits.atLeast("max-junk-commands", maxJunkCommands, 0);
        Limits.between("queue-heap-percent", queueHeapPercent, 1, 90);
        Limits.atLeast("max-line-length", maxLineLength, 512); // RFC 5321 4.5.3.1.4
        Limits.atLeast("min-data-rate", minDataRate, 0);
        Limits.between("event-loop-threads", eventLoopThreads, 0, 1024);
        Limits.between("queue-segment-size", queueSegmentSize, 64 << 10, 1L << 30);
        if (retryDelays.isEmpty()) {
            throw new IllegalArgumentException("retry-delays needs at least one delay");
        }
        for (Duration d : new Duration[]{commandTimeout, dataTimeout, maxDataTime}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("command-timeout, data-timeout and max-data-time must be positive");
            }
        }
        if (hostname == null || hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname must be a non-empty ASCII name without spaces");
        }
    }

    /** The embedded defaults ({@link Defaults}). */
    public static ServerConfig defaults() {
        return new ServerConfig(HostPort.parse(Defaults.SMTP_LISTEN), Path.of(Defaults.SPOOL), Defaults.hostname(),
                Defaults.MAX_MESSAGE_SIZE, Defaults.MAX_RECIPIENTS, Defaults.MAX_CONNECTIONS, Defaults.MAX_LINE_LENGTH,
                Defaults.MAX_ERRORS, Defaults.MAX_JUNK_COMMANDS, Duration.ofSeconds(Defaults.COMMAND_TIMEOUT_SECONDS),
                Duration.ofSeconds(Defaults.DATA_TIMEOUT_SECONDS), Duration.ofSeconds(Defaults.MAX_DATA_TIME_SECONDS),
                Defaults.MIN_DATA_RATE, Duration.ofSeconds(Defaults.SHUTDOWN_GRACE_SECONDS), Defaults.EVENT_LOOP_THREADS,
                Defaults.QUEUE_SEGMENT_SIZE, Defaults.QUEUE_HEAP_PERCENT, RetrySchedule.DEFAULT.delays(),
                RetrySchedule.DEFAULT.maxLifetime(), RelaySettings.DEFAULT, RelayControl.DEFAULT,
                RecipientVerification.NONE);
    }

    /** The first SMTP listen address (most configurations have one). */
    public InetSocketAddress smtpListen() {
        return smtpListeners.get(0);
    }

    public ServerConfig withSmtpListen(InetSocketAddress a) {
        return copy(b -> b.smtpListeners = List.of(a));
    }

    /** These SMTP listen addresses, in order. */
    public ServerConfig withSmtpListeners(List<InetSocketAddress> addresses) {
        return copy(b -> b.smtpListeners = addresses);
    }

    public ServerConfig withSpoolDir(Path p) {
        return copy(b -> b.spoolDir = p);
    }

    public ServerConfig withLimits(long maxMessageSize, int maxRecipients, int maxConnections) {
        return copy(b -> {
            b.maxMessageSize = maxMessageSize;
            b.maxRecipients = maxRecipients;
            b.maxConnections = maxConnections;
        });
    }

    public ServerConfig withMaxErrors(int n) {
        return copy(b -> b.maxErrors = n);
    }

    public ServerConfig withMaxJunkCommands(int n) {
        return copy(b -> b.maxJunkCommands = n);
    }

    public ServerConfig withQueueHeapPercent(int percent) {
        return copy(b -> b.queueHeapPercent = percent);
    }

    public ServerConfig withQueueSegmentSize(long bytes) {
        return copy(b -> b.queueSegmentSize = bytes);
    }

    public ServerConfig withRelay(RelaySettings r) {
        return copy(b -> b.relay = r);
    }

    /** Who may relay: mynetworks, relay and local domains, the relay recipient table's file. */
    public ServerConfig withRelayControl(RelayControl r) {
        return copy(b -> b.relayControl = r);
    }

    /** Which recipients are verified at RCPT, and how. */
    public ServerConfig withVerification(RecipientVerification v) {
        return copy(b -> b.verification = v);
    }

    /** How received mail is verified (SPF, DKIM, DMARC) on the SMTP listener. */
    public ServerConfig withMailauth(MailauthSettings m) {
        return copy(b -> b.mailauth = m);
    }

    public ServerConfig withRetry(List<Duration> delays, Duration lifetime) {
        return copy(b -> {
            b.retryDelays = delays;
            b.maxLifetime = lifetime;
        });
    }

    public ServerConfig withTimeouts(Duration command, Duration data, Duration grace) {
        return copy(b -> {
            b.commandTimeout = command;
            b.dataTimeout = data;
            b.shutdownGrace = grace;
        });
    }

    /** The overall DATA limits: total time, and the average rate a client must keep up (0: no rate limit). */
    public ServerConfig withDataLimits(Duration maxTime, long minRate) {
        return copy(b -> {
            b.maxDataTime = maxTime;
            b.minDataRate = minRate;
        });
    }

    /** This configuration with some fields changed: one place that knows every field. */
    private ServerConfig copy(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /** The fields of a configuration, mutable, for {@link #copy}. */
    private static final class Fields {
        List<InetSocketAddress> smtpListeners;
        Path spoolDir;
        String hostname;
        long maxMessageSize;
        int maxRecipients;
        int maxConnections;
        int maxLineLength;
        int maxErrors;
        int maxJunkCommands;
        Duration commandTimeout;
        Duration dataTimeout;
        Duration maxDataTime;
        long minDataRate;
        Duration shutdownGrace;
        int eventLoopThreads;
        long queueSegmentSize;
        int queueHeapPercent;
        List<Duration> retryDelays;
        Duration maxLifetime;
        RelaySettings relay;
        RelayControl relayControl;
        RecipientVerification verification;
        MailauthSettings mailauth;

        Fields(ServerConfig c) {
            smtpListeners = c.smtpListeners;
            spoolDir = c.spoolDir;
            hostname = c.hostname;
            maxMessageSize = c.maxMessageSize;
            maxRecipients = c.maxRecipients;
            maxConnections = c.maxConnections;
            maxLineLength = c.maxLineLength;
            maxErrors = c.maxErrors;
            maxJunkCommands = c.maxJunkCommands;
            commandTimeout = c.commandTimeout;
            dataTimeout = c.dataTimeout;
            maxDataTime = c.maxDataTime;
            minDataRate = c.minDataRate;
            shutdownGrace = c.shutdownGrace;
            eventLoopThreads = c.eventLoopThreads;
            queueSegmentSize = c.queueSegmentSize;
            queueHeapPercent = c.queueHeapPercent;
            retryDelays = c.retryDelays;
            maxLifetime = c.maxLifetime;
            relay = c.relay;
            relayControl = c.relayControl;
            verification = c.verification;
            mailauth = c.mailauth;
        }

        ServerConfig build() {
            return new ServerConfig(smtpListeners, spoolDir, hostname, maxMessageSize, maxRecipients, maxConnections,
                    maxLineLength, maxErrors, maxJunkCommands, commandTimeout, dataTimeout, maxDataTime, minDataRate, shutdownGrace,
                    eventLoopThreads,
                    queueSegmentSize, queueHeapPercent, retryDelays, maxLifetime, relay, relayControl, verification,
                    mailauth);
        }
    }
}
