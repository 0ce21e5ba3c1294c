package dev.mta.server;

import dev.mta.queue.events.MailEventBus;
import dev.mta.server.events.MailLog;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.QueueConfig;
import dev.mta.relay.RelayAssembly;
import dev.mta.relay.verify.CallAheadVerifier;
import dev.mta.server.config.HostPort;
import dev.mta.server.config.MetricsSettings;
import dev.mta.server.http.MetricsServer;
import dev.mta.server.http.MtaReadiness;
import dev.mta.server.http.Readiness;
import dev.mta.server.http.SpoolProbe;
import dev.mta.server.metrics.MtaMetrics;
import dev.mta.server.smtp.SmtpObserver;
import dev.mta.server.config.RelayControl;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.control.ControlServer;
import dev.mta.server.tls.TlsContexts;
import dev.mta.server.policy.RecipientTable;
import dev.mta.server.policy.RelayRules;
import dev.mta.server.config.RecipientVerification;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.routing.TransportRoutes;
import dev.mta.server.net.Transport;
import dev.mta.server.smtp.SmtpServer;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.protocol.codec.BareNewline;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The running MTA: queue, event loops and SMTP server, started and stopped together. */
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
    /** The queue tool's control channel; null when its socket could not be made. */
    private volatile ControlServer control;
    /** Metrics and health (--metrics-listen): all null when off. */
    private MtaMetrics metrics;
    private SpoolProbe spoolProbe;
    private MetricsServer metricsServer;
    private boolean closed;

    private Mta(ServerConfig config, DurableQueue queue, EventLoopGroup acceptors, EventLoopGroup workers, SmtpServer smtp,
                RelayAssembly relay, CallAheadVerifier verifier, AtomicBoolean stopping, MailEventBus events,
                RelayRecipientsFile relayRecipients, TlsContexts tls, AuthSettings auth, RelayRules relayRules,
                TransportRoutes routes) {
        this.relayRules = relayRules;
        this.routes = routes;
        this.tls = tls;
        this.auth = auth;
        this.verifier = verifier;
        this.relayRecipients = relayRecipients;
        this.config = config;
        this.queue = queue;
        this.acceptors = acceptors;
        this.workers = workers;
        this.smtp = smtp;
        this.relay = relay;
        this.stopping = stopping;
        this.events = events;
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
        if (metricsSettings.enabled()) {
            try {
                checkBindable(metricsSettings.listen());
            } catch (java.net.BindException e) {
                throw new java.net.BindException(e.getMessage() + " (metrics-listen)");
            }
        }
        for (InetSocketAddress a : listenAddresses(config, tlsSettings)) {
            checkBindable(a);
        }
        // Read (or made, the first time) before the queue opens, off any event loop: a bad certificate stops the start.
        TlsContexts tls = TlsContexts.load(tlsSettings.cert(), tlsSettings.key(), queueConfig.directory(), config.hostname());
        // Read before the spool is touched: a bad table stops the start.
        RelayRecipientsFile relayRecipients = RelayRecipientsFile.load(config.relayControl().recipientsFile());
        StartLog.hostnameAndSpool(config.hostname(), queueConfig.directory());
        StartLog.relayControl(config.relayControl(), relayRecipients);
        // Swapped whole by a configuration reload (SIGHUP); read per recipient and per delivery.
        RelayRules relayRules = RelayRules.of(config.relayControl(), config.verification());
        TransportRoutes routes = TransportRoutes.of(TransportMap.parse(config.relay().transportMap()));
        // One event stream: the mail log is its first listener; metrics and the harness subscribe to events().
        MailEventBus events = new MailEventBus().subscribe(new MailLog());
        MtaMetrics metrics = metricsSettings.enabled() ? new MtaMetrics() : null;
        if (metrics != null) {
            events.subscribe(metrics.mail());
        }
        DurableQueue queue = DurableQueue.open(queueConfig, fatal, events);
        if (metrics != null) {
            metrics.bindQueue(queue);
        }
        Transport transport = Transport.best();
        EventLoopGroup acceptors = transport.newGroup("smtp-accept", 1);
        EventLoopGroup workers = transport.newGroup("io", config.eventLoopThreads());
        AtomicBoolean stopping = new AtomicBoolean();
        watch(acceptors, stopping, fatal);
        watch(workers, stopping, fatal);
        // Made before the server, whose sessions use it from the first connection; it routes as the relay does.
        CallAheadVerifier verifier = config.verification().enabled()
                ? CallAheadVerifier.start(config.verification().settings(config.hostname()), config.relay(), routes,
                        config.hostname(), new RelayAssembly.Network(workers, transport.clientChannel(),
                                transport.datagramChannel(), listenAddresses(config, tlsSettings)))
                : null;
        SmtpServer smtp = new SmtpServer(config, queue, transport, acceptors, workers, events, relayRules,
                relayRecipients.recipients(), verifier)
                .withTls(tls, tlsSettings.submissionListeners(), tlsSettings.smtpsListeners())
                .withAuth(auth)
                .withClientLimits(clientLimits)
                .withObservers(metrics != null ? metrics.smtp() : SmtpObserver.Factory.NONE);
        StartLog.clientLimits(clientLimits);
        if (auth.enabled()) {
            log.info("SMTP AUTH (PLAIN LOGIN) for {} users of {}, {}; bare LF in their mail: {}", auth.users().size(),
                    auth.users().file(), auth.allowPlaintext() ? "also without TLS" : "under TLS or from loopback",
                    auth.bareNewline() == BareNewline.NORMALIZE ? "normalized to CRLF" : "refused");
        } else if (auth.bareNewline() == BareNewline.NORMALIZE) {
            log.warn("bare-newline normalize applies to authenticated clients only, and without --users there are none");
        }
        try {
            smtp.start();
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
            stopping.set(true);
            if (verifier != null) {
                verifier.close();
            }
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            queue.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e; // a BindException names the address (SmtpServer)
        }
        RelayAssembly relay = config.relay().enabled()
                ? RelayAssembly.start(config.relay(), routes, config.hostname(), queue, queue,
                        new RelayAssembly.Network(workers, transport.clientChannel(), transport.datagramChannel(),
                                smtp.localAddresses()), fatal, events) : null;
        StartLog.relayMode(config.relay(), routes.current());
        if (verifier != null) {
            log.info("recipients of {} verified by call-ahead, as {}", config.verification().relayDomains(),
                    config.verification().sender(config.hostname()));
        }
        Mta mta = new Mta(config, queue, acceptors, workers, smtp, relay, verifier, stopping, events, relayRecipients, tls,
                auth, relayRules, routes);
        mta.control = startControl(queueConfig, queue);
        if (metrics != null) {
            mta.serveMetrics(metrics, metricsSettings, queueConfig, transport);
        }
        return mta;
    }

    /** The queue tool's channel; the MTA runs on without it (the tool then says no MTA answers) when it cannot start. */
    private static ControlServer startControl(QueueConfig queueConfig, DurableQueue queue) {
        try {
            return ControlServer.start(queueConfig.directory(), queue.admin());
        } catch (IOException | RuntimeException e) {
            log.error("no queue control channel at {}: {}; the queue tool cannot reach this MTA",
                    ControlServer.socketOf(queueConfig.directory()), e.toString());
            return null;
        }
    }

    /** Starts the spool probe and the metrics listener; a listener that cannot bind stops the MTA again. */
    private void serveMetrics(MtaMetrics m, MetricsSettings settings, QueueConfig queueConfig, Transport transport)
            throws IOException, InterruptedException {
        metrics = m;
        spoolProbe = SpoolProbe.start(queueConfig.directory(), settings.probeInterval());
        Readiness readiness = new MtaReadiness(stopping::get, smtp::listening, queue, spoolProbe);
        m.bindRelay(relay == null ? () -> 0 : () -> relay.smtp().openConnections());
        m.bindSpoolFree(() -> spoolProbe.state().freeBytes());
        m.bindReadiness(() -> readiness.check().ready());
        try {
            metricsServer = MetricsServer.start(settings.listen(), transport, m::scrape, readiness);
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** The metrics and health listener's address, or null when it is off. */
    public InetSocketAddress metricsAddress() {
        return metricsServer == null ? null : metricsServer.address();
    }

    /** The metrics, or null when they are off. */
    public MtaMetrics metrics() {
        return metrics;
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

    /** Every address the SMTP, submission and smtps listeners are to take, in that order. */
    static java.util.List<InetSocketAddress> listenAddresses(ServerConfig config, TlsSettings tls) {
        java.util.List<InetSocketAddress> all = new java.util.ArrayList<>(config.smtpListeners());
        all.addAll(tls.submissionListeners());
        all.addAll(tls.smtpsListeners());
        return all;
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

    /** Fails before the spool is touched when the listen address is taken (the real bind comes after recovery). */
    static void checkBindable(InetSocketAddress address) throws java.net.BindException {
        // A bound socket that does not listen: nobody can connect to the probe and take it for the MTA.
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.setReuseAddress(true); // as the listener itself: a port in TIME_WAIT is not taken
            probe.bind(address);
        } catch (IOException e) {
            throw new java.net.BindException("cannot listen on " + HostPort.format(address) + ": " + e.getMessage());
        }
    }

    /** An event loop that ends while the MTA is not stopping died of an Error: nothing it served is served now. */
    private static void watch(EventLoopGroup group, AtomicBoolean stopping, FatalErrorHandler fatal) {
        for (EventExecutor loop : group) {
            // Made now: when the loop dies the heap may be gone.
            String name = "event loop " + loop;
            Throwable ended = new IllegalStateException(name + " ended unexpectedly");
            loop.terminationFuture().addListener(f -> {
                if (!stopping.get()) {
                    fatal.fatal(name, f.cause() != null ? f.cause() : ended);
                }
            });
        }
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
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (spoolProbe != null) {
            spoolProbe.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        log.info("stopped");
        stopped.countDown();
    }
}
