package dev.mta.server.smtp;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.server.config.ServerConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session stops reading its socket while any reason to pause holds, and reads again when the last one clears. */
class InputPauseTest {
    @Test
    void theSocketIsReadOnlyWhileNoReasonHolds() {
        SmtpFrameDecoder framer = new SmtpFrameDecoder(512);
        EmbeddedChannel channel = new EmbeddedChannel(framer);
        SessionDeadlines deadlines = new SessionDeadlines(ServerConfig.defaults(),
                System::nanoTime);
        InputPause pause = new InputPause(framer, deadlines);
        pause.attach(channel);
        assertTrue(channel.config().isAutoRead());

        pause.pause(InputPause.Reason.COMMIT);
        assertFalse(channel.config().isAutoRead());
        assertTrue(framer.isPaused());
        pause.pause(InputPause.Reason.UNWRITABLE);
        pause.resume(InputPause.Reason.COMMIT);
        assertFalse(channel.config().isAutoRead(), "still unwritable");
        assertTrue(framer.isPaused());
        pause.resume(InputPause.Reason.UNWRITABLE);
        assertTrue(channel.config().isAutoRead());
        assertFalse(framer.isPaused());
        channel.finishAndReleaseAll();
    }

    @Test
    void aPauseBeforeTheChannelIsActiveHoldsOnceItIs() {
        SmtpFrameDecoder framer = new SmtpFrameDecoder(512);
        EmbeddedChannel channel = new EmbeddedChannel(framer);
        InputPause pause = new InputPause(framer, new SessionDeadlines(
                ServerConfig.defaults(), System::nanoTime));
        pause.pause(InputPause.Reason.CLOSING);
        pause.attach(channel);
        assertFalse(channel.config().isAutoRead());
        channel.finishAndReleaseAll();
    }
}
