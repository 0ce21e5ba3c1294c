package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Strict SMTP framing. In command mode it emits each CRLF-terminated line as a {@link ByteBuf} without its CRLF,
 * or a {@link FramingError}. In data mode ({@link DataFraming}) it emits {@link DataChunk}s of dot-unstuffed content
 * and then {@link EndOfData} at CRLF "." CRLF, the only sequence that ends a message: a bare LF or CR never does. A
 * bare LF in content is flagged, or, for a message started with {@link BareNewline#NORMALIZE}, handed on as CRLF.
 *
 * <p>The session controls it: {@link #startData(BareNewline)} after answering 354, {@link #pause()} while it cannot
 * go on (an answer waits on the disk, or replies wait for a client that does not read them: the rest of a pipelined
 * batch stays buffered here, in order, and the socket stops being read, so at most one more read arrives), and
 * {@link #resume()} to go on. Lines are handed on one at a time, so a mode change made while handling one line
 * applies to the very next byte.
 *
 * <p>Memory: what is left over after a pass (a partial line, or input held while paused) is kept in a buffer of its
 * own size, never in the whole read buffer it arrived in, so a session that waits holds at most one read and a
 * partial line, however many sessions wait. In data mode all that is left is a line-start dot (and a CR after it)
 * that the next byte decides.
 */
public final class SmtpFrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int DISCARD_THRESHOLD = 16 * 1024;
    /** Unused room in the cumulation worth a copy of what is left in it. */
    private static final int SHRINK_THRESHOLD = 1024;

    private final int maxLineLength;
    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private boolean dataMode;
    private boolean paused;
    /** The channel is gone: nothing more is handed on, even what was read before. */
    private boolean closed;
    private boolean decoding;
    private boolean discardingLongLine;
    private final DataFraming data = new DataFraming();

    /** @param maxLineLength the longest command line accepted, counting its CRLF (RFC 5321: 512) */
    public SmtpFrameDecoder(int maxLineLength) {
        if (maxLineLength < 3) {
            throw new IllegalArgumentException("maxLineLength must allow at least one character and CRLF");
        }
        this.maxLineLength = maxLineLength;
    }

    /** Switches to data mode, bare LFs refused ({@link BareNewline#REJECT}); content up to CRLF.CRLF comes next. */
    public void startData() {
        startData(BareNewline.REJECT);
    }

    /**
     * Switches to data mode for one message, bare LFs in its content treated as {@code bareNewline} says; content
     * up to CRLF.CRLF comes next. Call on the event loop.
     */
    public void startData(BareNewline bareNewline) {
        dataMode = true;
        data.start(bareNewline);
    }

    public boolean isDataMode() {
        return dataMode;
    }

    /**
     * Stops handing on input until {@link #resume()}; what arrives meanwhile is kept. Whoever pauses also stops
     * reading the socket (the server's session does): a codec decodes, it does not drive its channel.
     */
    public void pause() {
        paused = true;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Hands on what was buffered while paused, then signals read-complete so replies get flushed in one write. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (!decoding) {
            decodeLoop();
            ctx.fireChannelReadComplete();
        }
    }

    /**
     * Throws away everything buffered and not yet handed on (a partial line, lines held while paused), and any long
     * line being skipped. For STARTTLS (RFC 3207 4.2): plaintext the client pipelined behind the command must never be
     * decoded, so the session pauses the framer, calls this, and only bytes that came through TLS follow. Call on the
     * event loop; safe while a line is being handed on (the rest of that pass is dropped).
     *
     * @return how many bytes were discarded
     */
    public int discardBuffered() {
        discardingLongLine = false;
        if (cumulation == null) {
            return 0;
        }
        int dropped = cumulation.readableBytes();
        cumulation.readerIndex(cumulation.writerIndex());
        releaseCumulation();
        return dropped;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        cumulate((ByteBuf) msg);
        decodeLoop();
    }

    /**
     * Appends a read to what is left over. The leftover is small (a partial line; a whole read only when a read
     * arrived while paused), so both are copied into one buffer of exactly their size: growing the old buffer
     * would round its capacity up to the next power of two.
     */
    private void cumulate(ByteBuf in) {
        if (cumulation == null) {
            cumulation = in;
            return;
        }
        try {
            ByteBuf merged = ctx.alloc().buffer(cumulation.readableBytes() + in.readableBytes());
            merged.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            cumulation = merged;
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseCumulation();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closed = true;
        releaseCumulation();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void decodeLoop() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (!paused && !closed && cumulation != null && cumulation.isReadable()) {
                if (!(dataMode ? decodeData() : decodeLine())) {
                    break;
                }
            }
        } finally {
            decoding = false;
            compact();
        }
    }

    private void compact() {
        if (cumulation == null) {
            return;
        }
        int left = cumulation.readableBytes();
        int unused = cumulation.capacity() - left;
        if (left == 0) {
            releaseCumulation();
        } else if (unused > SHRINK_THRESHOLD && unused > left) {
            // A copy, not a move: DataChunk slices may still point into the old buffer, and keep it alive meanwhile.
            ByteBuf kept = ctx.alloc().buffer(left);
            kept.writeBytes(cumulation);
            cumulation.release();
            cumulation = kept;
        } else if (cumulation.refCnt() == 1 && cumulation.readerIndex() > DISCARD_THRESHOLD) {
            // Only when no DataChunk slice still points into it: moving bytes would corrupt the slices.
            cumulation.discardSomeReadBytes();
        }
    }

    /** Emits one command line or framing error; false when a whole line is not there yet. */
    private boolean decodeLine() {
        ByteBuf buf = cumulation;
        int r = buf.readerIndex();
        int w = buf.writerIndex();
        int lf = buf.indexOf(r, w, (byte) '\n');
        if (discardingLongLine) {
            if (lf < 0) {
                buf.readerIndex(w);
                return false;
            }
            buf.readerIndex(lf + 1);
            discardingLongLine = false;
            ctx.fireChannelRead(FramingError.LINE_TOO_LONG);
            return true;
        }
        if (lf < 0) {
            if (w - r >= maxLineLength) {
                // Already longer than any legal line: drop it now rather than buffer it, answer at its end.
                discardingLongLine = true;
                buf.readerIndex(w);
            }
            return false;
        }
        buf.readerIndex(lf + 1);
        if (lf + 1 - r > maxLineLength) {
            ctx.fireChannelRead(FramingError.LINE_TOO_LONG);
        } else if (lf == r || buf.getByte(lf - 1) != '\r') {
            ctx.fireChannelRead(FramingError.BARE_LF);
        } else {
            ctx.fireChannelRead(buf.retainedSlice(r, lf - 1 - r));
        }
        return true;
    }

    /** Hands on content; true when the end of data was reached (and handed on), so command lines follow. */
    private boolean decodeData() {
        EndOfData end = data.decode(ctx, cumulation);
        if (end == null) {
            return false;
        }
        dataMode = false;
        ctx.fireChannelRead(end);
        return true;
    }
}
