package dev.mta.relay.transport.smtp;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import dev.mta.queue.model.Route;
import dev.mta.relay.loop.LoopDetectedException;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.NextHop;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.RoutingException;
import dev.mta.relay.transport.AttemptClock;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.Transport;
import io.netty.handler.codec.smtp.SmtpRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Delivery over SMTP: the next hops of the route's next hop in order (transport map, else MX), each over a kept
 * or new connection, with opportunistic TLS retried in plain text when the handshake fails; connection trouble
 * moves on to the next hop, and the last hop's trouble is every recipient's deferral.
 *
 * <p>Dead next hops ({@link HopHealth}): an address that refuses connections, times out at connect or greets with 421
 * is down for a back-off period and skipped meanwhile; a destination whose every address is down has its mail
 * deferred (4.4.1) without a connection attempt. At the end of each period this transport probes the address once
 * (connect, greeting, EHLO, STARTTLS when offered: the connection then waits in the pool for the first delivery); when it answers, every
 * route whose mail was deferred for it is handed to {@code whenBack} (the queue makes that mail due now).
 */
public final class SmtpTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(SmtpTransport.class);

    private final Router router;
    private final SmtpConnector connector;
    private final LoopDetector loops;
    private final Executor bodyReader;
    private final Duration idleTimeout;
    private final ConnectionPool<SmtpClientConnection> pool = new ConnectionPool<>();
    private final HopHealth health;
    private final Consumer<Route> whenBack;
    private final OutboundSecurity security;
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param bodyReader  threads that may block on the disk, to read the message content
     * @param idleTimeout how long an unused connection is kept for the next message to the same hop
     */
    public SmtpTransport(Router router, SmtpConnector connector, LoopDetector loops, Executor bodyReader,
                         Duration idleTimeout) {
        this(router, connector, loops, bodyReader, idleTimeout, new HopHealth(HopHealth.Backoff.DEFAULT), route -> { });
    }

    /**
     * @param health   the table of down next-hop addresses, shared by every event loop
     * @param whenBack told (on an event loop) of each route whose mail was deferred for an address that answers again
     */
    public SmtpTransport(Router router, SmtpConnector connector, LoopDetector loops, Executor bodyReader,
                         Duration idleTimeout, HopHealth health, Consumer<Route> whenBack) {
        this(router, connector, loops, bodyReader, idleTimeout, health, whenBack, OutboundSecurity.DEFAULT);
    }

    /** @param security the TLS level and credentials of each route's next hops */
    public SmtpTransport(Router router, SmtpConnector connector, LoopDetector loops, Executor bodyReader,
                         Duration idleTimeout, HopHealth health, Consumer<Route> whenBack, OutboundSecurity security) {
        this.security = security;
        this.router = router;
        this.connector = connector;
        this.loops = loops;
        this.bodyReader = bodyReader;
        this.idleTimeout = idleTimeout;
        this.health = health;
        this.whenBack = whenBack;
    }

    /** Connection attempts made so far (deliveries' and probes'), pooled connections not counted. */
    public long connectionAttempts() {
        return attempts.get();
    }

    /** Outbound SMTP connections open now: delivering, idle in the pool, or being set up. */
    public int openConnections() {
        return connector.openConnections();
    }

    public HopHealth health() {
        return health;
    }

    @Override
    public CompletableFuture<List<Outcome>> deliver(Delivery d) {
        return deliver(d, AttemptClock.start());
    }

    @Override
    public CompletableFuture<List<Outcome>> deliver(Delivery d, AttemptClock clock) {
        return router.route(d.route().nexthop())
                .thenCompose(hops -> {
                    List<NextHop> up = new ArrayList<>(hops.size());
                    for (NextHop h : hops) {
                        if (!health.isDown(h.address())) {
                            up.add(h);
                        }
                    }
                    return up.isEmpty() && !hops.isEmpty() ? unavailable(d, hops, clock)
                            : tryHops(d, up, 0, null, clock);
                })
                .exceptionally(e -> routingFailure(d, e));
    }

    /**
     * Every address of the destination is down: the recipients are deferred without a connection attempt, and the
     * route waits on each address, to be made due when one answers its probe.
     */
    private CompletableFuture<List<Outcome>> unavailable(Delivery d, List<NextHop> hops, AttemptClock clock) {
        List<InetSocketAddress> addresses = new ArrayList<>(hops.size());
        for (NextHop h : hops) {
            health.waiting(h.address(), d.route());
            addresses.add(h.address());
        }
        // Registered first, checked after: an address cleared in between is tried now rather than missed.
        long until = health.unavailableUntil(addresses);
        if (until < 0) {
            List<NextHop> up = new ArrayList<>(hops.size());
            for (NextHop h : hops) {
                if (!health.isDown(h.address())) {
                    up.add(h);
                }
            }
            return tryHops(d, up, 0, null, clock);
        }
        HopHealth.Down first = health.state(hops.get(0).address());
        String last = first == null ? "" : ": " + first.lastError();
        return all(d, Outcome.deferred(EnhancedStatus.of(4, 4, 1), "next hops of " + d.route().nexthop()
                + " unavailable, not tried before " + Instant.ofEpochMilli(until).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + last));
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
    private CompletableFuture<List<Outcome>> tryHops(Delivery d, List<NextHop> hops, int i, Outcome lastError,
                                                     AttemptClock clock) {
        return tryHops(d, hops, i, lastError, clock, false);
    }

    /** @param fresh a new connection to hop {@code i}, not a kept one (after a kept one was found gone) */
    private CompletableFuture<List<Outcome>> tryHops(Delivery d, List<NextHop> hops, int i, Outcome lastError,
                                                     AttemptClock clock, boolean fresh) {
        if (i >= hops.size()) {
            return all(d, lastError != null ? lastError : Outcome.deferred(EnhancedStatus.of(4, 4, 1), "no next hop"));
        }
        NextHop hop = hops.get(i);
        Outcome loop = loops.loopsBack(d.route().nexthop(), hop.address(), hop.toString());
        if (loop != null) {
            return all(d, loop);
        }
        HopSecurity sec = security.forHop(d.route().nexthop(), hop.host(), hop.address().getPort());
        return (fresh ? connect(hop, sec) : connection(hop, sec)).handle((c, e) -> {
            // Opportunistic TLS: a failed handshake is retried once in plain text, as Postfix's "may" level does.
            // (Under encrypt and verify the connector fails with a SecurityDeferral instead: never in clear.)
            if (e != null && sec.level() == TlsLevel.MAY && SmtpConnector.unwrap(e) instanceof TlsHandshakeException) {
                log.info("{}: {}; trying {} without TLS", d.messageId(), SmtpConnector.unwrap(e).getMessage(), hop);
                return connection(hop, new HopSecurity(TlsLevel.NONE, null));
            }
            return e == null ? CompletableFuture.completedFuture(c) : CompletableFuture.<SmtpClientConnection>failedFuture(e);
        }).thenCompose(f -> f).whenComplete((c, e) -> {
            if (e == null) {
                answered(hop);
            } else if (SmtpConnector.unavailable(e)) {
                down(hop, e);
            }
        }).thenCompose(c -> {
            clock.connected(); // setup is over (delays' c); the transaction is transmission (d)
            return MailTransaction.run(c, d, bodyReader).thenApply(out -> {
                if (c.isActive()) {
                    pool.give(hop.address(), c);
                }
                return out;
            });
        }).handle((out, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(out);
            }
            Throwable cause = SmtpConnector.unwrap(e);
            if (cause instanceof StaleConnectionException) {
                log.debug("{}: {}; trying again", d.messageId(), cause.getMessage());
                return tryHops(d, hops, i, lastError, clock, true); // once: a fresh connection is never stale
            }
            if (cause instanceof LoopDetectedException) {
                return all(d, LoopDetector.detected((LoopDetectedException) cause));
            }
            if (cause instanceof SecurityDeferral sd) {
                log.info("{}: {}", d.messageId(), sd.getMessage());
                return tryHops(d, hops, i + 1, Outcome.local(Outcome.Kind.DEFERRED, sd.status(), sd.getMessage(),
                        new RemoteMta(hop.host(), hop.address())), clock);
            }
            return tryHops(d, hops, i + 1, Outcome.local(Outcome.Kind.DEFERRED, EnhancedStatus.of(4, 4, 1),
                    "connect to " + hop + ": " + cause.getMessage(), new RemoteMta(hop.host(), hop.address())), clock);
        }).thenCompose(f -> f);
    }

    /** A new connection, counted. */
    private CompletableFuture<SmtpClientConnection> connect(NextHop hop, HopSecurity sec) {
        attempts.incrementAndGet();
        return connector.connect(hop.address(), hop.host(), sec);
    }

    /** The hop did not answer: a first failure marks it down and schedules its probe. */
    private void down(NextHop hop, Throwable e) {
        String error = "connect to " + hop + ": " + SmtpConnector.unwrap(e).getMessage();
        HopHealth.Down d = health.failed(hop.address(), error);
        if (d != null) {
            long wait = d.until() - System.currentTimeMillis();
            log.info("{} is down for {} s (failure {} in a row): {}", hop, Math.max(0, wait) / 1000, d.failures(), error);
            connector.schedule(Duration.ofMillis(wait), () -> probe(hop));
        }
    }

    /** The hop answered: if it was down, the mail deferred for it is due now. */
    private void answered(NextHop hop) {
        Set<Route> waiting = health.reached(hop.address());
        if (waiting == null) {
            return;
        }
        log.info("{} answers again; mail for {} is due now", hop, waiting);
        for (Route r : waiting) {
            whenBack.accept(r);
        }
        // Deliveries that were deciding while the probe answered report their deferral after this: once more, soon.
        connector.schedule(Duration.ofSeconds(1), () -> waiting.forEach(whenBack));
    }

    /** The end of a down hop's period: one connection decides whether it is back. */
    private void probe(NextHop hop) {
        if (closed) {
            return;
        }
        HopHealth.Down s = health.state(hop.address());
        long early = s == null || s.probing() ? 0 : s.until() - System.currentTimeMillis();
        if (early > 0) { // the timer ran ahead of the clock, or this period began after the timer was set
            connector.schedule(Duration.ofMillis(early), () -> probe(hop));
            return;
        }
        HopHealth.Probe p = health.claimProbe(hop.address());
        if (p == HopHealth.Probe.FORGOTTEN) {
            log.info("{} is no longer down: no mail has wanted it for a while", hop);
        }
        if (p != HopHealth.Probe.NOW) {
            return;
        }
        connect(hop, HopSecurity.MAY).whenComplete((c, e) -> {
            if (e == null) {
                if (closed) {
                    c.close();
                } else {
                    pool.give(hop.address(), c);
                }
                answered(hop);
            } else if (SmtpConnector.unavailable(e)) {
                down(hop, e);
            } else {
                answered(hop); // it accepted the connection: not down, whatever else went wrong
            }
        });
    }

    /**
     * A pooled connection to the hop opened with the same security, or a new one: a kept connection of another
     * route's policy (plain text, unverified, or authenticated as someone) is closed. A kept connection whose last
     * transaction ended with its final reply is used as it is (the next hop holds no transaction: RSET would only cost
     * a round trip per message); one left in any other state is reset with RSET first.
     */
    private CompletableFuture<SmtpClientConnection> connection(NextHop hop, HopSecurity sec) {
        SmtpClientConnection idle = pool.take(hop.address());
        if (idle != null && !reusableFor(idle, hop, sec)) {
            idle.quit();
            idle = null;
        }
        if (idle == null) {
            return connect(hop, sec);
        }
        SmtpClientConnection kept = idle;
        kept.markReused();
        if (kept.clean()) {
            return CompletableFuture.completedFuture(kept);
        }
        return CompletableFuture.supplyAsync(() -> kept.command(SmtpRequests.rset(), connector.timeouts().command()),
                kept.eventLoop()).thenCompose(f -> f).handle((r, e) -> {
                    if (e == null && r.code() == 250) {
                        kept.clean(true);
                        return CompletableFuture.completedFuture(kept);
                    }
                    kept.close();
                    return connect(hop, sec);
                }).thenCompose(f -> f);
    }

    /**
     * A kept connection serves a route whose security it was opened with; a probe's (may) connection also serves a
     * may route, and one that got TLS serves a route with none or may and no credentials. Under verify it serves only
     * the host name its certificate was checked for: two names can lead to one address, and the other name's route
     * must not get a connection verified for someone else.
     */
    private static boolean reusableFor(SmtpClientConnection c, NextHop hop, HopSecurity wanted) {
        if (wanted.level() == TlsLevel.VERIFY
                && !c.remoteMta().host().equalsIgnoreCase(new RemoteMta(hop.host(), hop.address()).host())) {
            return false;
        }
        if (c.security().equals(wanted)) {
            return true;
        }
        return wanted.credentials() == null && !wanted.level().required() && c.security().credentials() == null;
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
        closed = true;
        pool.closeAll();
    }
}
