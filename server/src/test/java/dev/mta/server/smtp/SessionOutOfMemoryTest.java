package dev.mta.server.smtp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.testkit.LeakGuard;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.TestMta;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session that runs out of direct memory is closed with one line in the log: when memory runs out it does so for
 * many sessions at once, and a stack trace each would bury everything else.
 */
@ExtendWith(LeakGuard.class)
class SessionOutOfMemoryTest {
    @TempDir
    Path spool;

    @Test
    void aSessionOutOfDirectMemoryIsClosedWithOneLine() throws Exception {
        ServerConfig config = TestMta.config(spool);
        SmtpFrameDecoder framer = new SmtpFrameDecoder(config.maxLineLength());
        EmbeddedChannel ch = new ClientChannel();
        ch.pipeline().addLast(framer, new SmtpCommandDecoder(), SmtpReplyEncoder.INSTANCE,
                new SmtpSession(config, new ServerReplies(config), null, new EnvelopeBudget(1 << 20), framer));
        ch.register();
        releaseAll(ch);

        Logger logger = (Logger) LoggerFactory.getLogger(SmtpSession.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            // As Netty reports it when the reply encoder cannot get a buffer.
            ch.pipeline().fireExceptionCaught(new EncoderException(new OutOfMemoryError(
                    "Cannot reserve 65536 bytes of direct buffer memory (allocated: 67044385, limit: 67108864)")));
        } finally {
            logger.detachAppender(events);
        }
        List<ILoggingEvent> warnings = events.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .collect(Collectors.toList());
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        ILoggingEvent w = warnings.get(0);
        assertNull(w.getThrowableProxy(), "no stack trace");
        assertFalse(w.getFormattedMessage().contains("\n"), w.getFormattedMessage());
        assertTrue(w.getFormattedMessage().contains("192.0.2.7"), w.getFormattedMessage());
        assertTrue(w.getFormattedMessage().contains("Cannot reserve 65536 bytes of direct buffer memory"),
                w.getFormattedMessage());
        assertFalse(ch.isOpen(), "the session is closed");
        releaseAll(ch);
        ch.finishAndReleaseAll();
    }

    private static void releaseAll(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
    }

    /** An embedded channel with a client's address, as the session expects of a socket. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel() {
            super(false, false);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("192.0.2.7", 40000);
        }
    }
}
