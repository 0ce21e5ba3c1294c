package dev.mta.protocol.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link Pop3Reply}s in their wire form; stateless and shared by all channels. */
@ChannelHandler.Sharable
public final class Pop3ReplyEncoder extends MessageToByteEncoder<Pop3Reply> {
    /** The one instance. */
    public static final Pop3ReplyEncoder INSTANCE = new Pop3ReplyEncoder();

    private Pop3ReplyEncoder() {
        super(Pop3Reply.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Pop3Reply msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(msg.wireLength());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pop3Reply msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
