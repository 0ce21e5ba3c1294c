package dev.mta.server.net;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import io.netty.channel.Channel;

import java.util.EnumSet;

/**
 * Why a session (SMTP or POP3) is not reading its client now. Each reason is set and cleared on its own; the framer,
 * and with it the socket, is paused while any reason holds and resumes only when the last is cleared, so input
 * pipelined behind a command that waits stays in the kernel's buffer, in order, not in our memory. One reason, the
 * TLS handshake, holds the framer but keeps the socket read: the handshake needs those bytes. Event loop only.
 *
 * @param <R> the session's reasons
 */
public final class InputGate<R extends Enum<R>> {
    private final SmtpFrameDecoder framer;
    private final R handshake;
    private final EnumSet<R> reasons;
    private Channel channel;

    /** @param handshake the reason that holds the framer but not the socket */
    public InputGate(SmtpFrameDecoder framer, Class<R> reasonType, R handshake) {
        this.framer = framer;
        this.handshake = handshake;
        this.reasons = EnumSet.noneOf(reasonType);
    }

    /** The session's channel, once it is active: its socket is read only while nothing holds the session. */
    public void attach(Channel ch) {
        channel = ch;
        ch.config().setAutoRead(reasons.isEmpty());
    }

    public void pause(R reason) {
        reasons.add(reason);
        framer.pause();
        if (channel != null && reason != handshake) {
            channel.config().setAutoRead(false);
        }
    }

    /**
     * Clears one reason; reading resumes (at once, handing on buffered input) if it was the last.
     *
     * @return whether {@code reason} was held
     */
    public boolean resume(R reason) {
        return resume(reason, () -> { });
    }

    /**
     * As {@link #resume(Enum)}, running {@code cleared} once the reason is gone and before any input is handed on,
     * so the session's own bookkeeping (its deadlines) sees the new state before the next command does.
     */
    public boolean resume(R reason, Runnable cleared) {
        if (!reasons.remove(reason)) {
            return false;
        }
        cleared.run();
        if (reasons.isEmpty()) {
            if (channel != null) {
                channel.config().setAutoRead(true);
            }
            framer.resume();
        } else if (reasons.size() == 1 && reasons.contains(handshake) && channel != null) {
            channel.config().setAutoRead(true); // only the handshake holds the framer: it needs the socket read
        }
        return true;
    }

    public boolean isPaused(R reason) {
        return reasons.contains(reason);
    }

    /** Whether nothing holds the session. */
    public boolean open() {
        return reasons.isEmpty();
    }
}
