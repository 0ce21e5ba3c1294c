package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.RemoteMta;
import dev.mta.relay.loop.LoopDetectedException;
import dev.mta.relay.loop.LoopDetector;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Opens client connections on the server's own event loops: connect, read the 220 greeting, say EHLO (HELO when
 * the peer does not know EHLO), and learn the peer's extensions. A peer that greets with our own name is us.
 */
public final class SmtpConnector {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final String ourHostname;
    private final ClientTimeouts timeouts;
    private final SslContext tls;
    private final SslContext verifying;
    /** TCP connections this connector made that are open now (metrics). */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    /** @param tls the client TLS context for opportunistic STARTTLS, or null never to use TLS */
    public SmtpConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass, String ourHostname,
                         ClientTimeouts timeouts, SslContext tls) {
        this(group, channelClass, ourHostname, timeouts, tls, null);
    }

    /**
     * @param tls       the client TLS context of the {@code may} and {@code encrypt} levels (no certificate check), or
     *                  null: {@code may} then never says STARTTLS, and {@code encrypt} defers
     * @param verifying the context of the {@code verify} level (trust store and host name check), or null: it defers
     */
    public SmtpConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass, String ourHostname,
                         ClientTimeouts timeouts, SslContext tls, SslContext verifying) {
        this.group = group;
        this.channelClass = channelClass;
        this.ourHostname = ourHostname;
        this.timeouts = timeouts;
        this.tls = tls;
        this.verifying = verifying;
    }

    /**
     * Opportunistic TLS as Postfix's "may" level: encrypt when the peer offers STARTTLS, without checking its
     * certificate (there is nothing to check it against for an arbitrary MX), so passive eavesdropping is defeated.
     */
    public static SslContext opportunisticTls() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    /**
     * The "verify" level's context: the certificate must chain to {@code trust} (null: the JDK's default trust store)
     * and be issued to the host name the next hop was found under (RFC 6125, as HTTPS checks it), not its address.
     */
    public static SslContext verifyingTls(javax.net.ssl.TrustManagerFactory trust) {
        try {
            javax.net.ssl.TrustManagerFactory t = trust;
            if (t == null) {
                t = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                t.init((java.security.KeyStore) null);
            }
            return SslContextBuilder.forClient().trustManager(t).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (javax.net.ssl.SSLException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    /** TCP connections made by this connector that are open now, whatever they are doing. */
    public int openConnections() {
        return open.get();
    }

    public ClientTimeouts timeouts() {
        return timeouts;
    }

    /** Connects to {@code address}; {@code hostName} is the name it was found under, for messages. */
    public CompletableFuture<SmtpClientConnection> connect(InetSocketAddress address, String hostName) {
        return connect(address, hostName, tls != null);
    }

    /** As {@link #connect(InetSocketAddress, String)}, with STARTTLS allowed or not (after a failed handshake). */
    public CompletableFuture<SmtpClientConnection> connect(InetSocketAddress address, String hostName, boolean useTls) {
        return connect(address, hostName, useTls ? HopSecurity.MAY : new HopSecurity(TlsLevel.NONE, null));
    }

    /**
     * As {@link #connect(InetSocketAddress, String)}, as {@code security} asks: STARTTLS by its level, then AUTH with
     * its credentials. Under encrypt or verify, no TLS (not offered, refused, handshake failed) fails with a
     * {@link SecurityDeferral} (4.7.5); so does AUTH refused or not offered (4.7.8, 4.7.4). Under may a failed
     * handshake fails with a {@link TlsHandshakeException}, for a retry in plain text.
     */
    public CompletableFuture<SmtpClientConnection> connect(InetSocketAddress address, String hostName, HopSecurity security) {
        CompletableFuture<SmtpClientConnection> result = new CompletableFuture<>();
        SmtpClientHandler handler = new SmtpClientHandler(timeouts.greeting());
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeouts.connect().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(SmtpClientConnection.DECODER,
                                new SmtpResponseDecoder(SmtpClientConnection.MAX_REPLY_LINE));
                        ch.pipeline().addLast(new SmtpRequestEncoder(), handler);
                    }
                });
        RemoteMta peer = new RemoteMta(hostName, address);
        ChannelFuture cf = b.connect(address);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            open.incrementAndGet();
            cf.channel().closeFuture().addListener(closed -> open.decrementAndGet());
            SmtpClientConnection c = new SmtpClientConnection(cf.channel(), handler, peer, timeouts);
            c.security(security);
            greet(c, handler.greeting(), security, address, hostName)
                    .thenComposeAsync(v -> SmtpAuth.authenticate(c, security.credentials()), c.eventLoop())
                    .whenComplete((ok, err) -> {
                        if (err != null) {
                            c.close();
                            result.completeExceptionally(unwrap(err));
                        } else {
                            result.complete(c);
                        }
                    });
        });
        return result;
    }

    private CompletableFuture<Void> greet(SmtpClientConnection c, CompletableFuture<SmtpResponse> greeting,
                                          HopSecurity security, InetSocketAddress address, String hostName) {
        Supplier<CompletableFuture<SmtpResponse>> ehlo = () -> c.command(SmtpRequests.ehlo(ourHostname), timeouts.command());
        TlsLevel level = security.level();
        return greeting.thenComposeAsync(g -> {
            if (g.code() != 220) {
                return CompletableFuture.failedFuture(new SmtpReplyException("greeting", g));
            }
            String name = g.details().isEmpty() ? "" : g.details().get(0).toString().split(" ", 2)[0];
            LoopDetectedException loop = LoopDetector.greetsAsUs(name, ourHostname, c.peer());
            if (loop != null) {
                return CompletableFuture.failedFuture(loop);
            }
            return ehlo.get().thenComposeAsync(r -> {
                if (r.code() == 250) {
                    c.capabilities(PeerCapabilities.parse(name, r.details()));
                    if (level.required()) {
                        if (!c.capabilities().startTls()) {
                            return CompletableFuture.failedFuture(tlsRequired(c, level, "STARTTLS not offered", null));
                        }
                        return startTls(c, name, address, hostName, level);
                    }
                    if (level == TlsLevel.MAY && tls != null && c.capabilities().startTls()) {
                        return startTls(c, name, address, hostName, level);
                    }
                    return CompletableFuture.completedFuture(null);
                }
                if (r.code() >= 500) {
                    if (level.required()) {
                        return CompletableFuture.failedFuture(tlsRequired(c, level, "no EHLO, so no STARTTLS", null));
                    }
                    return c.command(SmtpRequests.helo(ourHostname), timeouts.command()).thenApply(h -> {
                        if (h.code() != 250) {
                            throw new java.util.concurrent.CompletionException(new SmtpReplyException("HELO", h));
                        }
                        c.capabilities(PeerCapabilities.parse(name, null));
                        return null;
                    });
                }
                return CompletableFuture.failedFuture(new SmtpReplyException("EHLO", r));
            }, c.eventLoop());
        }, c.eventLoop());
    }

    private static SecurityDeferral tlsRequired(SmtpClientConnection c, TlsLevel level, String why, Throwable cause) {
        return new SecurityDeferral(dev.mta.protocol.reply.EnhancedStatus.of(4, 7, 5),
                "TLS policy " + level + " for " + c.peer() + ": " + why + "; not sent in clear", cause);
    }

    /**
     * STARTTLS (RFC 3207): on 220 the TLS handshake, then EHLO again, as everything said before is forgotten
     * (and everything the server sent after its 220 is thrown away unread: {@link SmtpClientConnection#startTls}).
     */
    private CompletableFuture<Void> startTls(SmtpClientConnection c, String name, InetSocketAddress peer, String hostName,
                                             TlsLevel level) {
        SslContext context = level == TlsLevel.VERIFY ? verifying : tls;
        if (context == null) {
            return CompletableFuture.failedFuture(tlsRequired(c, level, "no TLS context configured", null));
        }
        SslHandler[] ssl = new SslHandler[1];
        return c.startTls(() -> {
            ssl[0] = context.newHandler(c.channel().alloc(), hostName, peer.getPort());
            ssl[0].setHandshakeTimeoutMillis(timeouts.command().toMillis());
            return ssl[0];
        }, timeouts.command()).thenComposeAsync(r -> {
            if (r.code() != 220) {
                if (level.required()) {
                    return CompletableFuture.failedFuture(tlsRequired(c, level, "STARTTLS refused: "
                            + r.code() + " " + String.join(" ", r.details()), null));
                }
                return CompletableFuture.completedFuture(null); // offered but refused: go on in plain text
            }
            CompletableFuture<Void> secured = new CompletableFuture<>();
            ssl[0].handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    secured.completeExceptionally(level.required()
                            ? tlsRequired(c, level, "TLS handshake failed: " + f.cause().getMessage(), f.cause())
                            : new TlsHandshakeException(c.peer(), f.cause()));
                    return;
                }
                c.command(SmtpRequests.ehlo(ourHostname), timeouts.command()).whenComplete((e, err) -> {
                    if (err != null) {
                        secured.completeExceptionally(err);
                    } else if (e.code() != 250) {
                        secured.completeExceptionally(new SmtpReplyException("EHLO after STARTTLS", e));
                    } else {
                        c.capabilities(PeerCapabilities.parse(name, e.details()).encrypted());
                        secured.complete(null);
                    }
                });
            });
            return secured;
        }, c.eventLoop());
    }

    /** Waits on one of the event loops: runs {@code task} there after {@code delay} (the hop probes' timer). */
    public void schedule(java.time.Duration delay, Runnable task) {
        group.next().schedule(task, Math.max(0, delay.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Whether a failure to connect means the address does not answer (see {@link HopHealth}): the connection was
     * refused or timed out (Netty's connect timeout is a {@link java.net.ConnectException} too), there is no route to
     * it, or it greeted with 421.
     */
    public static boolean unavailable(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                || t instanceof SmtpReplyException r && "greeting".equals(r.stage()) && r.reply().code() == 421;
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
