package dev.mta.server.smtp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.model.Envelope;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.RfcReplyCodes;
import dev.mta.testkit.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole receiving session (framer, command decoder, reply encoder, {@link SmtpSession} under the standard
 * policies) over an embedded channel, with an in-memory store, fed any client bytes in any splits. Invariants: no
 * exception reaches the session's error path, every reply line is well-formed with an RFC 5321/4954 code, the store
 * commits exactly one message per DATA that got 354 and then 250 (one DATA never becomes two messages, nor two
 * one), and every buffer ends released.
 *
 * <p>Input layout as {@code SmtpFrameDecoderFuzzTest}: byte 0 picks the read sizes (0 = one read, else a seed for
 * sizes of 1..n, bit 7 ignored); the rest is the client's stream. Seeds: {@code SmtpSessionFuzzTestInputs/session/}.
 */
@Tag("fuzz")
@ExtendWith(LeakGuard.class)
class SmtpSessionFuzzTest {
    private static final ServerConfig CONFIG = TestMta.config(Path.of("unused-spool")).withMaxErrors(1000);
    private static LogCapture log;

    @BeforeAll
    static void captureSessionErrors() {
        log = LogCapture.of(SmtpSession.class);
    }

    @AfterAll
    static void stopCapture() {
        log.close();
    }

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\\x0d\\x0a", "\\x0a", "\\x0d", "\\x0d\\x0a.\\x0d\\x0a", "\\x0a.\\x0a", "\\x0d\\x0a.\\x0a",
            "EHLO c.test\\x0d\\x0a", "HELO c.test\\x0d\\x0a", "MAIL FROM:<a@example.com>\\x0d\\x0a",
            "MAIL FROM:<> SIZE=10 BODY=8BITMIME\\x0d\\x0a", "RCPT TO:<b@example.org>\\x0d\\x0a", "DATA\\x0d\\x0a",
            "RSET\\x0d\\x0a", "NOOP\\x0d\\x0a", "QUIT\\x0d\\x0a", "VRFY x\\x0d\\x0a", "STARTTLS\\x0d\\x0a",
            "AUTH PLAIN\\x0d\\x0a", "BDAT 1\\x0d\\x0a", ".."})
    void session(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int split = input[0] & 0x7f;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        int errorsBefore = log.warnings().size();

        MemoryStore store = new MemoryStore();
        TrackingAllocator alloc = new TrackingAllocator();
        SmtpFrameDecoder framer = new SmtpFrameDecoder(CONFIG.maxLineLength());
        EmbeddedChannel ch = new ClientChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(framer, new SmtpCommandDecoder(), SmtpReplyEncoder.INSTANCE,
                new SmtpSession(CONFIG, new ServerReplies(CONFIG), store, new EnvelopeBudget(1 << 20), framer));
        ch.register();

        StringBuilder replies = new StringBuilder();
        List<ByteBuf> reads = new ArrayList<>();
        drain(ch, replies);
        long seed = split;
        int at = 0;
        while (at < stream.length && ch.isOpen()) {
            int n = stream.length - at;
            if (seed != 0) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                n = Math.min(n, 1 + (int) ((seed >>> 33) % split));
            }
            ByteBuf read = Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, at + n));
            reads.add(read);
            ch.writeInbound(read);
            drain(ch, replies);
            at += n;
        }
        ch.checkException();
        ch.close();
        drain(ch, replies);
        ch.finishAndReleaseAll();

        List<String> errors = log.warnings().subList(errorsBefore, log.warnings().size());
        assertTrue(errors.isEmpty(), () -> "session errors: " + errors);
        for (ByteBuf b : reads) {
            assertEquals(0, b.refCnt(), "a read was not released");
        }
        assertTrue(alloc.unreleased().isEmpty(), () -> alloc.unreleased().size() + " buffers not released");

        int accepted = 0;
        boolean afterData = false;
        String all = replies.toString();
        assertTrue(all.isEmpty() || all.endsWith("\r\n"), "a reply not ended by CRLF");
        for (String line : all.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            assertTrue(line.matches("[2-5][0-9][0-9]([ -].*)?") && line.indexOf('\r') < 0 && line.indexOf('\n') < 0,
                    () -> "malformed reply line: " + line);
            int code = Integer.parseInt(line.substring(0, 3));
            assertTrue(RfcReplyCodes.allowed(code), () -> "reply code outside RFC 5321/4954: " + line);
            if (line.length() > 3 && line.charAt(3) == '-') {
                continue;
            }
            if (afterData && code == 250) {
                accepted++;
            }
            afterData = code == 354;
        }
        assertEquals(accepted, store.committed, () -> "354-then-250 replies vs messages committed:\n" + all);
        assertTrue(store.committed <= store.received, "a commit without a message");
    }

    private static void drain(EmbeddedChannel ch, StringBuilder replies) {
        ch.runPendingTasks();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            replies.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
    }

    /** Keeps nothing: counts messages begun and committed, and releases what it is given. */
    private static final class MemoryStore implements MessageStore {
        int received;
        int committed;

        @Override
        public IncomingMessage receive(Envelope envelope) {
            String id = "M" + (++received);
            return new IncomingMessage() {
                private boolean done;

                @Override
                public String id() {
                    return id;
                }

                @Override
                public boolean write(ByteBuf data) {
                    data.release();
                    assertTrue(!done, "content written after commit or abort");
                    return true;
                }

                @Override
                public void whenDrained(Runnable action) {
                    action.run();
                }

                @Override
                public CompletableFuture<String> commit(ByteBuf headerPrefix) {
                    headerPrefix.release();
                    assertTrue(!done, "committed twice, or after an abort");
                    done = true;
                    committed++;
                    return CompletableFuture.completedFuture(id);
                }

                @Override
                public void abort() {
                    done = true;
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /** An embedded channel with a loopback client's address, as the session expects of a socket. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel() {
            super(false, false);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }
    }
}
