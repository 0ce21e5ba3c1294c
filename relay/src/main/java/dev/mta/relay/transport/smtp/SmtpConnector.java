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
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
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
    private static final int MAX_REPLY_LINE = 8192;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final String ourHostname;
    private final ClientTimeouts timeouts;
    private final SslContext tls;

    /** @param tls the client TLS context for opportunistic STARTTLS, or null never to use TLS */
    public SmtpConnector(EventLoopGroup group, Class<? extends SocketChannel> channelClass, String ourHostname,
                         ClientTimeouts timeouts, SslContext tls) {
        this.group = group;
        this.channelClass = channelClass;
        this.ourHostname = ourHostname;
        this.timeouts = timeouts;
        this.tls = tls;
    }

    /**
     * Opportunistic TLS as Postfix's "may" level: encrypt when the peer offers STARTTLS, without checking its
     * certificate (there is nothing to check it against for an arbitrary MX), so passive eavesdropping is defeated.
     */
    public static SslContext opportunisticTls() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("no TLS available", e);
        }
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
                        ch.pipeline().addLast(new SmtpResponseDecoder(MAX_REPLY_LINE), new SmtpRequestEncoder(), handler);
                    }
                });
        RemoteMta peer = new RemoteMta(hostName, address);
        ChannelFuture cf = b.connect(address);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            SmtpClientConnection c = new SmtpClientConnection(cf.channel(), handler, peer, timeouts);
            greet(c, handler.greeting(), useTls ? address : null, hostName).whenComplete((ok, err) -> {
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
                                          InetSocketAddress tlsPeer, String hostName) {
        Supplier<CompletableFuture<SmtpResponse>> ehlo = () -> c.command(SmtpRequests.ehlo(ourHostname), timeouts.command());
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
                    if (tlsPeer != null && c.capabilities().startTls()) {
                        return startTls(c, name, tlsPeer, hostName);
                    }
                    return CompletableFuture.completedFuture(null);
                }
                if (r.code() >= 500) {
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

    /** STARTTLS (RFC 3207): on 220 the TLS handshake, then EHLO again, as everything said before is forgotten. */
    private CompletableFuture<Void> startTls(SmtpClientConnection c, String name, InetSocketAddress peer, String hostName) {
        return c.command(new DefaultSmtpRequest(SmtpCommand.valueOf("STARTTLS")), timeouts.command()).thenComposeAsync(r -> {
            if (r.code() != 220) {
                return CompletableFuture.completedFuture(null); // offered but refused: go on in plain text
            }
            CompletableFuture<Void> secured = new CompletableFuture<>();
            SslHandler ssl = tls.newHandler(c.channel().alloc(), hostName, peer.getPort());
            ssl.setHandshakeTimeoutMillis(timeouts.command().toMillis());
            c.channel().pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    secured.completeExceptionally(new TlsHandshakeException(c.peer(), f.cause()));
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
