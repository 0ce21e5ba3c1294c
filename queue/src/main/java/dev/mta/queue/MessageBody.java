package dev.mta.queue;

import dev.mta.queue.log.Location;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.model.MessageContent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A queued message's content, read straight from the log in pieces; never held whole by the queue. */
public final class MessageBody implements MessageContent {
    private final SegmentLog log;
    /** segment, offset, length for each piece, in order. */
    private final long[] pieces;
    private final long length;

    MessageBody(SegmentLog log, long[] pieces, long length) {
        this.log = log;
        this.pieces = pieces;
        this.length = length;
    }

    static MessageBody of(SegmentLog log, QueuedMessage m) {
        long[] pieces = new long[m.chunks.length + 3];
        System.arraycopy(m.chunks, 0, pieces, 0, m.chunks.length);
        pieces[m.chunks.length] = m.record.segment();
        pieces[m.chunks.length + 1] = m.record.offset() + m.inlineOffset;
        pieces[m.chunks.length + 2] = m.inlineLength;
        return new MessageBody(log, pieces, m.bodyLength);
    }

    @Override
    public long length() {
        return length;
    }

    /** Reads the body sequentially; call from a thread that may block on the disk. */
    @Override
    public InputStream openStream() {
        return new InputStream() {
            private int piece;
            private long done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (piece < pieces.length && done >= pieces[piece + 2]) {
                    piece += 3;
                    done = 0;
                }
                if (piece >= pieces.length) {
                    return -1;
                }
                int n = (int) Math.min(len, pieces[piece + 2] - done);
                Location loc = new Location(pieces[piece], pieces[piece + 1], (int) pieces[piece + 2]);
                log.read(loc, done, ByteBuffer.wrap(b, off, n));
                done += n;
                return n;
            }
        };
    }

    /** The whole body; for tests and tools, not the relay's hot path. */
    public byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE - 8));
        try (InputStream in = openStream()) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }
}
