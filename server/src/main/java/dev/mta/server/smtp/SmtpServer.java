package dev.mta.server.smtp;

import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueConfig;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.admission.ClientTable;
import dev.mta.server.admission.RefusalLog;
import dev.mta.server.config.HostPort;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.net.Transport;
import dev.mta.server.policy.RelayRecipients;
import dev.mta.server.policy.RelayRules;
import dev.mta.relay.verify.RecipientVerifier;
import dev.mta.server.policy.AuthenticationRequired;
import dev.mta.server.policy.AuthLockout;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.policy.PolicyChain;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.tls.TlsContexts;
import io.netty.handler.ssl.SslHandler;
import dev.mta.server.policy.StandardPolicies;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving SMTP server. Each connection gets the pipeline: connection limit, strict CRLF framer,
 * command decoder, reply encoder, session; every session runs the same policy chain.
 */
public final class SmtpServer {
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final ServerConfig config;
    private final MessageStore store;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Transport transport;
    private ServerReplies replies;
    private final EnvelopeBudget envelopes;
    private final SessionPolicy policies;
    private final MailEvents events;
    private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final List<Channel> listeners = new ArrayList<>();
    private TlsContexts tls;
    private List<InetSocketAddress> submissionListen = List.of();
    private List<InetSocketAddress> smtpsListen = List.of();
    private final List<Channel> submissionListeners = new ArrayList<>();
    private final List<Channel> smtpsListeners = new ArrayList<>();
    private AuthSettings auth = AuthSettings.NONE;
    private AuthFailures authFailures = new AuthFailures();
    private long authFailureDelayMillis = SmtpSession.DEFAULT_AUTH_FAILURE_DELAY_MILLIS;
    private ClientLimits clientLimits = ClientLimits.NONE;
    private ClientTable clients = new ClientTable(ClientLimits.NONE);
    private final RefusalLog refusalLog = new RefusalLog();
    private io.netty.util.concurrent.ScheduledFuture<?> sweeper;
    private ConnectionLimitHandler.Refusals refusals;
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
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
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

    /** The metrics of each listener's connections, before {@link #start()}. */
    public SmtpServer withObservers(SmtpObserver.Factory factory) {
        this.observers = factory;
        return this;
    }

    /** The kinds of listener: what a connection gets first, and which policies its sessions run. */
    private enum Kind {
        SMTP("SMTP", SmtpObserver.Listener.SMTP), SUBMISSION("submission", SmtpObserver.Listener.SUBMISSION),
        SMTPS("SMTPS (implicit TLS)", SmtpObserver.Listener.SMTPS);

        final String label;
        final SmtpObserver.Listener listener;

        Kind(String label, SmtpObserver.Listener listener) {
            this.label = label;
            this.listener = listener;
        }
    }

    /** Binds the listen addresses; returns once the server accepts connections on all of them. */
    public void start() throws InterruptedException {
        // Addresses locked out for failed AUTH attempts are refused first, at connect.
        SessionPolicy chain = auth.enabled() ? PolicyChain.of(new AuthLockout(authFailures), policies) : policies;
        refusals = new ConnectionLimitHandler.Refusals(replies.tooManyConnections, replies.tooManyFromClient,
                replies.tooFastFromClient, refusalLog);
        if (clientLimits.limitsClients()) {
            sweeper = acceptors.next().scheduleAtFixedRate(this::sweepClients, 1, 1, TimeUnit.MINUTES);
        }
        bindAll(Kind.SMTP, config.smtpListeners(), chain, listeners);
        bindAll(Kind.SUBMISSION, submissionListen, PolicyChain.of(new AuthenticationRequired(), chain),
                submissionListeners);
        // RFC 8314: port 465 is submission over implicit TLS, so it too takes mail only once authenticated.
        bindAll(Kind.SMTPS, smtpsListen, PolicyChain.of(new AuthenticationRequired(), chain), smtpsListeners);
    }

