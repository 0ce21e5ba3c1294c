package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Outcome;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.ScriptedSmtpServer.Stage;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each RFC 5321 4.5.3.2 timeout of the client, against next hops that stall at one step. */
@ExtendWith(LeakGuard.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientTimeoutsTest {
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(20);

    static EventLoopGroup group;
    ScriptedSmtpServer peer;
    ExecutorService reader;

    @BeforeAll
    static void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        peer = new ScriptedSmtpServer();
        reader = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        reader.shutdownNow();
        peer.close();
    }

    /** LONG everywhere except {@code stage}'s own timeout, which is SHORT. */
    private static ClientTimeouts shortAt(Stage stage) {
        return new ClientTimeouts(LONG, stage == Stage.GREETING ? SHORT : LONG,
                stage == Stage.MAIL || stage == Stage.RCPT ? SHORT : LONG, stage == Stage.DATA ? SHORT : LONG,
                LONG, stage == Stage.END_OF_DATA ? SHORT : LONG);
    }

    private static SmtpConnector connector(ClientTimeouts t) {
        return new SmtpConnector(group, NioSocketChannel.class, "mta.test", t, null);
    }

    private static Delivery job(byte[] body, String... rcpts) {
        return TestDeliveries.of("sender@example.com", "", body, rcpts);
    }

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long secondsSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"GREETING", "MAIL", "RCPT", "DATA", "END_OF_DATA"})
    void eachStallIsTimedByItsOwnTimeout(Stage stage) throws Exception {
        peer.extensions = List.of("8BITMIME"); // no PIPELINING: each reply is awaited alone
        peer.stallAt = stage;
        SmtpConnector connector = connector(shortAt(stage));
        Delivery job = job(body("x\r\n"), "a@d.test");
        long start = System.nanoTime();
        if (stage == Stage.GREETING) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> connector.connect(peer.address(), "next-hop.test").get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        } else {
            SmtpClientConnection c = connector.connect(peer.address(), "next-hop.test").get(10, TimeUnit.SECONDS);
            List<Outcome> out = MailTransaction.run(c, job, reader).get(10, TimeUnit.SECONDS);
            assertEquals(Outcome.Kind.DEFERRED, out.get(0).kind(), out.get(0).detail());
            assertFalse(c.isActive(), "a connection that timed out is not kept");
        }
        assertTrue(secondsSince(start) < 5, "given up after the short timeout, not a long one");
    }

    @Test
    void noReplyAfterTheFinalDotIsDeferredAsAPossibleDuplicate() throws Exception {
        peer.stallAt = Stage.END_OF_DATA;
        Delivery job = job(body("Subject: stalled\r\n\r\nbody\r\n"), "a@d.test", "b@d.test");
        SmtpClientConnection c = connector(shortAt(Stage.END_OF_DATA)).connect(peer.address(), "next-hop.test")
                .get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<Outcome> out;
        try (LogCapture log = LogCapture.of(MailTransaction.class)) {
            out = MailTransaction.run(c, job, reader).get(10, TimeUnit.SECONDS);
            assertEquals(1, log.warningsWith("possible duplicate delivery", job.messageId(), c.peer()).size(),
                    () -> "one WARN naming the queue id and the next hop: " + log.warnings());
        }
        assertTrue(secondsSince(start) < 5, "given up after the 1 s final-reply timeout");
        for (Outcome o : out) {
            assertEquals(Outcome.Kind.DEFERRED, o.kind(), o.detail());
            assertTrue(o.detail().startsWith("4.4.2 no reply from " + c.peer() + " after the end of data within 1 s"),
                    o.detail());
            assertTrue(o.detail().contains("the message may have been delivered; retrying may deliver it twice"),
                    o.detail());
        }
        assertFalse(c.isActive(), "the connection is closed, not reused");
    }

    @Test
    void aNextHopThatStopsReadingTheContentIsGivenUpAfterTheDataBlockTimeout() throws Exception {
        peer.deafAt = Stage.DATA;
        peer.extensions = List.of("PIPELINING", "8BITMIME"); // no SIZE limit
        // Far more than the socket buffers on both sides hold, so the writes must stall.
        StringBuilder sb = new StringBuilder("Subject: large\r\n\r\n");
        while (sb.length() < 12_000_000) {
            sb.append("a line of a message that the next hop will never read in full\r\n");
        }
        Delivery job = job(body(sb.toString()), "a@d.test");
        ClientTimeouts t = new ClientTimeouts(LONG, LONG, LONG, LONG, SHORT, LONG);
        SmtpClientConnection c = connector(t).connect(peer.address(), "next-hop.test").get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<Outcome> out = MailTransaction.run(c, job, reader).get(15, TimeUnit.SECONDS);
        assertTrue(secondsSince(start) < 8, "given up after the 1 s data block timeout");
        assertEquals(Outcome.Kind.DEFERRED, out.get(0).kind(), out.get(0).detail());
        assertTrue(out.get(0).detail().startsWith("4.4.2 timeout while sending the message content to " + c.peer()),
                out.get(0).detail());
        assertFalse(c.isActive(), "the connection is closed");
        reader.shutdown();
        assertTrue(reader.awaitTermination(2, TimeUnit.SECONDS), "no thread is left waiting for the socket");
    }

    @Test
    void pipelinedRepliesAreEachTimedFromThePreviousReply() throws Exception {
        // A tarpit: every RCPT reply comes 0.8 s after the one before. Each is in time (2 s), and DATA's reply
        // follows the last at once (1 s), though all came later than that after the pipelined write.
        peer.slowAt = Stage.RCPT;
        peer.slowBy = Duration.ofMillis(800);
        ClientTimeouts t = new ClientTimeouts(LONG, LONG, Duration.ofSeconds(2), SHORT, LONG, LONG);
        SmtpClientConnection c = connector(t).connect(peer.address(), "next-hop.test").get(10, TimeUnit.SECONDS);
        try {
            assertTrue(c.capabilities().pipelining());
            List<Outcome> out = MailTransaction.run(c, job(body("x\r\n"), "a@d.test", "b@d.test", "c@d.test"), reader)
                    .get(10, TimeUnit.SECONDS);
            for (Outcome o : out) {
                assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.detail());
            }
        } finally {
            c.quit();
        }
    }
}
