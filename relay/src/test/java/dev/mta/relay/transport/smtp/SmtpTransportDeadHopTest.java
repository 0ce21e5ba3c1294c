package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP transport with a next hop that greets with 421: marked down, skipped, probed once, and back. */
@ExtendWith(LeakGuard.class)
class SmtpTransportDeadHopTest {
    private EventLoopGroup group;
    private ExecutorService reader;
    private ScriptedSmtpServer peer;
    private SmtpTransport transport;
    private final List<Route> back = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        reader = Executors.newCachedThreadPool();
        peer = new ScriptedSmtpServer();
        SmtpConnector connector = new SmtpConnector(group, NioSocketChannel.class, "mta.test",
                ClientTimeouts.all(Duration.ofSeconds(2)), null);
        Router router = new Router(TransportMap.parse("*=127.0.0.1:" + peer.address().getPort()), null, 25);
        HopHealth health = new HopHealth(new HopHealth.Backoff(Duration.ofMillis(400), Duration.ofMillis(800)));
        transport = new SmtpTransport(router, connector, LoopDetector.byNameOnly("mta.test", 50), reader,
                Duration.ofSeconds(5), health, back::add);
    }

    @AfterEach
    void tearDown() {
        transport.close();
        peer.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        reader.shutdown();
    }

    private static Delivery job() {
        return TestDeliveries.of("sender@example.com", "", "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII),
                "rcpt@dest.test");
    }

    private int failures() {
        HopHealth.Down d = transport.health().state(peer.address());
        return d == null ? 0 : d.failures();
    }

    @Test
    void a421GreetingMarksTheHopDownUntilItsProbeFindsItBack() throws Exception {
        peer.greeting = "421 4.3.2 too busy";
        Outcome first = transport.deliver(job()).get(5, TimeUnit.SECONDS).get(0);
        assertEquals(Outcome.Kind.DEFERRED, first.kind());
        assertTrue(transport.health().isDown(peer.address()));
        assertEquals(1, transport.connectionAttempts());

        Outcome skipped = transport.deliver(job()).get(5, TimeUnit.SECONDS).get(0);
        assertEquals(Outcome.Kind.DEFERRED, skipped.kind(), "deferred, never failed");
        assertEquals("4.4.1", skipped.status().toString());
        assertTrue(skipped.text().contains("unavailable, not tried before"), skipped.text());
        assertTrue(skipped.text().contains("421 4.3.2 too busy"), "the last problem is told: " + skipped.text());
        assertEquals(1, transport.connectionAttempts(), "no connection while every address is down");
        assertEquals(1, peer.connections.get());

        // The first probe (after ~0.4 s) meets 421 again: the next period is longer; then the hop greets again.
        long deadline = System.currentTimeMillis() + 3_000;
        while (failures() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, failures(), "the probe failed and began a longer period");
        assertEquals(2, transport.connectionAttempts(), "one probe at the end of the period");
        assertTrue(back.isEmpty());
        peer.greeting = null;
        deadline = System.currentTimeMillis() + 3_000;
        while (back.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(Route.smtp("dest.test")), back.subList(0, 1), "the waiting route is made due");
        assertFalse(transport.health().isDown(peer.address()));
        assertEquals(3, transport.connectionAttempts(), "probes only: one per period");

        Outcome delivered = transport.deliver(job()).get(5, TimeUnit.SECONDS).get(0);
        assertEquals(Outcome.Kind.DELIVERED, delivered.kind(), delivered.text());
        assertEquals(3, transport.connectionAttempts(), "the probe's connection carried the delivery");
        assertEquals(1, peer.received.size());
    }
}
