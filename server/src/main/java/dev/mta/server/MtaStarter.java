package dev.mta.server;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.queue.DurableQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.events.MailEventBus;
import dev.mta.relay.RelayAssembly;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.routing.TransportRoutes;
import dev.mta.relay.verify.CallAheadVerifier;
import dev.mta.server.admission.ClientLimits;
import dev.mta.relay.LocalDelivery;
import dev.mta.server.config.HostPort;
import dev.mta.server.config.LocalMailSettings;
import dev.mta.server.mailauth.ReceivedMailAuth;
import dev.mta.server.policy.LocalDomains;
import dev.mta.server.policy.LocalRecipients;
import dev.mta.server.config.MetricsSettings;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.control.ControlServer;
import dev.mta.server.events.MailLog;
import dev.mta.server.http.MetricsEndpoint;
import dev.mta.server.metrics.MtaMetrics;
import dev.mta.server.net.Transport;
import dev.mta.server.policy.RelayRules;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.pop3.Pop3Observer;
import dev.mta.server.pop3.Pop3Server;
import dev.mta.server.pop3.Pop3Settings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.smtp.SmtpObserver;
import dev.mta.server.smtp.SmtpServer;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts an {@link Mta}, in this order: every listen address checked free; the TLS context and the relay recipient
 * table read (a bad one stops the start before the spool is touched); the event stream, the metrics, the queue
 * opened (and recovered); the event loops, watched; the call-ahead verifier; the SMTP listeners (a bind that fails
 * undoes what came before); the relay; the queue tool's control channel; and the metrics listener.
 */
final class MtaStarter {
    /** Mta's logger: the start-up lines keep the name they have always had. */
    private static final Logger log = LoggerFactory.getLogger(Mta.class);

    private MtaStarter() {
    }

