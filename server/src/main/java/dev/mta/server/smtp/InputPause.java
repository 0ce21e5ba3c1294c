package dev.mta.server.smtp;

import io.netty.channel.Channel;

import dev.mta.protocol.codec.SmtpFrameDecoder;

import java.util.EnumSet;

/**
 * Why a session is not reading its client right now. Each reason is set and cleared on its own; the framer (and
 * with it the socket) is paused while any reason holds and resumes only when the last one is cleared.
 * Event loop only.
 */
final class InputPause {
    /** A reason to stop reading. */
    enum Reason {
        /** The final dot was read; the message's fsync is under way and the next command waits for its reply. */
        COMMIT,
        /** A policy's verdict is pending (a lookup under way); the command and those behind it wait for it. */
        POLICY,
        /** Content is arriving faster than the disk takes it. */
        DISK,
        /** Replies are not leaving: the client does not read them. */
        UNWRITABLE,
        /** The last reply is out; nothing more is read. */
        CLOSING,
        /**
         * STARTTLS's 220 is out and the handshake runs: no command is handed on, but the socket is read (the
         * handshake needs it; the {@code SslHandler} in front takes those bytes, the framer sees none).
         */
        TLS_HANDSHAKE
    }

    private final SmtpFrameDecoder framer;
    private final SessionDeadlines deadlines;
    private final EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    private Channel channel;

    InputPause(SmtpFrameDecoder framer, SessionDeadlines deadlines) {
        this.framer = framer;
        this.deadlines = deadlines;
    }

    /** The session's channel, once it is active: its socket is read only while nothing pauses the session. */
    void attach(Channel ch) {
        channel = ch;
        ch.config().setAutoRead(reasons.isEmpty());
    }

    void pause(Reason reason) {
        reasons.add(reason);
        framer.pause();
        // Input waits in the kernel, in order, not in our memory.
        if (channel != null && reason != Reason.TLS_HANDSHAKE) {
            channel.config().setAutoRead(false);
        }
        deadlines.ourSideSlow(ourSideSlow());
    }

    /** Clears one reason; reading resumes (at once, handing on buffered input) if it was the last. */
    void resume(Reason reason) {
        if (!reasons.remove(reason)) {
            return;
        }
        deadlines.ourSideSlow(ourSideSlow());
        if (reasons.isEmpty()) {
            // A fresh wait for the client starts when we are ready for it again.
            deadlines.activity();
            if (channel != null) {
                channel.config().setAutoRead(true);
            }
            framer.resume();
        } else if (reasons.size() == 1 && reasons.contains(Reason.TLS_HANDSHAKE) && channel != null) {
            channel.config().setAutoRead(true); // only the handshake holds the framer: it needs the socket read
        }
    }

    boolean isPaused(Reason reason) {
        return reasons.contains(reason);
    }

    /** Waiting on our own disk: time the client must not be charged for. */
    private boolean ourSideSlow() {
        return reasons.contains(Reason.COMMIT) || reasons.contains(Reason.DISK);
    }
}
