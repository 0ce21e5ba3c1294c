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
        if (start == end) {
            return in.retainedSlice(start, 0);
        }
        ByteBuf out = null;
        int copied = start;
        // Only the byte after each LF matters: jump from line end to line end (ByteBuf.indexOf searches a word at a
        // time), never byte by byte through the lines themselves.
        int lineStart = atLineStart ? start : next(in, start, end);
        while (lineStart >= 0 && lineStart < end) {
            if (in.getByte(lineStart) == '.') {
                if (out == null) {
                    out = alloc.buffer(end - start + 64);
                }
                out.writeBytes(in, copied, lineStart - copied).writeByte('.');
                copied = lineStart;
            }
            lineStart = next(in, lineStart, end);
        }
        atLineStart = in.getByte(end - 1) == '\n';
        if (out == null) {
            return in.retainedSlice(start, end - start);
        }
        out.writeBytes(in, copied, end - copied);
        return out;
    }

    /** Where the line after the next LF at or after {@code from} starts, or -1 when there is no LF before {@code end}. */
    private static int next(ByteBuf in, int from, int end) {
        int lf = in.indexOf(from, end, (byte) '\n');
        return lf < 0 ? -1 : lf + 1;
    }

    /** Whether the content sent so far ends at the start of a line (after CRLF), as it must before the final dot. */
    public boolean atLineStart() {
        return atLineStart;
    }
}
