package dev.mta.relay.dispatch;

import dev.mta.relay.support.TestEnvelopes;

import dev.mta.queue.DeliveryJob;
import dev.mta.queue.DeliveryQueue;
import dev.mta.queue.DurableQueue;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.bounce.StoreBounceQueue;
import dev.mta.relay.dispatch.Dispatcher;
import dev.mta.relay.dispatch.QueuedDelivery;
import dev.mta.relay.dispatch.WorkQueue;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.transport.TransportSelector;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.SmtpConnector;
import dev.mta.relay.transport.smtp.SmtpTransport;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher is the one thread that starts deliveries: an exception in it must not stop it for good (a failed
 * periodic task is never run again, and deferred mail would wait forever), and an Error in it ends the process.
 */
@ExtendWith(LeakGuard.class)
class DispatcherFailureTest {
    @TempDir
    Path dir;
    private DurableQueue queue;
    private ScriptedSmtpServer peer;
    private EventLoopGroup group;
    private ExecutorService readers;
    private TransportSelector transports;
    private Dispatcher relay;
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();

    /** The real queue, whose poll throws what the test says while {@code failUntil} lies ahead. */
    private final class FlakyQueue implements DeliveryQueue {
        volatile long failUntil;
        volatile RuntimeException exception;
        volatile Error error;

        private void maybeFail() {
            if (System.currentTimeMillis() < failUntil) {
                if (error != null) {
                    throw error;
                }
                throw exception;
            }
        }

        @Override
        public DeliveryJob poll(long now) {
            maybeFail();
            return queue.poll(now);
        }

        @Override
        public DeliveryJob poll(long now, Predicate<dev.mta.queue.model.Route> allowed) {
            maybeFail();
            return queue.poll(now, allowed);
        }

        @Override
        public DeliveryJob poll(dev.mta.queue.model.Route route, long now) {
            maybeFail();
            return queue.poll(route, now);
        }

        @Override
        public int makeDue(dev.mta.queue.model.Route route) {
            return queue.makeDue(route);
        }

        @Override
        public long nextDueMillis() {
            return queue.nextDueMillis();
        }

        @Override
        public CompletableFuture<Void> report(DeliveryJob job, List<Outcome> outcomes) {
            return queue.report(job, outcomes);
        }

        @Override
        public void onWorkAvailable(Runnable listener) {
            queue.onWorkAvailable(listener);
        }
    }

    private final FlakyQueue flaky = new FlakyQueue();

    @BeforeEach
    void setUp() throws Exception {
        queue = DurableQueue.open(QueueConfig.defaults(dir));
        peer = new ScriptedSmtpServer();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SmtpConnector connector = new SmtpConnector(group, NioSocketChannel.class, "mta.test",
                ClientTimeouts.all(Duration.ofSeconds(5)), SmtpConnector.opportunisticTls());
        Router router = new Router(TransportMap.parse("*=127.0.0.1:" + peer.address().getPort()), null, 25);
        LoopDetector loops = LoopDetector.byNameOnly("mta.test", 50);
        readers = Executors.newCachedThreadPool();
        transports = TransportSelector.of(Map.of(Route.SMTP,
                new SmtpTransport(router, connector, loops, readers, Duration.ofSeconds(5))));
        relay = new Dispatcher(new Dispatcher.Limits(10, 5), WorkQueue.of(flaky), transports,
                new BounceService<QueuedDelivery>("mta.test", new StoreBounceQueue(queue)), loops, readers,
                (component, cause) -> fatal.add(cause));
    }

    @AfterEach
    void tearDown() {
        relay.close(1);
        transports.close();
        readers.shutdown();
        peer.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        queue.close();
    }

    private void enqueue() throws Exception {
        IncomingMessage m = queue.receive(TestEnvelopes.of("a@example.com", "", List.of("b@example.net")));
        m.write(Unpooled.wrappedBuffer("Subject: x\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII)));
        m.commit().get();
    }

    @Test
    void anExceptionInTheDispatcherDoesNotStopDeliveryForGood() throws Exception {
        flaky.exception = new IllegalStateException("injected");
        flaky.failUntil = System.currentTimeMillis() + 2500; // the wake and the first two ticks all fail
        relay.start();
        enqueue();
        long deadline = System.currentTimeMillis() + 10_000;
        while (peer.received.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, peer.received.size(), "a later tick delivered the message");
        assertTrue(fatal.isEmpty());
    }

    @Test
    void anErrorInTheDispatcherIsFatal() throws Exception {
        flaky.error = new OutOfMemoryError("injected");
        flaky.failUntil = Long.MAX_VALUE;
        relay.start();
        long deadline = System.currentTimeMillis() + 5000;
        while (fatal.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!fatal.isEmpty() && fatal.get(0) instanceof OutOfMemoryError, "told: " + fatal);
    }
}
