package dev.mta.protocol.pop3;

import dev.mta.protocol.codec.DotStuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The message part of a RETR or TOP reply, made chunk by chunk as the message is read (RFC 1939 3, 7): content with
 * CRLF line ends goes in, in pieces of any size; what comes out is byte-stuffed (a line's leading "." doubled, the
 * state carried across chunk borders by {@link DotStuffer}), and for TOP cut after the header, the blank line and
 * the first {@code n} body lines. {@link #end} closes it: a CRLF when the message did not end with one, then ".".
 */
public final class MultiLineBody {
    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] CRLF_END = {'\r', '\n', '.', '\r', '\n'};

    private final DotStuffer stuffer = new DotStuffer();
    /** Body lines TOP sends; -1 for the whole message. */
    private final int topLines;
    private boolean inBody;
    private int bodyLinesLeft;
    /** Octets in the current line so far, and whether the last of them was a CR. */
    private long lineOctets;
    private boolean lastWasCr;
    private boolean complete;

    private MultiLineBody(int topLines) {
        this.topLines = topLines;
    }

    /** The whole message (RETR). */
    public static MultiLineBody whole() {
        return new MultiLineBody(-1);
    }

    /** The header, the blank line and {@code lines} body lines (TOP). */
    public static MultiLineBody top(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must not be negative");
        }
        return new MultiLineBody(lines);
    }

    /**
     * The stuffed form of what of {@code in} belongs to the reply (none once {@link #complete()}); {@code in} is
     * neither consumed nor released. The result is the caller's to release.
     */
    public ByteBuf next(ByteBuf in, ByteBufAllocator alloc) {
        int from = in.readerIndex();
        int length = complete ? 0 : wanted(in);
        return stuffer.stuff(in.slice(from, length), alloc);
    }

    /** Whether TOP has all it wants: the rest of the message need not be read. Never true for RETR. */
    public boolean complete() {
        return complete;
    }

    /** The octets that end the reply: a CRLF first when the content did not end with one. */
    public ByteBuf end(ByteBufAllocator alloc) {
        byte[] end = stuffer.atLineStart() ? END : CRLF_END;
        return alloc.buffer(end.length).writeBytes(end);
    }

    /** How much of {@code in}, from its reader index, TOP still wants (all of it for RETR). */
    private int wanted(ByteBuf in) {
        int from = in.readerIndex();
        int to = in.writerIndex();
        if (topLines < 0) {
            return to - from;
        }
        for (int i = from; i < to; i++) {
            byte b = in.getByte(i);
            if (b != '\n') {
                lineOctets++;
                lastWasCr = b == '\r';
                continue;
            }
            boolean empty = lineOctets == 0 || (lineOctets == 1 && lastWasCr);
            lineOctets = 0;
            lastWasCr = false;
            if (!inBody) {
                if (empty) {
                    inBody = true;
                    bodyLinesLeft = topLines;
                }
            } else {
                bodyLinesLeft--;
            }
            if (inBody && bodyLinesLeft == 0) {
                complete = true;
                return i + 1 - from;
            }
        }
        return to - from;
    }
}
