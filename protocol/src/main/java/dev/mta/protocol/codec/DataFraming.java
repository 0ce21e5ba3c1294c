package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ByteProcessor;

/**
 * The data mode of {@link SmtpFrameDecoder}: the state machine that dot-unstuffs content (RFC 5321 4.5.2), hands it
 * on as {@link DataChunk}s and finds the end of data, CRLF "." CRLF and nothing else.
 *
 * <p>A dot at a line start is never handed on until the byte after it (and after a CR that follows it) says what it
 * is: the end of data, stuffing to drop, or, in {@link BareNewline#NORMALIZE} mode, a "." line that is content. So
 * at most those two bytes are left in the buffer after a pass, and every decision is made on bytes that are there.
 *
 * <p>In {@link BareNewline#NORMALIZE} mode a bare LF is handed on as CRLF (a CR of its own, then the LF), and only
 * that: dot-transparency, like the end of data, belongs to CRLF lines. The line after a bare LF is taken as sent,
 * neither unstuffed nor ever the end ("
.
" and "
..x
" are content as they stand), because the clients that send
 * bare LFs (curl uploading a Unix file) stuff dots only after CRLF; unstuffing there would eat their leading dots. A
 * "." line reached through CRLF but ended by a bare LF is content too. Stored as it is, such a line is stuffed again
 * by whoever relays the message. Only the exact CRLF "." CRLF ends data, in both modes.
 */
final class DataFraming {
    /** At the start of data or after CRLF: a dot here may begin the end of data. */
    private static final int LINE_START = 0;
    private static final int NORMAL = 1;
    /** After a CR: a CRLF if an LF follows, else a bare CR. */
    private static final int CR = 2;
    /** After a dot at {@link #LINE_START}, held back. */
    private static final int DOT = 3;
    /** After a dot at {@link #LINE_START} and a CR, both held back. */
    private static final int DOT_CR = 4;

    private BareNewline mode = BareNewline.REJECT;
    private int state;
    /** Where the held-back dot is: valid in the pass that found it, the only pass it can be decided in. */
    private int dotAt;
    private boolean bareLineEnding;

    /** A new message's content comes next, bare LFs treated as {@code mode} says. */
    void start(BareNewline mode) {
        this.mode = mode;
        state = LINE_START;
        bareLineEnding = false;
    }

    /**
     * Hands on the content readable in {@code buf}. Returns the end of data when it was reached, with the reader
     * index just past it and nothing after it touched; else null, with everything read but a held-back dot (and CR).
     */
    EndOfData decode(ChannelHandlerContext ctx, ByteBuf buf) {
        int end = buf.writerIndex();
        int i = buf.readerIndex();
        int runStart = i;
        while (i < end) {
            switch (state) {
                case NORMAL: {
                    int idx = buf.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
                    if (idx < 0) {
                        i = end;
                    } else {
                        i = idx + 1;
                        if (buf.getByte(idx) == '\r') {
                            state = CR;
                        } else if (mode == BareNewline.NORMALIZE) {
                            // An LF found here is bare (after a CR the state would be CR): it ends the line as CRLF.
                            emit(ctx, buf, runStart, idx);
                            emitCr(ctx);
                            runStart = idx;
                            // The line after it is taken as sent: no unstuffing, never the end (see above).
                        } else {
                            bareLineEnding = true;
                        }
                    }
                    break;
                }
                case CR:
                    if (buf.getByte(i) == '\n') {
                        i++;
                        state = LINE_START;
                    } else {
                        bareLineEnding = true; // the CR stays content; the byte after it is read afresh
                        state = NORMAL;
                    }
                    break;
                case LINE_START:
                    if (buf.getByte(i) == '.') {
                        // A leading dot is stuffing, the terminator, or (normalize mode) a "." line: hold it back.
                        emit(ctx, buf, runStart, i);
                        dotAt = i;
                        i++;
                        runStart = i;
                        state = DOT;
                    } else {
                        state = NORMAL;
                    }
                    break;
                case DOT: {
                    byte b = buf.getByte(i);
                    if (b == '\r') {
                        i++;
                        state = DOT_CR;
                    } else {
                        if (b == '\n' && mode == BareNewline.NORMALIZE) {
                            runStart = dotAt; // "." ended by a bare LF: content, never the end
                        }
                        state = NORMAL; // else the dot was stuffing (in reject mode an LF is then flagged as bare)
                    }
                    break;
                }
                case DOT_CR:
                    if (buf.getByte(i) == '\n') {
                        buf.readerIndex(i + 1);
                        return bareLineEnding ? EndOfData.BARE_LINE_ENDING : EndOfData.CLEAN;
                    }
                    // ".\r" then something else: the dot was stuffing, the CR is content (and bare).
                    bareLineEnding = true;
                    state = NORMAL;
                    break;
                default:
                    throw new IllegalStateException("data state " + state);
            }
        }
        int consumed = end;
        if (state == DOT || state == DOT_CR) {
            // The next read says what the dot is: keep it (and its CR) and look at it again then.
            consumed = dotAt;
            state = LINE_START;
        }
        emit(ctx, buf, runStart, consumed);
        buf.readerIndex(consumed);
        return null;
    }

    private static void emit(ChannelHandlerContext ctx, ByteBuf buf, int from, int to) {
        if (to > from) {
            ctx.fireChannelRead(new DataChunk(buf.retainedSlice(from, to - from)));
        }
    }

    /** The CR a bare LF lacks: a buffer of its own, since the input has no CR there to slice. */
    private static void emitCr(ChannelHandlerContext ctx) {
        ctx.fireChannelRead(new DataChunk(ctx.alloc().buffer(1, 1).writeByte('\r')));
    }
}
