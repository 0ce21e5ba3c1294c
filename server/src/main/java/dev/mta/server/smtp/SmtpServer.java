package dev.mta.server.smtp;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.events.MailEvents;
import dev.mta.relay.verify.RecipientVerifier;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.admission.ClientTable;
import dev.mta.server.admission.RefusalLog;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.net.Transport;
import dev.mta.server.policy.AuthLockout;
import dev.mta.server.policy.AuthenticationRequired;
import dev.mta.server.policy.PolicyChain;
import dev.mta.server.policy.RelayRecipients;
import dev.mta.server.policy.RelayRules;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.StandardPolicies;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving SMTP server: its listeners ({@link Listeners}) of each kind, SMTP, submission and implicit TLS, every
 * connection set up by the same pipeline ({@link SmtpPipeline}) and every session running the same policy chain
 * (submission's requiring AUTH first); the client table's sweep; and the graceful shutdown.
 */
public final class SmtpServer {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final ServerConfig config;
    private final MessageStore store;
    private final EventLoopGroup acceptors;
    private ServerReplies replies;
    private final EnvelopeBudget envelopes;
    private SessionPolicy policies;
    private SessionPolicy receivePolicy;
    private final MailEvents events;
    private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Listeners listeners;
    private TlsContexts tls;
    private List<InetSocketAddress> submissionListen = List.of();
    private List<InetSocketAddress> smtpsListen = List.of();
    private AuthSettings auth = AuthSettings.NONE;
    private AuthFailures authFailures = new AuthFailures();
    private long authFailureDelayMillis = SmtpSession.DEFAULT_AUTH_FAILURE_DELAY_MILLIS;
    private ClientLimits clientLimits = ClientLimits.NONE;
    private ClientTable clients = new ClientTable(ClientLimits.NONE);
    private final RefusalLog refusalLog = new RefusalLog();
    private io.netty.util.concurrent.ScheduledFuture<?> sweeper;
    private SmtpObserver.Factory observers = SmtpObserver.Factory.NONE;

    public SmtpServer(ServerConfig config, MessageStore store, Transport transport, EventLoopGroup acceptors,
                      EventLoopGroup workers, MailEvents events) {
        this(config, store, transport, acceptors, workers, events, RelayRecipients.none(), null);
    }

    /**
     * A server whose relay control checks relay-domain recipients against {@code recipients}, and whose sessions
     * verify them with {@code verifier} when the configuration asks for it (null: no verification).
     */
    public SmtpServer(ServerConfig config, MessageStore store, Transport transport, EventLoopGroup acceptors,
                      EventLoopGroup workers, MailEvents events, RelayRecipients recipients,
                      RecipientVerifier verifier) {
        this(config, store, transport, acceptors, workers, events,
                RelayRules.of(config.relayControl(), config.verification()), recipients, verifier);
    }

    /** As above, with the relay rules in force in {@code rules}, which a reload may replace. */
    public SmtpServer(ServerConfig config, MessageStore store, Transport transport, EventLoopGroup acceptors,
                      EventLoopGroup workers, MailEvents events, RelayRules rules, RelayRecipients recipients,
                      RecipientVerifier verifier) {
        this.events = events;
        this.config = config;
        this.store = store;
        this.acceptors = acceptors;
        this.listeners = new Listeners(config.hostname(), transport, acceptors, workers);
        this.replies = new ServerReplies(config);
        this.envelopes = new EnvelopeBudget(QueueConfig.heapShare(ServerConfig.ENVELOPE_HEAP_PERCENT));
        this.policies = StandardPolicies.of(config, store, rules, recipients, verifier);
    }

    /**
     * TLS for this server, before {@link #start()}: STARTTLS offered on every plain listener with {@code contexts}, and
     * the optional further listeners: {@code submission} (RFC 6409 style: STARTTLS, and MAIL only once authenticated)
     * and {@code smtps} (implicit TLS, RFC 8314: the handshake first). Null addresses: not opened.
     */
    public SmtpServer withTls(TlsContexts contexts, InetSocketAddress submission, InetSocketAddress smtps) {
        return withTls(contexts, submission == null ? List.of() : List.of(submission),
                smtps == null ? List.of() : List.of(smtps));
    }

    /** As {@link #withTls(TlsContexts, InetSocketAddress, InetSocketAddress)}, with any number of each listener. */
    public SmtpServer withTls(TlsContexts contexts, List<InetSocketAddress> submission, List<InetSocketAddress> smtps) {
        if ((!submission.isEmpty() || !smtps.isEmpty()) && contexts == null) {
            throw new IllegalArgumentException("submission and smtps listeners need TLS");
        }
        this.tls = contexts;
        this.submissionListen = submission;
        this.smtpsListen = smtps;
        this.replies = new ServerReplies(config, contexts != null, auth.enabled());
        return this;
    }

    /**
     * SMTP AUTH for this server, before {@link #start()} (after {@link #withTls}): PLAIN and LOGIN against
     * {@code settings.users()}, offered under TLS, from loopback, or anywhere with {@code allowPlaintext}.
     */
    public SmtpServer withAuth(AuthSettings settings) {
        return withAuth(settings, settings.lockout().newTable(), SmtpSession.DEFAULT_AUTH_FAILURE_DELAY_MILLIS);
    }

    /** As {@link #withAuth(AuthSettings)}, with the failure table and the delay before a 535 given (tests). */
    public SmtpServer withAuth(AuthSettings settings, AuthFailures failures, long failureDelayMillis) {
        this.auth = settings;
        this.authFailures = failures;
        this.authFailureDelayMillis = failureDelayMillis;
        this.replies = new ServerReplies(config, tls != null, settings.enabled());
        return this;
    }

    /**
     * Per-client limits for this server, before {@link #start()}: connections open at once and new connections a
     * minute from one address (421 4.7.0 beyond them), and the SMTP listener's greeting pause.
     */
    public SmtpServer withClientLimits(ClientLimits limits) {
        this.clientLimits = limits;
        this.clients = new ClientTable(limits);
        return this;
    }

    /**
     * A policy asked after the standard chain, before {@link #start()}: the local recipients (RCPT, VRFY, EXPN),
     * which see only recipients relay control has let through.
     */
    public SmtpServer withPolicy(SessionPolicy last) {
        this.policies = PolicyChain.of(policies, last);
        return this;
    }

    /**
     * A policy for the SMTP listener alone, asked after all the others, before {@link #start()}: the verification
     * of received mail, which the submission listeners' authenticated clients do not need.
     */
    public SmtpServer withReceivePolicy(SessionPolicy last) {
        this.receivePolicy = last;
        return this;
    }

    /** The metrics of each listener's connections, before {@link #start()}. */
    public SmtpServer withObservers(SmtpObserver.Factory factory) {
        this.observers = factory;
        return this;
    }

    /** Binds the listen addresses; returns once the server accepts connections on all of them. */
    public void start() throws InterruptedException {
        // Addresses locked out for failed AUTH attempts are refused first, at connect.
        SessionPolicy chain = auth.enabled() ? PolicyChain.of(new AuthLockout(authFailures), policies) : policies;
        SmtpPipeline pipeline = new SmtpPipeline(config, replies, store, envelopes, events, tls, auth, authFailures,
                authFailureDelayMillis, clientLimits, clients, refusalLog, openConnections, sessions);
        if (clientLimits.limitsClients()) {
            sweeper = acceptors.next().scheduleAtFixedRate(this::sweepClients, 1, 1, TimeUnit.MINUTES);
        }
        bindAll(ListenerKind.SMTP, config.smtpListeners(),
                receivePolicy == null ? chain : PolicyChain.of(chain, receivePolicy), pipeline);
        bindAll(ListenerKind.SUBMISSION, submissionListen, PolicyChain.of(new AuthenticationRequired(), chain), pipeline);
        // RFC 8314: port 465 is submission over implicit TLS, so it too takes mail only once authenticated.
        bindAll(ListenerKind.SMTPS, smtpsListen, PolicyChain.of(new AuthenticationRequired(), chain), pipeline);
    }

    /** Binds each of {@code addresses} for {@code kind}, its sessions running {@code sessionPolicies}. */
    private void bindAll(ListenerKind kind, List<InetSocketAddress> addresses, SessionPolicy sessionPolicies,
                         SmtpPipeline pipeline) throws InterruptedException {
        listeners.bindAll(kind, addresses,
                () -> pipeline.initializer(kind, sessionPolicies, observers.of(kind.listener)),
                tls != null && kind != ListenerKind.SMTPS);
    }

    private void sweepClients() {
        if (clients.wasFull()) {
            log.warn("the table of clients for --max-connections-per-client and --max-connection-rate was full ({} "
                    + "addresses): new addresses were let in uncounted", ClientTable.DEFAULT_MAX_CLIENTS);
        }
        clients.sweep();
    }

    /** The first SMTP address actually bound (the port is known here when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return listeners.addresses(ListenerKind.SMTP).get(0);
    }

    /** Every address bound, of every kind of listener: mail to any of them comes back to us. */
    public List<InetSocketAddress> localAddresses() {
        return listeners.addresses();
    }

    /** The first submission listener's address, or null when there is none. */
    public InetSocketAddress submissionAddress() {
        return first(ListenerKind.SUBMISSION);
    }

    /** The first implicit-TLS listener's address, or null when there is none. */
    public InetSocketAddress smtpsAddress() {
        return first(ListenerKind.SMTPS);
    }

    private InetSocketAddress first(ListenerKind kind) {
        List<InetSocketAddress> bound = listeners.addresses(kind);
        return bound.isEmpty() ? null : bound.get(0);
    }

    /** Whether every listener is bound and open (false once shutdown has closed them). */
    public boolean listening() {
        return listeners.listening();
    }

    /** Connections open right now. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops accepting, tells every session to finish (421 to idle ones, messages in flight may complete), and
     * after {@code grace} sends 421 to whatever is left and closes it.
     */
    public void shutdown(Duration grace) {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        listeners.close();
        sessions.forEach(ch -> ch.pipeline().fireUserEventTriggered(ShutdownSignal.GRACEFUL));
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(20);
        }
        if (!sessions.isEmpty()) {
            log.info("closing {} session(s) still open after the {} s grace period", sessions.size(), grace.toSeconds());
            sessions.forEach(ch -> ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ShutdownSignal.NOW)));
            sessions.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
