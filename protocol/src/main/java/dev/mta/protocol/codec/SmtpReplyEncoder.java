package dev.mta.protocol.codec;

import dev.mta.protocol.reply.SmtpReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link SmtpReply}s in their wire form; stateless and shared by all channels. */
@ChannelHandler.Sharable
public final class SmtpReplyEncoder extends MessageToByteEncoder<SmtpReply> {
    /** The one instance. */
    public static final SmtpReplyEncoder INSTANCE = new SmtpReplyEncoder();

    private SmtpReplyEncoder() {
        super(SmtpReply.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, SmtpReply msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(msg.wireBytes().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply msg, ByteBuf out) {
        out.writeBytes(msg.wireBytes());
    }
}
