package dev.mta.server.pop3;

import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.ResponseCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * First after TLS in the pipeline, as SMTP's connection limit: a connection past the server's limit gets
 * {@code -ERR [SYS/TEMP]} instead of a greeting and is closed; its session never starts.
 */
final class Pop3ConnectionLimit extends ChannelInboundHandlerAdapter {
    static final Pop3Reply TOO_MANY = Pop3Reply.err(ResponseCode.SYS_TEMP, "Too many connections, try later");

    private final AtomicInteger open;
    private final int max;
    private boolean refused;

    Pop3ConnectionLimit(AtomicInteger open, int max) {
        this.open = open;
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            refused = true;
            ctx.channel().config().setAutoRead(false);
            // From the channel: the reply passes the encoder further down the pipeline.
            ctx.channel().writeAndFlush(TOO_MANY).addListener(ChannelFutureListener.CLOSE);
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
        if (!refused) {
            ctx.fireChannelInactive();
        }
    }
}
