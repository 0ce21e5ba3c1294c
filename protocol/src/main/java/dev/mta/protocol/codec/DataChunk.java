package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A run of message content from DATA, already dot-unstuffed; the receiver owns and releases it. */
public final class DataChunk extends DefaultByteBufHolder {
    public DataChunk(ByteBuf content) {
        super(content);
    }
}
