package dev.mta.server.support;

import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.QueueEntry;
import dev.mta.server.Mta;
import dev.mta.relay.RelaySettings;
import dev.mta.server.config.MailauthSettings;
import dev.mta.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real MTA on an ephemeral loopback port with its own spool folder (relay off unless a test turns it on). */
public final class TestMta implements AutoCloseable {
    public static final String HOSTNAME = "mx.test";

    private Mta mta;
    private final Path spoolDir;
    private final UnaryOperator<ServerConfig> tweak;

    private TestMta(Mta mta, Path spoolDir, UnaryOperator<ServerConfig> tweak) {
        this.mta = mta;
        this.spoolDir = spoolDir;
        this.tweak = tweak;
    }

    public static ServerConfig config(Path spoolDir) {
        ServerConfig d = ServerConfig.defaults();
        return new ServerConfig(new InetSocketAddress("127.0.0.1", 0), spoolDir, HOSTNAME, d.maxMessageSize(),
                d.maxRecipients(), d.maxConnections(), d.maxLineLength(), d.maxErrors(), d.maxJunkCommands(),
                d.commandTimeout(), d.dataTimeout(), d.maxDataTime(), d.minDataRate(), Duration.ofSeconds(5), 2, 1 << 20,
                d.queueHeapPercent(), d.retryDelays(), d.maxLifetime(), RelaySettings.OFF)
                // Off unless a test asks: tests of other parts must not ask the system's DNS about their senders.
                .withMailauth(MailauthSettings.DEFAULT.withMode(MailauthSettings.Mode.OFF));
    }

    public static TestMta start(Path spoolDir) throws Exception {
        return start(spoolDir, c -> c);
    }

    public static TestMta start(Path spoolDir, UnaryOperator<ServerConfig> tweak) throws Exception {
        return new TestMta(Mta.start(tweak.apply(config(spoolDir))), spoolDir, tweak);
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
        for (QueueEntry e : mta.queue().list()) {
            all.add(queued(e.id()));
        }
        return all;
    }

    public SpooledMessage queued(String id) {
        try {
            Envelope envelope = mta.queue().envelope(id).orElseThrow(() -> new AssertionError(id + " is not queued"));
            return SpooledMessage.of(id, envelope, mta.queue().body(id).orElseThrow().readAll());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int queuedCount() {
        return mta.queue().size();
    }

    /** Stops the MTA and starts it again on the same queue, as after a crash-free restart. */
    public void restart() throws Exception {
        mta.close();
        mta = Mta.start(tweak.apply(config(spoolDir)));
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
