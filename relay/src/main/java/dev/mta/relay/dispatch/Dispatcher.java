package dev.mta.relay.dispatch;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.transport.HeaderSection;
import dev.mta.relay.transport.LoadedContent;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.transport.AttemptClock;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.TransportSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts deliveries: takes due work from the queue within the global and per-route limits, reads the content off
 * the event loops (a small message whole, once for the whole attempt; a large one's headers), fails expired and
 * looping messages, hands the rest to the route's transport, and reports every recipient's outcome once the bounce
 * service has settled the message's round. Runs on one small thread that only decides what to start; a tick each
 * second also lets transports close idle connections.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The regular tick: idle connections are swept and due work is looked for. */
    private static final long TICK_MILLIS = 1000;

    /**
     * @param maxConnections deliveries under way at once, all routes together
     * @param maxPerRoute    deliveries under way at once to one route
     */
    public record Limits(int maxConnections, int maxPerRoute) {
    }

    private final Limits limits;
    private final WorkQueue queue;
    private final TransportSelector transports;
    private final BounceService<QueuedDelivery> bounces;
    private final LoopDetector loops;
    private final Executor diskReaders;
    private final FatalErrorHandler fatal;
    private final ScheduledExecutorService dispatcher;
    /** The wake set for the next unit's due time, and that time (dispatcher thread only). */
    private ScheduledFuture<?> dueWake;
    private long dueWakeAt;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger active = new AtomicInteger();
    /** Deliveries not yet reported to the queue: the active ones, and those whose outcomes are on their way to it. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Map<Route, AtomicInteger> activePerRoute = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final MailEvents events;

    /**
     * @param diskReaders threads that may block on the disk (the header read)
     * @param fatal       hears when the dispatcher cannot go on (an Error in it): nothing would be delivered any more
     */
    public Dispatcher(Limits limits, WorkQueue queue, TransportSelector transports,
                      BounceService<QueuedDelivery> bounces, LoopDetector loops, Executor diskReaders,
                      FatalErrorHandler fatal) {
        this(limits, queue, transports, bounces, loops, diskReaders, fatal, MailEvents.NONE);
    }

    /** @param events hears each recipient's outcome of each attempt (the mail log writes it) */
    public Dispatcher(Limits limits, WorkQueue queue, TransportSelector transports,
                      BounceService<QueuedDelivery> bounces, LoopDetector loops, Executor diskReaders,
                      FatalErrorHandler fatal, MailEvents events) {
        this.events = events;
        this.limits = limits;
        this.queue = queue;
        this.transports = transports;
        this.bounces = bounces;
        this.loops = loops;
        this.diskReaders = diskReaders;
        this.fatal = fatal;
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts taking work; wakes when the queue says work arrived, when deliveries end, and on a timer. */
    public void start() {
        queue.onWorkAvailable(this::wake);
        dispatcher.scheduleWithFixedDelay(() -> guarded(() -> {
            transports.closeIdle();
            dispatch();
        }), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
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
        while (running && active.get() < limits.maxConnections()) {
            QueuedDelivery job = queue.poll(System.currentTimeMillis(), this::hasRoom);
            if (job == null) {
                wakeWhenDue();
                return;
            }
            Route destination = job.delivery().route();
            bounces.started(job.id());
            active.incrementAndGet();
            activePerRoute.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            // The connection (and the route's slot) is free as soon as the transport has its outcomes; the report
            // to the queue (a record fsynced in the next group commit) goes on without holding it.
            AtomicBoolean released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    activePerRoute.get(destination).decrementAndGet();
                    active.decrementAndGet();
                    wake();
                }
            };
            unfinished.incrementAndGet();
            deliver(job, release).whenComplete((v, e) -> {
                if (e != null) {
                    log.warn("{}: delivery to {} ended badly", job.id(), destination, e);
                }
                release.run();
                unfinished.decrementAndGet();
            });
        }
    }

    /**
     * Nothing more can start now: when the next unit comes due before the next tick (a retry after a short back-off),
     * a wake is set for that moment rather than leaving it to the tick, up to a second late. Work due already but
     * without room waits for a delivery to end, which wakes the dispatcher anyway. Dispatcher thread only.
     */
    private void wakeWhenDue() {
        long now = System.currentTimeMillis();
        long next = queue.nextDueMillis();
        if (next <= now || next - now >= TICK_MILLIS) {
            return;
        }
        if (dueWake != null && !dueWake.isDone() && dueWakeAt <= next) {
            return;
        }
        if (dueWake != null) {
            dueWake.cancel(false);
        }
        dueWakeAt = next;
        dueWake = dispatcher.schedule(() -> guarded(this::dispatch), next - now, TimeUnit.MILLISECONDS);
    }

    private boolean hasRoom(Route destination) {
        AtomicInteger n = activePerRoute.get(destination);
        return n == null || n.get() < limits.maxPerRoute();
    }

    /** Deliveries under way now. */
    public int active() {
        return active.get();
    }

    /**
     * One unit of work from start to report; completes when the queue has the outcomes. {@code release} runs once the
     * outcomes are known, before they are reported.
     */
    private CompletableFuture<Void> deliver(QueuedDelivery job, Runnable release) {
        return CompletableFuture.supplyAsync(() -> read(job.delivery()), diskReaders)
                .exceptionally(e -> new Read(job.delivery(), "", readFailure(e))).thenCompose(read -> {
            Delivery d = read.delivery();
            String headers = read.headers();
            CompletableFuture<List<Outcome>> outcomes;
            Outcome loop;
            long startMillis = System.currentTimeMillis();
            AttemptClock clock = null; // none: no transport was asked, the whole delay was spent in the queue
            if (read.failure() != null) {
                // The queue could not give the message back (a disk error): tried again later, as any deferral.
                log.warn("{}: could not read the message from the queue: {}", job.id(), read.failure().toString());
                outcomes = CompletableFuture.completedFuture(Collections.nCopies(job.lastOutcomes().size(),
                        Outcome.deferred(EnhancedStatus.of(4, 3, 0),
                                "could not read the message from the queue: " + read.failure().getMessage())));
            } else if (job.expired()) {
                outcomes = CompletableFuture.completedFuture(expired(job));
            } else if ((loop = loops.tooManyHops(headers)) != null) {
                outcomes = CompletableFuture.completedFuture(Collections.nCopies(job.lastOutcomes().size(), loop));
            } else {
                clock = AttemptClock.start();
                outcomes = send(d, clock);
            }
            AttemptClock attempt = clock;
            return outcomes.thenCompose(o -> {
                release.run();
                return finish(job, o, headers, startMillis, attempt);
            });
        });
    }

    /** The delivery with its content read ahead (when small), and its header section; or why it could not be read. */
    private record Read(Delivery delivery, String headers, Throwable failure) {
    }

    /** Reads what the attempt needs of the content, once: a small message whole, else only its headers. */
    private static Read read(Delivery d) {
        try {
            Delivery loaded = d.withContent(LoadedContent.load(d.content()));
            return new Read(loaded, HeaderSection.read(loaded.content()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands the delivery to its route's transport; a transport that breaks its promise never to fail defers. */
    private CompletableFuture<List<Outcome>> send(Delivery d, AttemptClock clock) {
        CompletableFuture<List<Outcome>> out;
        try {
            out = transports.select(d.route()).deliver(d, clock);
        } catch (RuntimeException e) {
            out = CompletableFuture.failedFuture(e);
        }
        return out.exceptionally(e -> Collections.nCopies(d.recipients().size(),
                Outcome.deferred(EnhancedStatus.of(4, 4, 0), "delivery failed: " + unwrap(e))));
    }

    /**
     * A message past its lifetime fails with the last real problem each recipient met (its status, the next hop's
     * words); 4.4.7 only for one that never got as far as an attempt (RFC 3463: nothing more specific is known).
     */
    static List<Outcome> expired(QueuedDelivery job) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome last : job.lastOutcomes()) {
            out.add(last == null
                    ? Outcome.failed(EnhancedStatus.of(4, 4, 7), "message expired: it could not be delivered in time")
                    : last.as(Outcome.Kind.FAILED));
        }
        return out;
    }

    /** Tells the outcomes, lets the bounce service settle the round, and reports what it releases. */
    private CompletableFuture<Void> finish(QueuedDelivery job, List<Outcome> outcomes, String headers,
                                           long startMillis, AttemptClock clock) {
        tellOutcomes(job, outcomes, startMillis, clock);
        // The round keeps the queue's content, not the copy read for this attempt: a round stays open while other
        // jobs of the message run, and a copy per finished job would hold memory no limit bounds.
        BounceService.Attempt<QueuedDelivery> attempt =
                new BounceService.Attempt<>(job, job.delivery(), job.arrivalMillis(), job.expired(), outcomes);
        boolean retried = outcomes.stream().anyMatch(o -> o.kind() == Outcome.Kind.DEFERRED);
        return bounces.finished(attempt, headers).thenCompose(reports -> {
            List<CompletableFuture<Void>> reported = new ArrayList<>();
            for (BounceService.Report<QueuedDelivery> r : reports) {
                reported.add(queue.report(r.job(), r.outcomes()));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(reported.toArray(new CompletableFuture[0]));
            // A deferral is back in the queue, due after its back-off: a look now sets the wake for it.
            return retried ? all.thenRun(this::wake) : all;
        });
    }

    private void tellOutcomes(QueuedDelivery job, List<Outcome> outcomes, long startMillis, AttemptClock clock) {
        long endNanos = System.nanoTime();
        long now = System.currentTimeMillis();
        long delay = now - job.arrivalMillis();
        MailEvent.Delays delays = delays(job, startMillis, now, endNanos, clock);
        for (int k = 0; k < outcomes.size(); k++) {
            events.deliveryAttempted(new MailEvent.DeliveryAttempted(job.id(), job.delivery().recipients().get(k),
                    job.delivery().route(), outcomes.get(k), delay, job.expired(), delays));
        }
    }

    /**
     * Postfix's delays=a/b/c/d for this attempt: receipt (arrival to commit), in the queue (commit to the start of
     * the attempt, or to its end when no transport was asked), connection setup, transmission.
     */
    static MailEvent.Delays delays(QueuedDelivery job, long startMillis, long endMillis, long endNanos,
                                   AttemptClock clock) {
        long receipt = Math.max(0, job.queuedMillis() - job.arrivalMillis());
        long queued = Math.max(job.arrivalMillis(), job.queuedMillis());
        if (clock == null) {
            return new MailEvent.Delays(receipt, Math.max(0, endMillis - queued), 0, 0);
        }
        return new MailEvent.Delays(receipt, Math.max(0, startMillis - queued), clock.connectMillis(endNanos),
                clock.transmitMillis(endNanos));
    }

    private static Throwable readFailure(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof UncheckedIOException && t.getCause() != null ? t.getCause() : t;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Stops taking work and lets deliveries under way finish, up to {@code waitSeconds}. */
    public void close(long waitSeconds) {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (unfinished.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatcher.shutdownNow();
    }

    @Override
    public void close() {
        close(10);
    }
}
