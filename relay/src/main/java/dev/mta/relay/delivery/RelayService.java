package dev.mta.relay.delivery;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.DeliveryJob;
import dev.mta.queue.DeliveryQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import dev.mta.queue.model.Route;
import dev.mta.relay.loop.LoopDetectedException;
import dev.mta.relay.transport.smtp.MailTransaction;
import dev.mta.relay.transport.smtp.SmtpClientConnection;
import dev.mta.relay.transport.smtp.SmtpConnector;
import dev.mta.relay.bounce.DsnBuilder;
import dev.mta.relay.bounce.FailedRecipient;
import dev.mta.relay.bounce.HeaderSection;
import dev.mta.relay.routing.NextHop;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.RoutingException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.smtp.SmtpRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay workers: take due work from the queue (within the global and per-destination connection limits),
 * find the next hop, deliver over a new or reused connection, bounce what failed for good, and report every
 * recipient's outcome back to the queue. Network work runs on the shared event loops; reading bodies and headers
 * from disk runs on its own threads; the dispatcher is one small thread that only decides what to start.
 */
public final class RelayService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayService.class);

    private final RelayConfig config;
    private final DeliveryQueue queue;
    private final MessageStore store;
    private final Router router;
    private final SmtpConnector connector;
    private final FatalErrorHandler fatal;
    private final ConnectionPool pool = new ConnectionPool();
    private final ScheduledExecutorService dispatcher;
    private final ExecutorService diskReaders;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger active = new AtomicInteger();
    private final Map<Route, AtomicInteger> activePerDestination = new ConcurrentHashMap<>();
    /** Jobs of one message under way together: their outcomes wait so that one DSN covers all their failures. */
    private final Map<String, MessageRound> rounds = new ConcurrentHashMap<>();

    /** The jobs of one message that are under way, and the finished ones waiting for the last. */
    private static final class MessageRound {
        int running;
        final List<DeliveryJob> jobs = new ArrayList<>();
        final List<List<Outcome>> outcomes = new ArrayList<>();
    }
    private volatile boolean running = true;

    /** @param fatal hears when the dispatcher cannot go on (an Error in it): nothing would be delivered any more */
    public RelayService(RelayConfig config, DeliveryQueue queue, MessageStore store, Router router,
                        SmtpConnector connector, FatalErrorHandler fatal) {
        this.config = config;
        this.fatal = fatal;
        this.queue = queue;
        this.store = store;
        this.router = router;
        this.connector = connector;
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "relay-dispatch"));
        AtomicInteger n = new AtomicInteger();
        this.diskReaders = Executors.newCachedThreadPool(r -> daemon(r, "relay-read-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts taking work; wakes when the queue says work arrived, when deliveries end, and on a timer. */
    public void start() {
        queue.onWorkAvailable(this::wake);
        dispatcher.scheduleWithFixedDelay(() -> guarded(() -> {
            pool.closeIdle(config.idleTimeout());
            dispatch();
        }), 1, 1, TimeUnit.SECONDS);
        wake();
    }

    private void wake() {
        if (running && wakePending.compareAndSet(false, true)) {
            dispatcher.execute(() -> guarded(() -> {
                wakePending.set(false);
                dispatch();
            }));
        }
    }

    /**
     * Runs dispatcher work so that it cannot silently stop: an exception thrown out of a periodic task would cancel
     * it for good. A RuntimeException is logged and the next tick tries again; an Error is fatal.
     */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("relay dispatcher failed; trying again at the next tick", e);
        } catch (Error e) {
            fatal.fatal("relay dispatcher", e);
        }
    }

    private void dispatch() {
        while (running && active.get() < config.maxConnections()) {
            DeliveryJob job = queue.poll(System.currentTimeMillis(), this::hasRoom);
            if (job == null) {
                return;
            }
            Route destination = job.route();
            rounds.compute(job.id(), (id, r) -> {
                MessageRound round = r == null ? new MessageRound() : r;
                round.running++;
                return round;
            });
            active.incrementAndGet();
            activePerDestination.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            deliver(job).whenComplete((v, e) -> {
                if (e != null) {
                    log.warn("{}: delivery to {} ended badly", job.id(), destination, e);
                }
                activePerDestination.get(destination).decrementAndGet();
                active.decrementAndGet();
                wake();
            });
        }
    }

    private boolean hasRoom(Route destination) {
        AtomicInteger n = activePerDestination.get(destination);
        return n == null || n.get() < config.maxPerDestination();
    }

    /** One unit of work from start to report; completes when the queue has the outcomes. */
    private CompletableFuture<Void> deliver(DeliveryJob job) {
        return CompletableFuture.supplyAsync(() -> readHeaders(job), diskReaders).thenCompose(headers -> {
            CompletableFuture<List<Outcome>> outcomes;
            int received = HeaderSection.receivedCount(headers);
            if (job.expired()) {
                outcomes = CompletableFuture.completedFuture(expired(job));
            } else if (received > config.maxReceived()) {
                outcomes = all(job, Outcome.failed(EnhancedStatus.of(5, 4, 6), "mail loop: " + received
                        + " Received headers"));
            } else {
                outcomes = router.route(job.route().nexthop())
                        .thenCompose(hops -> tryHops(job, hops, 0, null))
                        .exceptionally(e -> routingFailure(job, e));
            }
            return outcomes.thenCompose(o -> finish(job, o, headers));
        });
    }

    private String readHeaders(DeliveryJob job) {
        try {
            return HeaderSection.read(job.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A message past its lifetime fails with the last real problem each recipient met (its status, the next hop's
     * words); 4.4.7 only for one that never got as far as an attempt (RFC 3463: nothing more specific is known).
     */
    private static List<Outcome> expired(DeliveryJob job) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome last : job.lastOutcomes()) {
            out.add(last == null
                    ? Outcome.failed(EnhancedStatus.of(4, 4, 7), "message expired: it could not be delivered in time")
                    : last.as(Outcome.Kind.FAILED));
        }
        return out;
    }

    private List<Outcome> routingFailure(DeliveryJob job, Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof RoutingException) {
            return Collections.nCopies(job.recipients().size(), ((RoutingException) cause).outcome());
        }
        return Collections.nCopies(job.recipients().size(),
                Outcome.deferred(EnhancedStatus.of(4, 4, 0), "delivery failed: " + cause));
    }

    /** Tries the next hops in order until one takes the transaction; connection trouble moves on to the next. */
    private CompletableFuture<List<Outcome>> tryHops(DeliveryJob job, List<NextHop> hops, int i, Outcome lastError) {
        if (i >= hops.size()) {
            return all(job, lastError != null ? lastError
                    : Outcome.deferred(EnhancedStatus.of(4, 4, 1), "no next hop"));
        }
        NextHop hop = hops.get(i);
        if (config.isOwnAddress().test(hop.address())) {
            return all(job, Outcome.failed(EnhancedStatus.of(5, 4, 6), "mail for " + job.route().nexthop()
                    + " loops back to myself (" + hop + ")"));
        }
        return connection(hop, true).handle((c, e) -> {
            // Opportunistic TLS: a failed handshake is retried once in plain text, as Postfix's "may" level does.
            if (e != null && unwrap(e) instanceof dev.mta.relay.transport.smtp.TlsHandshakeException) {
                log.info("{}: {}; trying {} without TLS", job.id(), unwrap(e).getMessage(), hop);
                return connection(hop, false);
            }
            return e == null ? CompletableFuture.completedFuture(c) : CompletableFuture.<SmtpClientConnection>failedFuture(e);
        }).thenCompose(f -> f).thenCompose(c -> MailTransaction.run(c, job, diskReaders).thenApply(out -> {
            if (c.isActive()) {
                pool.give(hop.address(), c);
            }
            return out;
        })).handle((out, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(out);
            }
            Throwable cause = unwrap(e);
            if (cause instanceof LoopDetectedException) {
                return all(job, Outcome.failed(EnhancedStatus.of(5, 4, 6), cause.getMessage()));
            }
            return tryHops(job, hops, i + 1, Outcome.local(Outcome.Kind.DEFERRED, EnhancedStatus.of(4, 4, 1),
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

    /**
     * Records one job's outcomes. When it was the last job of its message under way, one DSN covers every
     * recipient of the message that failed for good in this round (never for a null sender: no bounce of a
     * bounce), and only then are the outcomes reported, so a failed recipient is dropped only once its bounce is
     * queued. If the bounce cannot be queued, those recipients are deferred instead.
     */
    private CompletableFuture<Void> finish(DeliveryJob job, List<Outcome> outcomes, String headers) {
        logOutcomes(job, outcomes);
        MessageRound round = rounds.get(job.id());
        List<DeliveryJob> jobs;
        List<List<Outcome>> results;
        synchronized (round) {
            round.jobs.add(job);
            round.outcomes.add(outcomes);
            if (--round.running > 0) {
                return CompletableFuture.completedFuture(null);
            }
            rounds.remove(job.id(), round);
            jobs = round.jobs;
            results = round.outcomes;
        }
        List<FailedRecipient> failed = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            for (int k = 0; k < results.get(j).size(); k++) {
                Outcome o = results.get(j).get(k);
                if (o.kind() == Outcome.Kind.FAILED) {
                    failed.add(new FailedRecipient(jobs.get(j).recipients().get(k), o, jobs.get(j).expired()));
                }
            }
        }
        CompletableFuture<Boolean> bounced = failed.isEmpty() || job.sender().isNull()
                ? CompletableFuture.completedFuture(true)
                : bounce(job, failed, headers).handle((id, e) -> {
                    if (e == null) {
                        log.info("{}: sender non-delivery notification: {}", job.id(), id);
                        return true;
                    }
                    log.warn("{}: could not queue the bounce, deferring instead: {}", job.id(), unwrap(e).toString());
                    return false;
                });
        return bounced.thenCompose(ok -> {
            List<CompletableFuture<Void>> reports = new ArrayList<>();
            for (int j = 0; j < jobs.size(); j++) {
                reports.add(queue.report(jobs.get(j), ok ? results.get(j) : failedToDeferred(results.get(j))));
            }
            return CompletableFuture.allOf(reports.toArray(new CompletableFuture[0]));
        });
    }

    private static List<Outcome> failedToDeferred(List<Outcome> outcomes) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            out.add(o.kind() == Outcome.Kind.FAILED
                    ? Outcome.deferred(EnhancedStatus.of(4, 3, 0), "bounce not queued; " + o.detail()) : o);
        }
        return out;
    }

    private CompletableFuture<String> bounce(DeliveryJob job, List<FailedRecipient> failed, String headers) {
        byte[] dsn = DsnBuilder.build(config.hostname(), job.sender().address(), job.id(),
                Instant.ofEpochMilli(job.arrivalMillis()).atZone(ZoneId.systemDefault()), failed, headers);
        Envelope envelope = new Envelope(MailPath.NULL, MailParameters.DEFAULT, List.of(job.sender()), "127.0.0.1",
                config.hostname(), "local");
        IncomingMessage m = store.receive(envelope);
        m.write(Unpooled.wrappedBuffer(dsn));
        return m.commit();
    }

    private static void logOutcomes(DeliveryJob job, List<Outcome> outcomes) {
        for (int k = 0; k < outcomes.size(); k++) {
            Outcome o = outcomes.get(k);
            log.info("{}: to={} status={} ({})", job.id(), job.recipients().get(k),
                    o.kind().name().toLowerCase(java.util.Locale.ROOT), o.detail());
        }
    }

    private static CompletableFuture<List<Outcome>> all(DeliveryJob job, Outcome o) {
        return CompletableFuture.completedFuture(Collections.nCopies(job.recipients().size(), o));
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Stops taking work, lets deliveries under way finish (up to {@code waitSeconds}), closes idle connections. */
    public void close(long waitSeconds) {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatcher.shutdownNow();
        pool.closeAll();
        diskReaders.shutdown();
    }

    @Override
    public void close() {
        close(10);
    }
}