    /**
     * Binds each of {@code addresses}. The JVM's sockets are dual-stack: a wildcard listener ({@code 0.0.0.0} or
     * {@code [::]}) takes IPv4 and IPv6 alike, so the other wildcard on the same port, listed beside it
     * ({@code 0.0.0.0:25, [::]:25}), finds the port taken by ourselves: it is served already, and said so. (A
     * wildcard of another kind of listener on that port is a mistake, and fails.)
     */
    private void bindAll(Kind kind, List<InetSocketAddress> addresses, SessionPolicy policies, List<Channel> bound)
            throws InterruptedException {
        List<InetSocketAddress> wildcards = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try {
                bound.add(bind(kind, a, policies));
                if (isWildcard(a)) {
                    wildcards.add(new InetSocketAddress(a.getAddress(), localPort(bound.get(bound.size() - 1))));
                }
            } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
                InetSocketAddress by = !(e instanceof java.net.BindException) || !isWildcard(a) ? null
                        : wildcards.stream().filter(w -> w.getPort() == a.getPort()).findFirst().orElse(null);
                if (by == null) {
                    throw e;
                }
                log.info("{} on {}: served by the listener on {}, whose dual-stack socket takes IPv4 and IPv6",
                        kind.label, HostPort.format(a), HostPort.format(by));
            }
        }
    }

    private static boolean isWildcard(InetSocketAddress a) {
        return a.getAddress() != null && a.getAddress().isAnyLocalAddress();
    }

    private static int localPort(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    private void sweepClients() {
        if (clients.wasFull()) {
            log.warn("the table of clients for --max-connections-per-client and --max-connection-rate was full ({} "
                    + "addresses): new addresses were let in uncounted", ClientTable.DEFAULT_MAX_CLIENTS);
        }
        clients.sweep();
    }

    private Channel bind(Kind kind, InetSocketAddress address, SessionPolicy sessionPolicies) throws InterruptedException {
        SmtpObserver observer = observers.of(kind.listener);
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Bounded reads, and a session stops reading while its replies pile up: see ConnectionBuffers.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, ConnectionBuffers.READS)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ConnectionBuffers.WRITES)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sessions.add(ch);
                        SmtpFrameDecoder framer = new SmtpFrameDecoder(config.maxLineLength());
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("limit", new ConnectionLimitHandler(openConnections, config.maxConnections(), clients,
                                refusals, observer));
                        if (kind == Kind.SMTP && !clientLimits.greetPause().isZero()) {
                            p.addLast("greet-pause", new GreetingPause(clientLimits.greetPause(), replies.earlyTalker,
                                    replies.shuttingDown, refusalLog, observer));
                        }
                        p.addLast("framer", framer);
                        p.addLast("commands", new SmtpCommandDecoder());
                        p.addLast("replies", SmtpReplyEncoder.INSTANCE);
                        p.addLast("session", new SmtpSession(config, replies, sessionPolicies, store, envelopes,
                                framer, events, tls, auth, authFailures, authFailureDelayMillis)
                                .observedBy(observer)); // under implicit TLS, STARTTLS is 503
                        if (kind == Kind.SMTPS) {
                            // RFC 8314: TLS from the first byte; the greeting waits in the SslHandler for the handshake.
                            SslHandler h = tls.current().newHandler(ch.alloc());
                            h.setHandshakeTimeoutMillis(StartTls.HANDSHAKE_TIMEOUT_MILLIS);
                            p.addFirst(StartTls.HANDLER_NAME, h);
                        }
                    }
                });
        Channel ch;
        try {
            ch = b.bind(address).sync().channel();
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync(): say which address
            if (e instanceof java.net.BindException) {
                PlatformDependent.throwException(new java.net.BindException("cannot listen on "
                        + HostPort.format(address) + ": " + e.getMessage()));
            }
            throw e;
        }
        // The address as configured, with the port it got (a wildcard shows as written, not as the socket's [::]).
        InetSocketAddress as = address.getAddress() == null ? (InetSocketAddress) ch.localAddress()
                : new InetSocketAddress(address.getAddress(), localPort(ch));
        log.info("{} listening on {} as {} ({} transport{})", kind.label, HostPort.format(as),
                config.hostname(), transport.name(), tls == null || kind == Kind.SMTPS ? "" : ", STARTTLS offered");
        return ch;
    }

    /** The first SMTP address actually bound (the port is known here when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listeners.get(0).localAddress();
    }

    /** Every address bound, of every kind of listener: mail to any of them comes back to us. */
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> all = new ArrayList<>();
        for (List<Channel> kind : List.of(listeners, submissionListeners, smtpsListeners)) {
            kind.forEach(ch -> all.add((InetSocketAddress) ch.localAddress()));
        }
        return all;
    }

    /** The first submission listener's address, or null when there is none. */
    public InetSocketAddress submissionAddress() {
        return submissionListeners.isEmpty() ? null : (InetSocketAddress) submissionListeners.get(0).localAddress();
    }

    /** The first implicit-TLS listener's address, or null when there is none. */
    public InetSocketAddress smtpsAddress() {
        return smtpsListeners.isEmpty() ? null : (InetSocketAddress) smtpsListeners.get(0).localAddress();
    }

    /** Whether every listener is bound and open (false once shutdown has closed them). */
    public boolean listening() {
        for (List<Channel> kind : List.of(listeners, submissionListeners, smtpsListeners)) {
            for (Channel l : kind) {
                if (!l.isActive()) {
                    return false;
                }
            }
        }
        return !listeners.isEmpty();
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
        for (List<Channel> kind : List.of(listeners, submissionListeners, smtpsListeners)) {
            kind.forEach(l -> l.close().syncUninterruptibly());
        }
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
