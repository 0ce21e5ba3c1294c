package dev.mta.archplant.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/** Breaks "Netty only as far as codecs need it" the quiet way: a decoder reaching the Channel behind its context. */
public final class PlantedAutoReadDecoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        ctx.channel().config().setAutoRead(false);
        out.add(msg.retain());
    }
}
