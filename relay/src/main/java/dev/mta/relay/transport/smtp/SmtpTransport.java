package dev.mta.relay.transport.smtp;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import dev.mta.relay.loop.LoopDetectedException;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.NextHop;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.RoutingException;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.Transport;
import io.netty.handler.codec.smtp.SmtpRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Delivery over SMTP: the next hops of the route's next hop in order (transport map, else MX), each over a kept
 * or new connection, with opportunistic TLS retried in plain text when the handshake fails; connection trouble
 * moves on to the next hop, and the last hop's trouble is every recipient's deferral.
 */
public final class SmtpTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SmtpTransport.class);

    private final Router router;
    private final SmtpConnector connector;
    private final LoopDetector loops;
    private final Executor bodyReader;
    private final Duration idleTimeout;
    private final ConnectionPool<SmtpClientConnection> pool = new ConnectionPool<>();

    /**
     * @param bodyReader  threads that may block on the disk, to read the message content
     * @param idleTimeout how long an unused connection is kept for the next message to the same hop
     */
    public SmtpTransport(Router router, SmtpConnector connector, LoopDetector loops, Executor bodyReader,
                         Duration idleTimeout) {
        this.router = router;
        this.connector = connector;
        this.loops = loops;
        this.bodyReader = bodyReader;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public CompletableFuture<List<Outcome>> deliver(Delivery d) {
        return router.route(d.route().nexthop())
                .thenCompose(hops -> tryHops(d, hops, 0, null))
                .exceptionally(e -> routingFailure(d, e));
    }

    private static List<Outcome> routingFailure(Delivery d, Throwable e) {
        Throwable cause = SmtpConnector.unwrap(e);
        if (cause instanceof RoutingException) {
            return Collections.nCopies(d.recipients().size(), ((RoutingException) cause).outcome());
        }
        return Collections.nCopies(d.recipients().size(),
                Outcome.deferred(EnhancedStatus.of(4, 4, 0), "delivery failed: " + cause));
    }

    /** Tries the next hops in order until one takes the transaction; connection trouble moves on to the next. */
    private CompletableFuture<List<Outcome>> tryHops(Delivery d, List<NextHop> hops, int i, Outcome lastError) {
        if (i >= hops.size()) {
            return all(d, lastError != null ? lastError : Outcome.deferred(EnhancedStatus.of(4, 4, 1), "no next hop"));
        }
        NextHop hop = hops.get(i);
        Outcome loop = loops.loopsBack(d.route().nexthop(), hop.address(), hop.toString());
        if (loop != null) {
            return all(d, loop);
        }
        return connection(hop, true).handle((c, e) -> {
            // Opportunistic TLS: a failed handshake is retried once in plain text, as Postfix's "may" level does.
            if (e != null && SmtpConnector.unwrap(e) instanceof TlsHandshakeException) {
                log.info("{}: {}; trying {} without TLS", d.messageId(), SmtpConnector.unwrap(e).getMessage(), hop);
                return connection(hop, false);
            }
            return e == null ? CompletableFuture.completedFuture(c) : CompletableFuture.<SmtpClientConnection>failedFuture(e);
        }).thenCompose(f -> f).thenCompose(c -> MailTransaction.run(c, d, bodyReader).thenApply(out -> {
            if (c.isActive()) {
                pool.give(hop.address(), c);
            }
            return out;
        })).handle((out, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(out);
            }
            Throwable cause = SmtpConnector.unwrap(e);
            if (cause instanceof LoopDetectedException) {
                return all(d, LoopDetector.detected((LoopDetectedException) cause));
            }
            return tryHops(d, hops, i + 1, Outcome.local(Outcome.Kind.DEFERRED, EnhancedStatus.of(4, 4, 1),
                    "connect to " + hop + ": " + cause.getMessage(), new RemoteMta(hop.host(), hop.address())));
        }).thenCompose(f -> f);
    }

    /** A pooled connection to the hop (reset with RSET first), or a new one. */
    private CompletableFuture<SmtpClientConnection> connection(NextHop hop, boolean tls) {
        SmtpClientConnection idle = pool.take(hop.address());
        if (idle == null) {
            return connector.connect(hop.address(), hop.host(), tls);
        }
        return CompletableFuture.supplyAsync(() -> idle.command(SmtpRequests.rset(), connector.timeouts().command()),
                idle.eventLoop()).thenCompose(f -> f).handle((r, e) -> {
                    if (e == null && r.code() == 250) {
                        return CompletableFuture.completedFuture(idle);
                    }
                    idle.close();
                    return connector.connect(hop.address(), hop.host(), tls);
                }).thenCompose(f -> f);
    }

    private static CompletableFuture<List<Outcome>> all(Delivery d, Outcome o) {
        return CompletableFuture.completedFuture(Collections.nCopies(d.recipients().size(), o));
    }

    @Override
    public void closeIdle() {
        pool.closeIdle(idleTimeout);
    }

    @Override
    public void close() {
        pool.closeAll();
    }
}
