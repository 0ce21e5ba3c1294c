package dev.mta.relay.transport.smtp;

import dev.mta.protocol.codec.DotStuffer;
import dev.mta.queue.model.MessageContent;
import dev.mta.relay.transport.LoadedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Streams a queued body to the next hop: each piece is read from the queue's files and dot-stuffed on a reader
 * thread (never on the event loop), written on the event loop, and the next piece is read once the socket can take
 * more. No thread waits for the socket, so a next hop that stops reading holds none: when it takes no more within
 * the data block timeout, the connection is closed and the send fails. The body is never in memory whole.
 */
final class BodySender {
    private static final int PIECE = 64 * 1024;

    private final SmtpClientConnection c;
    private final MessageContent body;
    private final Executor reader;
    private final DotStuffer stuffer = new DotStuffer();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Touched by one step at a time: each step starts the next, on the reader or the event loop. */
    private InputStream in;
    /** Bytes of the body read so far. */
    private long read;

    private BodySender(SmtpClientConnection c, MessageContent body, Executor reader) {
        this.c = c;
        this.body = body;
        this.reader = reader;
    }

    /**
     * Completes once all content is written (before the terminating dot); fails when the peer stops taking it.
     * Content already in memory is stuffed and written at once, unflushed, on the event loop (call it from there):
     * the final dot flushes it, so a small message leaves in one write.
     */
    static CompletableFuture<Void> send(SmtpClientConnection c, MessageContent body, Executor reader) {
        if (body instanceof LoadedContent whole) {
            return sendWhole(c, whole);
        }
        BodySender s = new BodySender(c, body, reader);
        s.onReader(s::readPiece);
        return s.done;
    }

    /** Event loop: the whole content, stuffed, written without a flush; it ends with CRLF. */
    private static CompletableFuture<Void> sendWhole(SmtpClientConnection c, LoadedContent whole) {
        if (!c.isActive()) {
            return CompletableFuture.failedFuture(new IOException("connection closed during DATA"));
        }
        DotStuffer stuffer = new DotStuffer();
        ByteBuf in = Unpooled.wrappedBuffer(whole.bytes());
        ByteBuf stuffed = stuffer.stuff(in, ByteBufAllocator.DEFAULT);
        in.release();
        if (!stuffer.atLineStart()) {
            stuffed = Unpooled.wrappedBuffer(stuffed, lineEnd());
        }
        c.writeContentUnflushed(stuffed);
        return CompletableFuture.completedFuture(null);
    }

    /** Reader thread: the next piece, stuffed, handed to the event loop; or the end of the body. */
    private void readPiece() {
        ByteBuf stuffed;
        try {
            if (in == null) {
                in = body.openStream();
            }
            // A fresh pooled buffer each time (the write is asynchronous and may still be reading the last one),
            // sized to what is left: most messages are far smaller than a piece.
            int size = (int) Math.max(1, Math.min(PIECE, body.length() - read));
            ByteBuf piece = ByteBufAllocator.DEFAULT.heapBuffer(size);
            int n;
            try {
                n = fill(piece, size);
            } catch (IOException | RuntimeException e) {
                piece.release();
                throw e;
            }
            read += Math.max(n, 0);
            if (n <= 0) {
                piece.release();
                closeStream();
                boolean endsLine = stuffer.atLineStart();
                onLoop(() -> end(endsLine), null);
                return;
            }
            stuffed = stuffer.stuff(piece, ByteBufAllocator.DEFAULT);
            piece.release();
        } catch (IOException | RuntimeException e) {
            closeStream();
            done.completeExceptionally(e);
            return;
        }
        onLoop(() -> write(stuffed), stuffed);
    }

    /** Event loop: writes a piece; the next is read when the socket has room again. */
    private void write(ByteBuf stuffed) {
        if (!c.isActive()) {
            stuffed.release();
            fail(new IOException("connection closed during DATA"));
            return;
        }
        c.writeContent(stuffed);
        c.whenWritable().whenComplete((v, e) -> {
            if (e != null) {
                fail(e);
            } else {
                onReader(this::readPiece);
            }
        });
    }

    /** Reads up to {@code size} bytes of the body into {@code piece}; fewer only at its end. */
    private int fill(ByteBuf piece, int size) throws IOException {
        int n = 0;
        while (n < size) {
            int got = piece.writeBytes(in, size - n);
            if (got <= 0) {
                break;
            }
            n += got;
        }
        return n;
    }

    /** Event loop: the content must end with CRLF before the final dot. */
    private void end(boolean endsLine) {
        if (!c.isActive()) {
            done.completeExceptionally(new IOException("connection closed during DATA"));
            return;
        }
        if (!endsLine) {
            c.writeContent(lineEnd());
        }
        done.complete(null);
    }

    /** The CRLF a body that does not end with one needs before the final dot. */
    private static ByteBuf lineEnd() {
        return Unpooled.copiedBuffer("\r\n", StandardCharsets.US_ASCII);
    }

    private void fail(Throwable e) {
        try {
            // The stream is closed on the reader, away from the event loop.
            reader.execute(() -> {
                closeStream();
                done.completeExceptionally(e);
            });
        } catch (RejectedExecutionException rejected) {
            closeStream();
            done.completeExceptionally(e);
        }
    }

    private void onReader(Runnable step) {
        try {
            reader.execute(step);
        } catch (RejectedExecutionException e) {
            closeStream();
            done.completeExceptionally(e);
        }
    }

    private void onLoop(Runnable step, ByteBuf carried) {
        try {
            c.eventLoop().execute(step);
        } catch (RejectedExecutionException e) {
            if (carried != null) {
                carried.release();
            }
            done.completeExceptionally(e);
        }
    }

    private void closeStream() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Only read from; nothing is lost.
            }
            in = null;
        }
    }
}
