package dev.mta.archplant.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.NetUtil;

/** Breaks nothing: what a codec needs (an encoder, its context, buffers, Netty's utilities) is allowed. */
@ChannelHandler.Sharable
public final class PlantedCleanCodec extends MessageToByteEncoder<String> {
    @Override
    protected void encode(ChannelHandlerContext ctx, String msg, ByteBuf out) {
        out.writeCharSequence(NetUtil.isValidIpV4Address(msg) ? "[" + msg + "]" : msg, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
