package dev.mta.bench.sink;

import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running SMTP sink: accepts everything (or the share its {@link SinkSettings} say), stores no content, counts,
 * and remembers each accepted message's X-Bench-Id. {@link #start} binds; {@link #close()} stops it.
 */
public final class Sink implements AutoCloseable {
    /** Longest command line, CRLF included: generous for SMTPUTF8 addresses, still bounded. */
    static final int MAX_LINE = 2048;

    private final SinkShared shared;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final long startNanos = System.nanoTime();

    private Sink(SinkShared shared, EventLoopGroup boss, EventLoopGroup workers, Channel server) {
        this.shared = shared;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
    }

    /** Starts a sink and returns once it listens. */
    public static Sink start(SinkSettings settings) throws InterruptedException {
        SinkShared shared = new SinkShared(settings, settings.starttls() ? SinkTls.selfSigned() : null);
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.newGroup("sink-accept", 1);
        EventLoopGroup workers = transport.newGroup("sink", settings.threads() > 0 ? settings.threads()
                : Runtime.getRuntime().availableProcessors());
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SmtpFrameDecoder framer = new SmtpFrameDecoder(MAX_LINE);
                            SmtpCommandDecoder commands = new SmtpCommandDecoder();
                            ch.pipeline().addLast(framer, commands, SmtpReplyEncoder.INSTANCE,
                                    new SinkSession(shared, framer, commands));
                        }
                    })
                    .bind(settings.listen()).sync().channel();
            return new Sink(shared, boss, workers, server);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The address it listens on (the real port when asked for port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public SinkSettings settings() {
        return shared.settings;
    }

    public SinkCounts counts() {
        return shared.counters.snapshot();
    }

    /** Each X-Bench-Id of an accepted message and how many times it came, sorted by id. */
    public Map<String, Integer> receivedIds() {
        return shared.ids.snapshot();
    }

    /** The exactly-once check of what arrived so far against {@code expected} (null: duplicates only). */
    public ExactlyOnce check(ExpectedIds expected) {
        return ExactlyOnce.check(expected, receivedIds());
    }

    /** The report of the run so far. */
    public SinkReport report(ExpectedIds expected) {
        return new SinkReport((System.nanoTime() - startNanos) / 1e9, counts(), check(expected),
                shared.settings.seed());
    }

    /** Stops listening and closes every connection; waits for the event loops to end. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
