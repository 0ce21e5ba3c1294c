package dev.mta.relay.dispatch;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.Transport;
import dev.mta.relay.transport.TransportSelector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher against a fake queue and a fake transport: no sockets, no disk. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatcherTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private final FakeQueue queue = new FakeQueue();
    private final FakeTransport transport = new FakeTransport();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private final List<byte[]> bounced = new CopyOnWriteArrayList<>();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private Dispatcher dispatcher;

    /** Due work in order; reports kept; can be told to throw from poll. */
    private static final class FakeQueue implements WorkQueue {
        final List<QueuedDelivery> due = new ArrayList<>();
        final Map<QueuedDelivery, List<Outcome>> reports = new ConcurrentHashMap<>();
        volatile Runnable listener;
        volatile int pollFailures;
        volatile RuntimeException exception;
        volatile Error error;
        /** Work not due before {@link #dueAt}. */
        final List<QueuedDelivery> later = new ArrayList<>();
        volatile long dueAt = Long.MAX_VALUE;

        @Override
        public synchronized long nextDueMillis() {
            return later.isEmpty() ? Long.MAX_VALUE : dueAt;
        }

        @Override
        public synchronized QueuedDelivery poll(long nowMillis, Predicate<Route> allowed) {
            if (!later.isEmpty() && nowMillis >= dueAt) {
                due.addAll(later);
                later.clear();
            }
            if (pollFailures > 0) {
                pollFailures--;
                if (error != null) {
                    throw error;
                }
                throw exception;
            }
            for (QueuedDelivery q : due) {
                if (allowed.test(q.delivery().route())) {
                    due.remove(q);
                    return q;
                }
            }
            return null;
        }

        @Override
        public CompletableFuture<Void> report(QueuedDelivery work, List<Outcome> outcomes) {
            reports.put(work, outcomes);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onWorkAvailable(Runnable l) {
            listener = l;
        }

        void addLater(QueuedDelivery q, long at) {
            synchronized (this) {
                later.add(q);
                dueAt = at;
            }
            Runnable l = listener;
            if (l != null) {
                l.run();
            }
        }

        void add(QueuedDelivery q) {
            synchronized (this) {
                due.add(q);
            }
            Runnable l = listener;
            if (l != null) {
                l.run();
            }
        }
    }

    /** Holds each delivery until the test ends it; counts what is under way per route. */
    private static final class FakeTransport implements Transport {
        final Map<Delivery, CompletableFuture<List<Outcome>>> calls = new ConcurrentHashMap<>();
        final Map<Route, AtomicInteger> underWay = new ConcurrentHashMap<>();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final Map<Route, Integer> mostPerRoute = new ConcurrentHashMap<>();
        final AtomicInteger idleSweeps = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();

        @Override
        public synchronized CompletableFuture<List<Outcome>> deliver(Delivery d) {
            CompletableFuture<List<Outcome>> f = new CompletableFuture<>();
            calls.put(d, f);
            int all = total.incrementAndGet();
            mostAtOnce.accumulateAndGet(all, Math::max);
            int here = underWay.computeIfAbsent(d.route(), r -> new AtomicInteger()).incrementAndGet();
            mostPerRoute.merge(d.route(), here, Math::max);
            return f;
        }

        synchronized void end(Delivery d, Outcome o) {
            total.decrementAndGet();
            underWay.get(d.route()).decrementAndGet();
            calls.get(d).complete(Collections.nCopies(d.recipients().size(), o));
        }

        synchronized List<Delivery> pending() {
            List<Delivery> out = new ArrayList<>();
            calls.forEach((d, f) -> {
                if (!f.isDone()) {
                    out.add(d);
                }
            });
            return out;
        }

        @Override
        public void closeIdle() {
            idleSweeps.incrementAndGet();
        }
    }

    private void start(int maxConnections, int maxPerRoute) {
        BounceService<QueuedDelivery> bounces = new BounceService<>("mta.test", (envelope, content) -> {
            bounced.add(content);
            return CompletableFuture.completedFuture("BOUNCE");
        });
        dispatcher = new Dispatcher(new Dispatcher.Limits(maxConnections, maxPerRoute), queue,
                TransportSelector.of(Map.of(Route.SMTP, transport)), bounces, LoopDetector.byNameOnly("mta.test", 3),
                readers, (component, cause) -> fatal.add(cause));
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close(0);
        }
        readers.shutdownNow();
    }

    private static QueuedDelivery work(String domain, byte[] body, boolean expired, Outcome... last) {
        Delivery d = TestDeliveries.of("sender@example.com", "", body, "rcpt@" + domain);
        Delivery routed = new Delivery(d.messageId(), d.sender(), d.parameters(), Route.smtp(domain), d.recipients(),
                d.content());
        List<Outcome> lastOutcomes = last.length == 0 ? Arrays.asList((Outcome) null) : List.of(last);
        return new QueuedDelivery(routed, lastOutcomes, expired, 0, null);
    }

    private static QueuedDelivery work(String domain) {
        return work(domain, BODY, false);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void deliveriesStayWithinTheGlobalAndPerRouteLimits() throws Exception {
        for (int i = 0; i < 4; i++) {
            queue.add(work("a.test"));
        }
        for (int i = 0; i < 4; i++) {
            queue.add(work("b.test"));
        }
        start(3, 2);
        await(() -> transport.pending().size() == 3, "three deliveries under way");
        Thread.sleep(300); // a dispatcher that ignored a limit would have started more by now
        assertEquals(3, transport.pending().size());
        assertEquals(3, dispatcher.active());
        assertEquals(2, transport.underWay.get(Route.smtp("a.test")).get(), "the third to a.test waits");
        assertEquals(1, transport.underWay.get(Route.smtp("b.test")).get(), "so b.test, later in the queue, goes");

        while (queue.reports.size() < 8) {
            List<Delivery> pending = transport.pending();
            if (!pending.isEmpty()) {
                transport.end(pending.get(0), Outcome.delivered("250 ok"));
            }
            Thread.sleep(5);
        }
        assertEquals(3, transport.mostAtOnce.get(), "never more than the global limit at once");
        assertEquals(2, transport.mostPerRoute.get(Route.smtp("a.test")), "never more than two to one route");
        // How many b.test ran at once later depends on which delivery the test ends first: only the bound is fixed.
        assertTrue(transport.mostPerRoute.get(Route.smtp("b.test")) <= 2, "never more than two to one route");
        queue.reports.values().forEach(o -> assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind()));
        await(() -> dispatcher.active() == 0, "the counts to come back down");
    }

    @Test
    void anExpiredMessageFailsEachRecipientWithItsLastOutcomeWithoutATry() throws Exception {
        Outcome busy = Outcome.reply(451, List.of("4.2.1 mailbox busy"),
                new RemoteMta("mx.b.test", new InetSocketAddress("192.0.2.7", 25)));
        Delivery d = TestDeliveries.of("sender@example.com", "", BODY, "one@b.test", "two@b.test");
        QueuedDelivery expired = new QueuedDelivery(d, Arrays.asList(busy, null), true, 0, null);
        queue.add(expired);
        start(10, 5);
        await(() -> queue.reports.containsKey(expired), "the report");
        List<Outcome> out = queue.reports.get(expired);
        assertEquals(busy.as(Outcome.Kind.FAILED), out.get(0), "the next hop's last words, now failed");
        assertEquals(EnhancedStatus.of(4, 2, 1), out.get(0).status());
        assertEquals(Outcome.Kind.FAILED, out.get(1).kind());
        assertEquals("4.4.7 message expired: it could not be delivered in time", out.get(1).detail(),
                "never tried: nothing more specific is known");
        assertTrue(transport.calls.isEmpty(), "an expired message is not tried");
        assertEquals(1, bounced.size(), "and is bounced");
    }

    @Test
    void tooManyReceivedHeadersFailsAsALoopWithoutATry() throws Exception {
        byte[] looping = ("Received: a\r\nReceived: b\r\nReceived: c\r\nReceived: d\r\nSubject: x\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        QueuedDelivery w = work("a.test", looping, false);
        queue.add(w);
        start(10, 5);
        await(() -> queue.reports.containsKey(w), "the report");
        assertEquals("5.4.6 mail loop: 4 Received headers", queue.reports.get(w).get(0).detail());
        assertTrue(transport.calls.isEmpty());
    }

    @Test
    void aTransportThatFailsItsFutureDefersInsteadOfLosingTheReport() throws Exception {
        QueuedDelivery w = work("a.test");
        queue.add(w);
        start(10, 5);
        await(() -> transport.pending().size() == 1, "the delivery");
        transport.calls.values().iterator().next().completeExceptionally(new IllegalStateException("broken"));
        await(() -> queue.reports.containsKey(w), "the report");
        Outcome o = queue.reports.get(w).get(0);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals("4.4.0 delivery failed: java.lang.IllegalStateException: broken", o.detail());
    }

    @Test
    void workDueBeforeTheNextTickIsTakenWhenItIsDueNotAtTheTick() throws Exception {
        long started = System.currentTimeMillis();
        start(10, 5); // the regular tick first looks after a second
        QueuedDelivery w = work("a.test");
        long due = started + 200;
        queue.addLater(w, due); // a look now finds nothing due, and a wake is set for its time
        await(() -> transport.total.get() == 1, "the delivery");
        long took = System.currentTimeMillis();
        assertTrue(took >= due, "not before it was due");
        assertTrue(took < started + 900, "taken " + (took - started) + " ms after the start, not at the tick");
    }

    @Test
    void aMessageTheQueueCannotGiveBackIsDeferredNotStranded() throws Exception {
        Delivery d = TestDeliveries.of("sender@example.com", "", BODY, "rcpt@a.test");
        dev.mta.queue.model.MessageContent unreadable = new dev.mta.queue.model.MessageContent() {
            @Override
            public long length() {
                return BODY.length;
            }

            @Override
            public java.io.InputStream openStream() throws java.io.IOException {
                throw new java.io.IOException("Input/output error (injected)");
            }
        };
        QueuedDelivery w = new QueuedDelivery(new Delivery(d.messageId(), d.sender(), d.parameters(),
                Route.smtp("a.test"), d.recipients(), unreadable), Arrays.asList((Outcome) null), false, 0, null);
        queue.add(w);
        start(10, 5);
        await(() -> queue.reports.containsKey(w), "the report");
        Outcome o = queue.reports.get(w).get(0);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals("4.3.0 could not read the message from the queue: Input/output error (injected)", o.detail());
        assertTrue(transport.calls.isEmpty(), "nothing was sent");
    }

    @Test
    void aRouteWithAnUnknownTransportIsDeferred() throws Exception {
        Delivery d = TestDeliveries.of("sender@example.com", "", BODY, "user@here.test");
        QueuedDelivery w = new QueuedDelivery(new Delivery(d.messageId(), d.sender(), d.parameters(),
                new Route("local", "here.test"), d.recipients(), d.content()), Arrays.asList((Outcome) null), false, 0, null);
        queue.add(w);
        start(10, 5);
        await(() -> queue.reports.containsKey(w), "the report");
        Outcome o = queue.reports.get(w).get(0);
        assertEquals(Outcome.Kind.DEFERRED, o.kind());
        assertEquals(EnhancedStatus.of(4, 3, 5), o.status());
        assertTrue(transport.calls.isEmpty());
    }

    @Test
    void anExceptionInTheDispatcherIsLoggedAndTheNextTickGoesOn() throws Exception {
        queue.exception = new IllegalStateException("injected");
        queue.pollFailures = 1; // the first wake fails
        QueuedDelivery w = work("a.test");
        queue.add(w);
        start(10, 5);
        await(() -> transport.pending().size() == 1, "a later tick to start the delivery");
        transport.end(transport.pending().get(0), Outcome.delivered("250 ok"));
        await(() -> queue.reports.containsKey(w), "the report");
        assertTrue(fatal.isEmpty(), "an exception is not fatal");
        assertTrue(transport.idleSweeps.get() >= 1, "the tick also lets the transport close idle connections");
    }

    @Test
    void anErrorInTheDispatcherIsFatal() throws Exception {
        queue.error = new OutOfMemoryError("injected");
        queue.pollFailures = Integer.MAX_VALUE;
        start(10, 5);
        await(() -> !fatal.isEmpty(), "the fatal handler");
        assertTrue(fatal.get(0) instanceof OutOfMemoryError, fatal::toString);
    }
}
