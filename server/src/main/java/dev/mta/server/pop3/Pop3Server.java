package dev.mta.server.pop3;

import dev.mta.mailbox.maildrop.MaildropLocks;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.pop3.Pop3CommandDecoder;
import dev.mta.protocol.pop3.Pop3CommandParser;
import dev.mta.protocol.pop3.Pop3ReplyEncoder;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.auth.UserStore;
import dev.mta.server.config.HostPort;
import dev.mta.server.net.Transport;
import dev.mta.server.tls.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The POP3 server: its listeners (STLS offered on the plain ones, implicit TLS on the others, RFC 8314), each
 * connection's pipeline (TLS first where implicit, the connection limit, the inactivity timer, the strict CRLF framer
 * with POP3's 255-octet lines, the command decoder, the reply encoder, the session), the disk threads every session's
 * maildrop work runs on, the maildrop locks, and the stop.
 */
public final class Pop3Server {
    private static final Logger log = LoggerFactory.getLogger(Pop3Server.class);
    /** Sent to every session by {@link #shutdown}. */
    static final Object SHUTDOWN = new Object();
    /** Threads reading maildrops: a few, each task a directory listing or a 64 KiB read. */
    static final int DISK_THREADS = 4;

    private final Pop3Settings settings;
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup sessions = new DefaultChannelGroup("pop3-sessions", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final MaildropLocks locks = new MaildropLocks();
    private final List<Channel> plain = new ArrayList<>();
    private final List<Channel> implicit = new ArrayList<>();
    private final ExecutorService disk;
    private TlsContexts tls;
    private UserStore users;
    private boolean allowPlaintext;
    private AuthFailures failures = new AuthFailures();
    private long failureDelayMillis = PasswordCheck.DEFAULT_FAILURE_DELAY_MILLIS;
    private Pop3Observer observer = Pop3Observer.NONE;

    public Pop3Server(Pop3Settings settings, Transport transport, EventLoopGroup acceptors, EventLoopGroup workers) {
        this.settings = settings;
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
        AtomicInteger n = new AtomicInteger();
        this.disk = new ThreadPoolExecutor(DISK_THREADS, DISK_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "pop3-disk-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) disk).allowCoreThreadTimeOut(true);
    }

    /** TLS for STLS and the implicit-TLS listeners (null: neither; then no implicit-TLS listener may be set). */
    public Pop3Server withTls(TlsContexts contexts) {
        this.tls = contexts;
        return this;
    }

    /**
     * The users who may log in, whether they may without TLS from elsewhere than loopback, and the failure table and
     * delay SMTP AUTH uses too (one lockout for both).
     */
    public Pop3Server withAuth(UserStore users, boolean allowPlaintext, AuthFailures failures, long failureDelayMillis) {
        this.users = users;
        this.allowPlaintext = allowPlaintext;
        this.failures = failures;
        this.failureDelayMillis = failureDelayMillis;
        return this;
    }

    public Pop3Server withObserver(Pop3Observer observer) {
        this.observer = observer;
        return this;
    }

    /** Binds every listener; returns once all accept connections. A bind that fails closes those bound before it. */
    public void start() throws InterruptedException {
        if (users == null) {
            throw new IllegalStateException("POP3 needs users (withAuth)");
        }
        if (!settings.implicitTls().isEmpty() && tls == null) {
            throw new IllegalArgumentException("pop3s listeners need TLS");
        }
        Pop3Session.Shared shared = new Pop3Session.Shared(settings.mailRoot(), locks, disk, tls,
                new PasswordCheck(users, failures, failureDelayMillis), failures, allowPlaintext, "mta", observer);
        try {
            for (InetSocketAddress a : settings.listen()) {
                plain.add(bind(a, shared, false));
            }
            for (InetSocketAddress a : settings.implicitTls()) {
                implicit.add(bind(a, shared, true));
            }
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
            closeListeners();
            throw e;
        }
    }

    private Channel bind(InetSocketAddress address, Pop3Session.Shared shared, boolean implicitTls)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Commands are short; messages go out in 64 KiB chunks, the next read only below the high mark.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 1024, 4096))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch, shared, implicitTls);
                    }
                });
        Channel ch;
        try {
            ch = b.bind(address).sync().channel();
        } catch (Exception e) {
            if (e instanceof java.net.BindException) {
                io.netty.util.internal.PlatformDependent.throwException(new java.net.BindException(
                        "cannot listen on " + HostPort.format(address) + ": " + e.getMessage()));
            }
            throw e;
        }
        InetSocketAddress as = new InetSocketAddress(address.getAddress(), ((InetSocketAddress) ch.localAddress()).getPort());
        log.info("POP3{} listening on {}{}", implicitTls ? "S (implicit TLS)" : "", HostPort.format(as),
                !implicitTls && tls != null ? " (STLS offered)" : "");
        return ch;
    }

    private void pipeline(SocketChannel ch, Pop3Session.Shared shared, boolean implicitTls) {
        sessions.add(ch);
        SmtpFrameDecoder framer = new SmtpFrameDecoder(Pop3CommandParser.MAX_LINE_LENGTH);
        ChannelPipeline p = ch.pipeline();
        if (implicitTls) {
            SslHandler h = tls.current().newHandler(ch.alloc());
            h.setHandshakeTimeoutMillis(Pop3StartTls.HANDSHAKE_TIMEOUT_MILLIS);
            p.addLast(Pop3StartTls.HANDLER_NAME, h);
        }
        p.addLast("limit", new Pop3ConnectionLimit(openConnections, settings.maxConnections()));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("framer", framer);
        p.addLast("commands", new Pop3CommandDecoder());
        p.addLast("replies", Pop3ReplyEncoder.INSTANCE);
        p.addLast("session", new Pop3Session(shared, framer));
    }

    /** The addresses bound with STLS offered, in order (the port is known here when 0 was asked for). */
    public List<InetSocketAddress> addresses() {
        return plain.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** The implicit-TLS addresses bound, in order. */
    public List<InetSocketAddress> implicitTlsAddresses() {
        return implicit.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** Connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops listening and ends every session ({@code -ERR [SYS/TEMP]}, no UPDATE: nothing is removed), waiting up to
     * {@code grace} for them to close; then the disk threads finish what is queued (locks let go) and stop.
     */
    public void shutdown(Duration grace) {
        closeListeners();
        sessions.forEach(ch -> ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(SHUTDOWN)));
        sessions.newCloseFuture().awaitUninterruptibly(Math.max(grace.toMillis(), 1000) + LAST_REPLY_MILLIS);
        disk.shutdown();
        try {
            if (!disk.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("POP3 disk threads still busy after 5 s; stopping without them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long LAST_REPLY_MILLIS = Pop3Out.LAST_REPLY_SECONDS * 1000;

    private void closeListeners() {
        plain.forEach(l -> l.close().syncUninterruptibly());
        implicit.forEach(l -> l.close().syncUninterruptibly());
    }
}
