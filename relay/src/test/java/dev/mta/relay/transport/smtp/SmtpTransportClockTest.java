package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.AttemptClock;
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

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport marks its attempt's clock when the connection is ready, so the mail log can tell the time spent
 * setting up (delays' c) from the transaction (d): a next hop slow to greet costs setup, one slow after the final
 * dot costs transmission, and an attempt that never connects is all setup.
 */
@ExtendWith(LeakGuard.class)
class SmtpTransportClockTest {
    private static final long SLOW_MILLIS = 400;

    private EventLoopGroup group;
    private ExecutorService reader;
    private ScriptedSmtpServer peer;

    @BeforeEach
    void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        reader = Executors.newCachedThreadPool();
        peer = new ScriptedSmtpServer();
        peer.slowBy = Duration.ofMillis(SLOW_MILLIS);
    }

    @AfterEach
    void tearDown() {
        peer.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        reader.shutdown();
    }

    private SmtpTransport transportTo(int port) {
        SmtpConnector connector = new SmtpConnector(group, NioSocketChannel.class, "mta.test",
                ClientTimeouts.all(Duration.ofSeconds(5)), null);
        Router router = new Router(TransportMap.parse("*=127.0.0.1:" + port), null, 25);
        return new SmtpTransport(router, connector, LoopDetector.byNameOnly("mta.test", 50), reader,
                Duration.ofSeconds(5));
    }

    private static Delivery job() {
        return TestDeliveries.of("sender@example.com", "", "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII),
                "rcpt@dest.test");
    }

    private static long[] attempt(SmtpTransport t, Outcome.Kind expected) throws Exception {
        AttemptClock clock = AttemptClock.start();
        Outcome o = t.deliver(job(), clock).get(10, TimeUnit.SECONDS).get(0);
        long end = System.nanoTime();
        assertEquals(expected, o.kind(), o.toString());
        return new long[] {clock.connectMillis(end), clock.transmitMillis(end)};
    }

    @Test
    void aSlowGreetingIsConnectionSetup() throws Exception {
        peer.slowAt = ScriptedSmtpServer.Stage.GREETING;
        SmtpTransport t = transportTo(peer.address().getPort());
        try {
            long[] cd = attempt(t, Outcome.Kind.DELIVERED);
            assertTrue(cd[0] >= SLOW_MILLIS, "setup " + cd[0] + " ms holds the slow greeting");
            assertTrue(cd[1] < SLOW_MILLIS, "transmission " + cd[1] + " ms does not");
        } finally {
            t.close();
        }
    }

    @Test
    void aSlowReplyToTheFinalDotIsTransmission() throws Exception {
        peer.slowAt = ScriptedSmtpServer.Stage.END_OF_DATA;
        SmtpTransport t = transportTo(peer.address().getPort());
        try {
            long[] cd = attempt(t, Outcome.Kind.DELIVERED);
            assertTrue(cd[1] >= SLOW_MILLIS, "transmission " + cd[1] + " ms holds the slow reply");
            assertTrue(cd[0] < SLOW_MILLIS, "setup " + cd[0] + " ms does not");
        } finally {
            t.close();
        }
    }

    @Test
    void anAttemptThatNeverConnectsIsAllSetup() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nobody listens there once it is closed
        }
        SmtpTransport t = transportTo(closed);
        try {
            long[] cd = attempt(t, Outcome.Kind.DEFERRED);
            assertEquals(0, cd[1]);
        } finally {
            t.close();
        }
    }
}
