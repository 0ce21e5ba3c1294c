package dev.mta.server.smtp;

import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.SessionPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** A session under a given policy on an embedded channel with a client's address: lines in, replies out, no socket. */
final class EmbeddedSession extends EmbeddedChannel {
    private EmbeddedSession() {
        super(false, false);
    }

    static EmbeddedSession start(ServerConfig config, SessionPolicy policy) throws Exception {
        SmtpFrameDecoder framer = new SmtpFrameDecoder(config.maxLineLength());
        EmbeddedSession ch = new EmbeddedSession();
        ch.pipeline().addLast(framer, new SmtpCommandDecoder(), SmtpReplyEncoder.INSTANCE,
                new SmtpSession(config, new ServerReplies(config), policy, null, new EnvelopeBudget(1 << 20), framer));
        ch.register();
        return ch;
    }

    /** Sends {@code lines} as the client would, and returns the replies written since. */
    String send(String lines) {
        writeInbound(Unpooled.copiedBuffer(lines, StandardCharsets.US_ASCII));
        return replies();
    }

    /** The replies written so far and not yet read, after the tasks that were waiting. */
    String replies() {
        runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("192.0.2.7", 40000);
    }
}
