package dev.mta.server.pop3;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import io.netty.channel.Channel;

import java.util.EnumSet;

/**
 * Why a POP3 session is not reading its client now. Each reason is set and cleared on its own; the framer (and with it
 * the socket) resumes only when the last one is cleared, so commands pipelined behind one that waits keep their
 * order in the kernel's buffer, not our memory. Event loop only.
 */
final class Pop3Input {
    enum Reason {
        /** A command waits for the disk or a password check. */
        WORK,
        /** Replies are not leaving: the client does not read them. */
        UNWRITABLE,
        /** The last reply is out; nothing more is read. */
        CLOSING,
        /** STLS's +OK is out and the handshake runs: the socket is read (the handshake needs it), no line is. */
        TLS_HANDSHAKE
    }

    private final SmtpFrameDecoder framer;
    private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    private Channel channel;

    Pop3Input(SmtpFrameDecoder framer) {
        this.framer = framer;
    }

    void attach(Channel ch) {
        channel = ch;
        ch.config().setAutoRead(reasons.isEmpty());
    }

    void pause(Reason reason) {
        reasons.add(reason);
        framer.pause();
        if (channel != null && reason != Reason.TLS_HANDSHAKE) {
            channel.config().setAutoRead(false);
        }
    }

    /** Clears one reason; reading resumes, buffered lines first, if it was the last. */
    void resume(Reason reason) {
        if (!reasons.remove(reason)) {
            return;
        }
        if (reasons.isEmpty()) {
            if (channel != null) {
                channel.config().setAutoRead(true);
            }
            framer.resume();
        } else if (reasons.equals(EnumSet.of(Reason.TLS_HANDSHAKE)) && channel != null) {
            channel.config().setAutoRead(true);
        }
    }

    boolean paused(Reason reason) {
        return reasons.contains(reason);
    }
}
