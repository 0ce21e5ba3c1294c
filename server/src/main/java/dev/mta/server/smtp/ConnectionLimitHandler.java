package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.atomic.AtomicInteger;

/** First in the pipeline: past the connection limit a client gets 421 4.3.2 instead of a greeting. */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final AtomicInteger open;
    private final int max;
    private final SmtpReply refusal;
    private boolean refused;

    ConnectionLimitHandler(AtomicInteger open, int max, SmtpReply refusal) {
        this.open = open;
        this.max = max;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            refused = true;
            ctx.channel().config().setAutoRead(false);
            // From the channel, not this context: the reply must pass the encoder further down the pipeline.
            LastReply.sendAndClose(ctx.channel(), refusal);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }
}
