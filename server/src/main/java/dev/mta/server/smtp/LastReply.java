package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A connection's last reply, then the close. The close waits for the reply to leave, but not for long: a client
 * that does not read would otherwise keep the reply, and with it the connection and its slot, forever.
 */
final class LastReply {
    /** How long the last reply may take to leave before the connection is reset without it. */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(LastReply.class);

    private LastReply() {
    }

    /** Writes and flushes {@code reply}, closes once it is sent, and resets the connection if that takes too long. */
    static void sendAndClose(Channel channel, SmtpReply reply) {
        channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> reset = channel.eventLoop().schedule(() -> reset(channel), DEADLINE.toNanos(),
                TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> reset.cancel(false));
    }

    private static void reset(Channel channel) {
        if (!channel.isOpen()) {
            return;
        }
        log.info("closing connection from {}: the client did not take its last reply within {} s",
                channel.remoteAddress(), DEADLINE.toSeconds());
        // An abortive close: the replies the client never read go with the socket instead of lingering in the kernel.
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }
}
