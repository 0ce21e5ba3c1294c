package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Dot-stuffing for sending message content (RFC 5321 4.5.2): a line that begins with "." gets another "." in
 * front. Stateful, so content can be stuffed piece by piece as it is read; content must use CRLF line ends, as
 * everything this MTA queues does.
 */
public final class DotStuffer {
    private boolean atLineStart = true;

    /** The stuffed copy of {@code in} (not released, not consumed); allocates only when a dot needs doubling. */
    public ByteBuf stuff(ByteBuf in, ByteBufAllocator alloc) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        ByteBuf out = null;
        int copied = start;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (atLineStart && b == '.') {
                if (out == null) {
                    out = alloc.buffer(end - start + 64);
                }
                out.writeBytes(in, copied, i - copied).writeByte('.');
                copied = i;
            }
            atLineStart = b == '\n';
        }
        if (out == null) {
            return in.retainedSlice(start, end - start);
        }
        out.writeBytes(in, copied, end - copied);
        return out;
    }

    /** Whether the content sent so far ends at the start of a line (after CRLF), as it must before the final dot. */
    public boolean atLineStart() {
        return atLineStart;
    }
}
