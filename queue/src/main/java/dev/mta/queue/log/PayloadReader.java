package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.util.zip.CRC32C;

/** Recovery's buffer for one record's payload at a time, grown as needed, and its CRC32C. */
final class PayloadReader {
    private final CRC32C crc = new CRC32C();
    private ByteBuf payload = Unpooled.buffer(64 << 10);

    /** Reads the payload at {@code loc}; false when the segment ends first. {@link #payload()} holds what was read. */
    boolean read(Segment s, Location loc) throws IOException {
        payload.clear();
        if (payload.capacity() < loc.length()) {
            payload.release();
            payload = Unpooled.buffer(loc.length());
        }
        int n = Segment.readFully(s.channel, payload.nioBuffer(0, loc.length()), loc.offset());
        payload.writerIndex(n);
        return n == loc.length();
    }

    /** The payload last read; valid until the next read. */
    ByteBuf payload() {
        return payload;
    }

    /** The CRC32C of the payload last read. */
    int crc() {
        crc.reset();
        crc.update(payload.nioBuffer(payload.readerIndex(), payload.readableBytes()));
        return (int) crc.getValue();
    }

    /** Format 1's checksum: CRC32C of the type byte, then the payload last read. */
    int crcWithType(byte type) {
        crc.reset();
        crc.update(type);
        crc.update(payload.nioBuffer(0, payload.writerIndex()));
        return (int) crc.getValue();
    }

    void release() {
        payload.release();
    }
}
