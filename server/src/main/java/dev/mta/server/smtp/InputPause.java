package dev.mta.server.smtp;

import io.netty.channel.Channel;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.server.net.InputGate;


/**
 * Why an SMTP session is not reading its client right now, on an {@link InputGate}; and the session's deadlines
 * told when the wait is our own (the disk), so the client is not charged for it. Event loop only.
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

    private final InputGate<Reason> gate;
    private final SessionDeadlines deadlines;

    InputPause(SmtpFrameDecoder framer, SessionDeadlines deadlines) {
        this.gate = new InputGate<>(framer, Reason.class, Reason.TLS_HANDSHAKE);
        this.deadlines = deadlines;
    }

    /** The session's channel, once it is active: its socket is read only while nothing pauses the session. */
    void attach(Channel ch) {
        gate.attach(ch);
    }

    void pause(Reason reason) {
        gate.pause(reason);
        deadlines.ourSideSlow(ourSideSlow());
    }

    /** Clears one reason; reading resumes (at once, handing on buffered input) if it was the last. */
    void resume(Reason reason) {
        gate.resume(reason, () -> {
            deadlines.ourSideSlow(ourSideSlow());
            if (gate.open()) {
                deadlines.activity(); // a fresh wait for the client starts when we are ready for it again
            }
        });
    }

    boolean isPaused(Reason reason) {
        return gate.isPaused(reason);
    }

    /** Waiting on our own disk: time the client must not be charged for. */
    private boolean ourSideSlow() {
        return gate.isPaused(Reason.COMMIT) || gate.isPaused(Reason.DISK);
    }
}
