package dev.mta.server;

import dev.mta.queue.DurableQueue;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.net.Transport;
import dev.mta.server.outbound.OutboundRelay;
import dev.mta.server.smtp.SmtpServer;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The running MTA: queue, event loops and SMTP server, started and stopped together. */
public final class Mta implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mta.class);

    private final ServerConfig config;
    private final DurableQueue queue;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final SmtpServer smtp;
    private final OutboundRelay relay;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private Mta(ServerConfig config, DurableQueue queue, EventLoopGroup acceptors, EventLoopGroup workers, SmtpServer smtp,
                OutboundRelay relay) {
        this.config = config;
        this.queue = queue;
        this.acceptors = acceptors;
        this.workers = workers;
        this.smtp = smtp;
        this.relay = relay;
    }

    /** Opens (and recovers) the queue and starts listening. */
    public static Mta start(ServerConfig config) throws IOException, InterruptedException {
        DurableQueue queue = DurableQueue.open(config.queueConfig());
        Transport transport = Transport.best();
        EventLoopGroup acceptors = transport.newGroup("smtp-accept", 1);
        EventLoopGroup workers = transport.newGroup("io", config.eventLoopThreads());
        SmtpServer smtp = new SmtpServer(config, queue, transport, acceptors, workers);
        try {
            smtp.start();
        } catch (RuntimeException | InterruptedException e) {
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            queue.close();
            throw e;
        }
        OutboundRelay relay = config.relay().enabled()
                ? OutboundRelay.start(config, queue, transport, workers, smtp.localAddress()) : null;
        if (relay == null) {
            log.info("relay off: mail is queued, not delivered");
        }
        return new Mta(config, queue, acceptors, workers, smtp, relay);
    }

    public InetSocketAddress smtpAddress() {
        return smtp.localAddress();
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
        log.info("shutting down");
        smtp.shutdown(config.shutdownGrace());
        if (relay != null) {
            relay.close();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        queue.close();
        log.info("stopped");
        stopped.countDown();
    }
}
