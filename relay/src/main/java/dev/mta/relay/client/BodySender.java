package dev.mta.relay.client;

import dev.mta.protocol.codec.DotStuffer;
import dev.mta.queue.MessageBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Streams a queued body to the next hop: read in pieces from the queue's files on a worker thread (never on the
 * event loop), dot-stuffed, written as the socket can take it. The body is never in memory whole.
 */
final class BodySender {
    private static final int PIECE = 64 * 1024;

    private BodySender() {
    }

    /** Completes once all content is written (before the terminating dot). */
    static CompletableFuture<Void> send(SmtpClientConnection c, MessageBody body, Executor reader) {
        return CompletableFuture.runAsync(() -> {
            DotStuffer stuffer = new DotStuffer();
            try (InputStream in = body.openStream()) {
                while (true) {
                    // A fresh array each time: the write below is asynchronous and may still be reading it.
                    byte[] buf = new byte[PIECE];
                    int n = in.readNBytes(buf, 0, PIECE);
                    if (n <= 0) {
                        break;
                    }
                    if (!c.isActive()) {
                        throw new IOException("connection closed during DATA");
                    }
                    ByteBuf piece = Unpooled.wrappedBuffer(buf, 0, n);
                    ByteBuf stuffed = stuffer.stuff(piece, ByteBufAllocator.DEFAULT);
                    piece.release();
                    CompletableFuture<Void> ready = new CompletableFuture<>();
                    c.eventLoop().execute(() -> {
                        c.writeContent(stuffed);
                        c.whenWritable().whenComplete((v, e) -> ready.complete(null));
                    });
                    ready.join();
                }
                if (!stuffer.atLineStart()) {
                    ByteBuf crlf = Unpooled.copiedBuffer("\r\n", StandardCharsets.US_ASCII);
                    c.eventLoop().execute(() -> c.writeContent(crlf));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, reader);
    }
}