    /** See {@link Mta#start(ServerConfig, QueueConfig, FatalErrorHandler, TlsSettings, AuthSettings, ClientLimits, MetricsSettings, LocalMailSettings, Pop3Settings)}. */
    static Mta start(ServerConfig config, QueueConfig queueConfig, FatalErrorHandler fatal, TlsSettings tlsSettings,
                     AuthSettings auth, ClientLimits clientLimits, MetricsSettings metricsSettings,
                     LocalMailSettings local, Pop3Settings pop3Settings) throws IOException, InterruptedException {
        if (metricsSettings.enabled()) {
            try {
                checkBindable(metricsSettings.listen());
            } catch (BindException e) {
                throw new BindException(e.getMessage() + " (metrics-listen)");
            }
        }
        for (InetSocketAddress a : listenAddresses(config, tlsSettings)) {
            checkBindable(a);
        }
        boolean servePop3 = Pop3Start.checkBindable(pop3Settings, auth);
        // Read (or made, the first time) before the queue opens, off any event loop: a bad certificate stops the start.
        TlsContexts tls = TlsContexts.load(tlsSettings.cert(), tlsSettings.key(), queueConfig.directory(), config.hostname());
        // Read before the spool is touched: a bad table stops the start.
        RelayRecipientsFile relayRecipients = RelayRecipientsFile.load(config.relayControl().recipientsFile());
        StartLog.hostnameAndSpool(config.hostname(), queueConfig.directory());
        StartLog.relayControl(config.relayControl(), relayRecipients);
        // Swapped whole by a configuration reload (SIGHUP); read per recipient and per delivery.
        RelayRules relayRules = RelayRules.of(config.relayControl(), config.verification());
        TransportRoutes routes = TransportRoutes.of(TransportMap.parse(config.relay().transportMap()));
        // The local domains' recipients go to the local transport, by the domains in force when each arrives.
        LocalDomains localDomains = new LocalDomains(relayRules, config.hostname(),
                config.verification().sender(config.hostname()));
        queueConfig = queueConfig.withRoutes(new LocalRouting(localDomains, config.hostname(), queueConfig.routes()));
        StartLog.localMail(config.relayControl(), local);
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
        // One table of failed logins for SMTP AUTH and POP3: a guesser is locked out of both alike.
        AuthFailures authFailures = auth.lockout().newTable();
        SmtpServer smtp = new SmtpServer(config, queue, transport, acceptors, workers, events, relayRules,
                relayRecipients.recipients(), verifier)
                .withTls(tls, tlsSettings.submissionListeners(), tlsSettings.smtpsListeners())
                .withAuth(auth, authFailures, PasswordCheck.DEFAULT_FAILURE_DELAY_MILLIS)
                .withClientLimits(clientLimits)
                .withObservers(metrics != null ? metrics.smtp() : SmtpObserver.Factory.NONE)
                .withPolicy(new LocalRecipients(localDomains, local.directory(), local.queries(), relayRules));
        if (config.mailauth().enabled()) {
            smtp.withReceivePolicy(ReceivedMailAuth.start(config.mailauth(), config.hostname(), relayRules, workers,
                    transport.datagramChannel(), transport.clientChannel(), config.relay().dnsServer()));
            log.info("received mail verified (SPF, DKIM, DMARC) for {} clients; DMARC reject {}; temperror {}",
                    config.mailauth().mode().name().toLowerCase(java.util.Locale.ROOT),
                    config.mailauth().enforceReject() ? "enforced" : "recorded only",
                    config.mailauth().deferOnTempError() ? "deferred" : "accepted");
        }
        StartLog.clientLimits(clientLimits);
        logAuth(auth);
        Pop3Server pop3 = null;
        try {
            smtp.start();
            pop3 = servePop3 ? Pop3Start.start(pop3Settings, auth, authFailures, tls, transport, acceptors, workers,
                    metrics != null ? metrics.pop3() : Pop3Observer.NONE) : null;
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
            smtp.shutdown(java.time.Duration.ZERO); // POP3's bind failed after SMTP's listeners were up
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
                                smtp.localAddresses()), fatal, events,
                        new LocalDelivery(local.directory(), local.mailRoot(), local.quota(), localDomains::homeOf)) : null;
        StartLog.relayMode(config.relay(), routes.current());
        if (verifier != null) {
            log.info("recipients of {} verified by call-ahead, as {}", config.verification().relayDomains(),
                    config.verification().sender(config.hostname()));
        }
        ControlServer control = startControl(queueConfig, queue);
        MetricsEndpoint monitoring = metrics == null ? null
                : MetricsEndpoint.probe(metrics, metricsSettings, queueConfig.directory(), stopping::get,
                        smtp::listening, queue, relay == null ? () -> 0 : () -> relay.smtp().openConnections());
        Mta mta = new Mta(config, queue, acceptors, workers, stopping, events, smtp, relay, verifier,
                relayRecipients, relayRules, routes, tls, auth, control, monitoring, local, pop3);
        if (monitoring != null) {
            try {
                monitoring.listen(metricsSettings.listen(), transport);
            } catch (IOException | RuntimeException | InterruptedException e) { // the MTA stops again
                mta.close();
                throw e;
            }
        }
        return mta;
    }

    private static void logAuth(AuthSettings auth) {
        if (auth.enabled()) {
            log.info("SMTP AUTH (PLAIN LOGIN) for {} users of {}, {}; bare LF in their mail: {}", auth.users().size(),
                    auth.users().file(), auth.allowPlaintext() ? "also without TLS" : "under TLS or from loopback",
                    auth.bareNewline() == BareNewline.NORMALIZE ? "normalized to CRLF" : "refused");
        } else if (auth.bareNewline() == BareNewline.NORMALIZE) {
            log.warn("bare-newline normalize applies to authenticated clients only, and without --users there are none");
        }
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

    /** Every address the SMTP, submission and smtps listeners are to take, in that order. */
    static List<InetSocketAddress> listenAddresses(ServerConfig config, TlsSettings tls) {
        List<InetSocketAddress> all = new ArrayList<>(config.smtpListeners());
        all.addAll(tls.submissionListeners());
        all.addAll(tls.smtpsListeners());
        return all;
    }

    /** Fails before the spool is touched when the listen address is taken (the real bind comes after recovery). */
    static void checkBindable(InetSocketAddress address) throws BindException {
        // A bound socket that does not listen: nobody can connect to the probe and take it for the MTA.
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.setReuseAddress(true); // as the listener itself: a port in TIME_WAIT is not taken
            probe.bind(address);
        } catch (IOException e) {
            throw new BindException("cannot listen on " + HostPort.format(address) + ": " + e.getMessage());
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
}
