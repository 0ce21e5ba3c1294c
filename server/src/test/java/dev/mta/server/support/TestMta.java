package dev.mta.server.support;

import dev.mta.queue.spool.FileSpool;
import dev.mta.queue.spool.SpooledMessage;
import dev.mta.server.Mta;
import dev.mta.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real MTA on an ephemeral loopback port with its own spool folder, for one test class or test. */
public final class TestMta implements AutoCloseable {
    public static final String HOSTNAME = "mx.test";

    private final Mta mta;
    private final Path spoolDir;

    private TestMta(Mta mta, Path spoolDir) {
        this.mta = mta;
        this.spoolDir = spoolDir;
    }

    public static ServerConfig config(Path spoolDir) {
        ServerConfig d = ServerConfig.defaults();
        return new ServerConfig(new InetSocketAddress("127.0.0.1", 0), spoolDir, HOSTNAME, d.maxMessageSize(),
                d.maxRecipients(), d.maxConnections(), d.maxLineLength(), d.maxErrors(), d.commandTimeout(),
                d.dataTimeout(), Duration.ofSeconds(5), 2, 4);
    }

    public static TestMta start(Path spoolDir) throws Exception {
        return start(spoolDir, c -> c);
    }

    public static TestMta start(Path spoolDir, UnaryOperator<ServerConfig> tweak) throws Exception {
        return new TestMta(Mta.start(tweak.apply(config(spoolDir))), spoolDir);
    }

    public InetSocketAddress address() {
        return mta.smtpAddress();
    }

    public Mta mta() {
        return mta;
    }

    /** Every queued message, read back whole. */
    public List<SpooledMessage> queued() {
        List<SpooledMessage> all = new ArrayList<>();
        for (Path p : mta.spool().queuedFiles()) {
            try {
                all.add(FileSpool.read(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    public SpooledMessage queued(String id) {
        try {
            return FileSpool.read(spoolDir.resolve("queue").resolve(id));
        } catch (IOException e) {
            throw new AssertionError("message " + id + " is not in the queue", e);
        }
    }

    public int queuedCount() {
        return mta.spool().queuedFiles().size();
    }

    /** Files under incoming/: half-written messages. */
    public long incomingCount() {
        try (Stream<Path> s = Files.list(spoolDir.resolve("incoming"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 5 s: aborts run on the spool threads) until no half-written file is left, else fails. */
    public void awaitNoIncoming() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (incomingCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, incomingCount(), "half-written message files must be removed");
    }

    /** The queue id from a "250 2.0.0 Ok: queued as ID" reply. */
    public static String queueId(Reply r) {
        r.assertReply(250, "2.0.0");
        String text = r.text();
        int at = text.lastIndexOf("queued as ");
        assertTrue(at >= 0, () -> "no queue id in " + r);
        return text.substring(at + "queued as ".length()).strip();
    }

    /** The spooled body after its first header, which must be our Received header. */
    public static byte[] withoutReceived(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 2000), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("Received: from "), () -> "no Received header first: " + head);
        assertTrue(head.contains("\tby " + HOSTNAME + " with "), () -> "Received header does not name us: " + head);
        int i = head.indexOf("\r\n");
        while (i + 2 < head.length() && (head.charAt(i + 2) == '\t' || head.charAt(i + 2) == ' ')) {
            i = head.indexOf("\r\n", i + 2);
        }
        return Arrays.copyOfRange(body, i + 2, body.length);
    }

    @Override
    public void close() {
        mta.close();
    }
}
