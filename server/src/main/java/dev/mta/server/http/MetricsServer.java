package dev.mta.server.http;

import dev.mta.server.config.HostPort;
import dev.mta.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The metrics and health listener ({@code --metrics-listen}): HTTP/1.1 by Netty's codec, on an event loop of its
 * own, so a scrape (rendering every meter) never holds up an SMTP session and a busy SMTP loop never a scrape.
 * Routes: {@link HttpRoutes}.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    /** A request has no body worth keeping: anything larger is refused by the aggregator (413). */
    private static final int MAX_REQUEST = 16 * 1024;
    /** An idle connection (a scraper keeps one between scrapes) is closed after this long. */
    private static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Listens on {@code address}; a BindException names it when it is taken. */
    public static MetricsServer start(InetSocketAddress address, Transport transport, Supplier<String> scrape,
                                      Readiness readiness) throws BindException, InterruptedException {
        EventLoopGroup group = transport.newGroup("metrics-http", 1);
        HttpRoutes routes = new HttpRoutes(scrape, readiness);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST), routes);
                    }
                });
        try {
            Channel ch = b.bind(address).sync().channel();
            MetricsServer server = new MetricsServer(group, ch);
            log.info("metrics and health on http://{}/metrics, /health/live, /health/ready",
                    HostPort.format(server.address()));
            return server;
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof BindException) {
                throw new BindException("cannot listen on " + HostPort.format(address) + " (metrics-listen): "
                        + e.getMessage());
            }
            throw e;
        }
    }

    /** The address bound (the port is known here when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
