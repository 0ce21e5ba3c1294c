package dev.mta.server.pop3;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.server.net.InputGate;
import io.netty.channel.Channel;


/**
 * Why a POP3 session is not reading its client now, on an {@link InputGate}: commands pipelined behind one that waits
 * keep their order in the kernel's buffer, not our memory. Event loop only.
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

    private final InputGate<Reason> gate;

    Pop3Input(SmtpFrameDecoder framer) {
        this.gate = new InputGate<>(framer, Reason.class, Reason.TLS_HANDSHAKE);
    }

    void attach(Channel ch) {
        gate.attach(ch);
    }

    void pause(Reason reason) {
        gate.pause(reason);
    }

    /** Clears one reason; reading resumes, buffered lines first, if it was the last. */
    void resume(Reason reason) {
        gate.resume(reason);
    }

    boolean paused(Reason reason) {
        return gate.isPaused(reason);
    }
}
