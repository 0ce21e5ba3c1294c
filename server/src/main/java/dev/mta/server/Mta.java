package dev.mta.server;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.events.MailEventBus;
import dev.mta.relay.RelayAssembly;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.routing.TransportRoutes;
import dev.mta.relay.verify.CallAheadVerifier;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.config.LocalMailSettings;
import dev.mta.server.config.MetricsSettings;
import dev.mta.server.config.RecipientVerification;
import dev.mta.server.config.RelayControl;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.control.ControlServer;
import dev.mta.server.http.MetricsEndpoint;
import dev.mta.server.metrics.MtaMetrics;
import dev.mta.server.policy.RecipientTable;
import dev.mta.server.policy.RelayRules;
import dev.mta.server.pop3.Pop3Server;
import dev.mta.server.pop3.Pop3Settings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.smtp.SmtpServer;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running MTA: queue, event loops and SMTP server, started together ({@link MtaStarter}) and stopped together;
 * what a reload swaps while it runs.
 */
public final class Mta implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mta.class);

    private final ServerConfig config;
    private final DurableQueue queue;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final SmtpServer smtp;
    private final RelayAssembly relay;
    private final CallAheadVerifier verifier;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping;
    private final MailEventBus events;
    private final RelayRecipientsFile relayRecipients;
    private final RelayRules relayRules;
    private final TransportRoutes routes;
    private final TlsContexts tls;
    private final AuthSettings auth;
    private final LocalMailSettings local;
    /** The queue tool's control channel; null when its socket could not be made. */
    private final ControlServer control;
    /** Metrics and health (--metrics-listen); null when off. */
    private final MetricsEndpoint monitoring;
    /** The POP3 server; null when off. */
    private final Pop3Server pop3;
    private boolean closed;

    Mta(ServerConfig config, DurableQueue queue, EventLoopGroup acceptors, EventLoopGroup workers, AtomicBoolean stopping,
        MailEventBus events, SmtpServer smtp, RelayAssembly relay, CallAheadVerifier verifier,
        RelayRecipientsFile relayRecipients, RelayRules relayRules, TransportRoutes routes, TlsContexts tls,
        AuthSettings auth, ControlServer control, MetricsEndpoint monitoring, LocalMailSettings local,
        Pop3Server pop3) {
        this.local = local;
        this.config = config;
        this.queue = queue;
        this.acceptors = acceptors;
        this.workers = workers;
        this.stopping = stopping;
        this.events = events;
        this.smtp = smtp;
        this.relay = relay;
        this.verifier = verifier;
        this.relayRecipients = relayRecipients;
        this.relayRules = relayRules;
        this.routes = routes;
        this.tls = tls;
        this.auth = auth;
        this.control = control;
        this.monitoring = monitoring;
        this.pop3 = pop3;
    }

    /** The stream of what happens to mail: subscribe to hear every connection, message, attempt and removal. */
    public MailEventBus events() {
        return events;
    }

    /** Opens (and recovers) the queue and starts listening; fatal failures are only logged (tests, tools). */
    public static Mta start(ServerConfig config) throws IOException, InterruptedException {
        return start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY);
    }

    /**
     * Opens (and recovers) the queue and starts listening. {@code fatal} hears when a part the MTA cannot live
     * without fails: the queue writer, an event loop, the relay dispatcher.
     */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal)
            throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, TlsSettings.DEFAULT);
    }

    /** As {@link #start(ServerConfig, QueueConfig, FatalErrorHandler)}, with inbound TLS and its listeners as {@code tls} says. */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings)
            throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, AuthSettings.NONE);
    }

    /** As above, with SMTP AUTH as {@code auth} says (its user store already loaded). */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth) throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, auth, ClientLimits.NONE);
    }

    /** As above, with the per-client connection limits and greeting pause {@code clientLimits}. */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth, ClientLimits clientLimits) throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, auth, clientLimits, MetricsSettings.OFF);
    }

    /** As above, with the metrics and health listener {@code metricsSettings} (or none: {@link MetricsSettings#OFF}). */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth, ClientLimits clientLimits, MetricsSettings metricsSettings)
            throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, auth, clientLimits, metricsSettings,
                LocalMailSettings.none(queueConfig.directory()), Pop3Settings.OFF);
    }

    /** As above, with local delivery (mailboxes, users and aliases, VRFY and EXPN) as {@code local} says. */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth, ClientLimits clientLimits, MetricsSettings metricsSettings,
                            LocalMailSettings local) throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, auth, clientLimits, metricsSettings, local, Pop3Settings.OFF);
    }

    /** As above, with the POP3 server {@code pop3} describes (served only when users are given in {@code auth}). */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth, ClientLimits clientLimits, MetricsSettings metricsSettings,
                            Pop3Settings pop3) throws IOException, InterruptedException {
        return start(config, queueConfig, fatal, tlsSettings, auth, clientLimits, metricsSettings,
                LocalMailSettings.none(queueConfig.directory()), pop3);
    }

    /** As above, with both local delivery and POP3. */
    public static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                            AuthSettings auth, ClientLimits clientLimits, MetricsSettings metricsSettings,
                            LocalMailSettings local, Pop3Settings pop3) throws IOException, InterruptedException {
        return MtaStarter.start(config, queueConfig, fatal, tlsSettings, auth, clientLimits, metricsSettings, local, pop3);
    }

    /** The metrics and health listener's address, or null when it is off. */
    public InetSocketAddress metricsAddress() {
        return monitoring == null ? null : monitoring.address();
    }

    /** The metrics, or null when they are off. */
    public MtaMetrics metrics() {
        return monitoring == null ? null : monitoring.metrics();
    }

    /**
     * Reads the --relay-recipients file again (what SIGHUP does) and puts its table in force at once; a file that
     * cannot be read or parsed keeps the table in force and logs an error. Call off the event loops. Returns whether
     * a new table is in force (false too when no file is configured).
     */
    public boolean reloadRelayRecipients() {
        return relayRecipients.reload();
    }

    /**
     * Puts a reloaded configuration's routes in force: every delivery from now on (mail already queued included) and
     * every call-ahead probe routes by {@code map}. Atomic; connections under way are not touched.
     */
    public void replaceRoutes(TransportMap map) {
        routes.replace(map);
    }

    /**
     * Puts a reloaded configuration's relay rules in force, at once, for every RCPT from now on (sessions under way
     * included): who may relay ({@code control}), the relay domains call-ahead verifies ({@code verification}), and
     * the relay recipient table {@code table} read from {@code control.recipientsFile()} (both null: none).
     */
    void replaceRelayRules(RelayControl control, RecipientVerification verification, RecipientTable table) {
        relayRecipients.replace(control.recipientsFile(), table);
        relayRules.replace(control, verification);
    }

    /**
     * Reads the TLS certificate and key again (what SIGHUP does: the configured files, or the self-signed ones in the
     * spool) and swaps the new context in atomically: handshakes from now on use it, sessions under way keep theirs.
     * A certificate that cannot be used keeps the one in force and logs an error. Call off the event loops.
     */
    public boolean reloadTls() {
        return tls.reload();
    }

    /** Reads the --users file again (what SIGHUP does); a bad file keeps the users in force. Call off the event loops. */
    public boolean reloadUsers() {
        return auth.enabled() && auth.users().reload();
    }

    /**
     * Reads the aliases file again (SIGHUP, off the event loops) and serves it from now on; a file that cannot be
     * read or is bad is said in one ERROR line, and the aliases loaded before stay.
     */
    public boolean reloadAliases() {
        if (local.aliasesFile() == null) {
            return false;
        }
        try {
            dev.mta.mailbox.aliases.AliasTable t = dev.mta.mailbox.aliases.AliasFile.read(local.aliasesFile());
            dev.mta.server.config.DomainList localDomains = relayRules.current().localDomains();
            String problem = localDomains.isEmpty() ? null
                    : LocalMailCheck.problem(local.directory().withAliases(t), localDomains::matches);
            if (problem != null) {
                throw new IllegalArgumentException(local.aliasesFile() + ": " + problem);
            }
            local.directory().replaceAliases(t);
            log.info("aliases reloaded from {}: {} aliases", local.aliasesFile(), t.size());
            return true;
        } catch (IllegalArgumentException e) {
            log.error("aliases not reloaded, keeping the {} loaded before: {}", local.directory().aliases().size(),
                    e.getMessage());
            return false;
        }
    }

    /** Local delivery's settings: the mail root, the users and aliases in force. */
    public LocalMailSettings localMail() {
        return local;
    }

    /** The submission listener's address, or null without one. */
    public InetSocketAddress submissionAddress() {
        return smtp.submissionAddress();
    }

    /** The implicit-TLS listener's address, or null without one. */
    public InetSocketAddress smtpsAddress() {
        return smtp.smtpsAddress();
    }

    /** The acceptor event loops (fault-injection tests end them to see the MTA exit). */
    EventLoopGroup acceptors() {
        return acceptors;
    }

    public InetSocketAddress smtpAddress() {
        return smtp.localAddress();
    }

    /** The relay, or null when it is off. */
    public RelayAssembly relay() {
        return relay;
    }

    public DurableQueue queue() {
        return queue;
    }

    public SmtpServer smtpServer() {
        return smtp;
    }

    /** The POP3 server, or null when it is off. */
    public Pop3Server pop3Server() {
        return pop3;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Graceful shutdown: stop accepting, let messages in flight finish within the grace period, then 421. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping.set(true);
        log.info("shutting down");
        if (control != null) {
            control.close(); // no admin action on a queue that is closing
        }
        if (pop3 != null) {
            pop3.shutdown(config.shutdownGrace()); // sessions end without UPDATE: nothing is removed
        }
        smtp.shutdown(config.shutdownGrace());
        if (relay != null) {
            relay.close();
        }
        if (verifier != null) {
            verifier.close();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        queue.close();
        // Last: /health/ready says 503 while the rest shuts down.
        if (monitoring != null) {
            monitoring.close();
        }
        log.info("stopped");
        stopped.countDown();
    }
}
