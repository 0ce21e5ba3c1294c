package dev.mta.relay.dispatch;

import dev.mta.mailbox.aliases.AliasFile;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.mailbox.maildir.MaildirWriter;
import dev.mta.queue.DeliveryJob;
import dev.mta.queue.DurableQueue;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.bounce.BounceSettings;
import dev.mta.relay.bounce.StoreBounceQueue;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.support.TestEnvelopes;
import dev.mta.relay.transport.Delivery;
import dev.mta.relay.transport.LoadedContent;
import dev.mta.relay.transport.TransportSelector;
import dev.mta.relay.transport.local.LocalTransport;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message committed with a header prefix leaves the queue as prefix + content with no reader knowing of it: sent
 * byte for byte to a next hop whole (at most 128 KiB, {@link LoadedContent}) and streamed (larger), its size for
 * SIZE= counting the prefix, returned in a DSN, and written into a Maildir.
 */
@ExtendWith(LeakGuard.class)
class HeaderPrefixDeliveryTest {
    private static final byte[] PREFIX = ("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\r\n"
            + "\tbh=AbC=; b=DeF=\r\nAuthentication-Results: mta.test; spf=pass smtp.mailfrom=example.com\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    @TempDir
    Path maildirs;
    private DurableQueue queue;
    private ScriptedSmtpServer peer;
    private EventLoopGroup group;
    private ExecutorService readers;
    private TransportSelector transports;
    private Dispatcher relay;

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
        relay = new Dispatcher(new Dispatcher.Limits(10, 5), WorkQueue.of(queue), transports,
                new BounceService<QueuedDelivery>("mta.test", BounceSettings.DEFAULT, new StoreBounceQueue(queue),
                        readers, MailEvents.NONE), loops, readers, (component, cause) -> { });
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

    /** A message of {@code size} bytes: a header, then lines, some starting with a dot (stuffed on the way out). */
    private static byte[] body(int size) {
        StringBuilder b = new StringBuilder("Subject: prefixed\r\n\r\n");
        for (int i = 0; b.length() < size; i++) {
            b.append(i % 7 == 0 ? ".dot line " : "line ").append(i).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private String enqueue(byte[] body, String... rcpts) throws Exception {
        IncomingMessage m = queue.receive(TestEnvelopes.of("a@example.com", "", List.of(rcpts)));
        for (int off = 0; off < body.length; off += 16 * 1024) {
            m.write(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, off, Math.min(body.length, off + 16 * 1024))));
        }
        return m.commit(Unpooled.wrappedBuffer(PREFIX)).get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    private ScriptedSmtpServer.Received receivedBy(String rcpt) {
        return peer.received.stream().filter(r -> r.rcptTo().stream().anyMatch(t -> t.contains(rcpt)))
                .findFirst().orElseThrow();
    }

    @Test
    void aNextHopGetsThePrefixAndTheContentByteForByteUnderAndOver128KiB() throws Exception {
        byte[] small = body(2000);
        byte[] large = body(LoadedContent.MAX + 70_000); // streamed piece by piece, chunks in the queue
        String smallId = enqueue(small, "small@one.example");
        String largeId = enqueue(large, "large@two.example");
        assertEquals(PREFIX.length + large.length, queue.find(largeId).orElseThrow().bodyLength());
        assertEquals(PREFIX.length + small.length, queue.find(smallId).orElseThrow().bodyLength());
        relay.start();
        await(() -> peer.received.size() == 2 && queue.size() == 0, "both delivered: " + peer.received.size());
        assertArrayEquals(concat(PREFIX, small), receivedBy("small@one.example").body());
        assertArrayEquals(concat(PREFIX, large), receivedBy("large@two.example").body());
    }

    @Test
    void theSizeOfferedToANextHopCountsThePrefix() throws Exception {
        byte[] content = body(5000);
        int total = PREFIX.length + content.length;
        // The content alone fits the next hop's limit, the stored message does not: refused before MAIL.
        peer.extensions = List.of("PIPELINING", "8BITMIME", "SIZE " + (total - 1));
        enqueue(content, "big@one.example");
        relay.start();
        await(() -> queue.size() == 0, "the refused message and its DSN leave the queue");
        assertTrue(peer.commands.stream().noneMatch(c -> c.startsWith("MAIL")), "no MAIL: " + peer.commands);
    }

    @Test
    void aMessageExactlyAtTheNextHopsSizeLimitGoes() throws Exception {
        byte[] content = body(5000);
        peer.extensions = List.of("PIPELINING", "8BITMIME", "SIZE " + (PREFIX.length + content.length));
        enqueue(content, "fits@one.example");
        relay.start();
        await(() -> peer.received.size() == 1, "exactly at the limit it goes");
        assertArrayEquals(concat(PREFIX, content), peer.received.get(0).body());
    }

    @Test
    void aBounceReturnsThePrefixWithTheMessage() throws Exception {
        peer.rcptReply = r -> r.contains("nobody") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        byte[] content = body(3000);
        enqueue(content, "nobody@one.example");
        relay.start();
        await(() -> peer.received.size() == 1, "the DSN reached the sender");
        ScriptedSmtpServer.Received dsn = peer.received.get(0);
        assertEquals("", dsn.mailFrom().replace("<>", ""));
        String text = dsn.text();
        String returned = new String(concat(PREFIX, content), StandardCharsets.US_ASCII);
        assertTrue(text.contains(returned), "the DSN returns prefix + content whole:\n" + text);
    }

    @Test
    void localDeliveryWritesThePrefixIntoTheMaildir() throws Exception {
        byte[] content = "Subject: local\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        enqueue(content, "alice@example.net");
        DeliveryJob job = queue.poll(System.currentTimeMillis());
        LocalTransport local = new LocalTransport(new LocalDirectory(n -> n.equals("alice") ? "alice" : null,
                AliasFile.parse(Path.of("aliases"), "")), new MaildirWriter(new MailRoot(maildirs), "mx.example.net"),
                (sender, params, rcpts, prefix, c) -> "none", 0, d -> d, ForkJoinPool.commonPool());
        Delivery d = new Delivery(job.id(), job.sender(), job.parameters(), job.route(), job.recipients(), job.body());
        List<Outcome> o = local.deliver(d).get(10, TimeUnit.SECONDS);
        assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind(), o.toString());
        queue.report(job, o).get();
        Path fresh = maildirs.resolve("alice/Maildir/new");
        List<Path> files;
        try (var s = Files.list(fresh)) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        String expected = "Return-Path: <a@example.com>\nDelivered-To: alice@example.net\n"
                + new String(PREFIX, StandardCharsets.US_ASCII).replace("\r\n", "\n") + "Subject: local\n\nhello\n";
        assertEquals(expected, Files.readString(files.get(0), StandardCharsets.US_ASCII));
        assertTrue(files.get(0).getFileName().toString().contains(",S=" + expected.length()), files.toString());
    }
}
