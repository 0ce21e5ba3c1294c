package dev.mta.queue.log;

import dev.mta.queue.log.PiecesStream;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.model.MessageContent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** A queued message's content, read straight from the log in pieces; never held whole by the queue. */
public final class MessageBody implements MessageContent {
    private final SegmentLog log;
    /** segment, offset, length for each piece, in order. */
    private final long[] pieces;
    private final long length;

    private MessageBody(SegmentLog log, long[] pieces, long length) {
        this.log = log;
        this.pieces = pieces;
        this.length = length;
    }

    /** The body whose pieces (segment, offset, length each, in order) lie in {@code log}; made by the queue. */
    public static MessageBody of(SegmentLog log, long[] pieces, long length) {
        return new MessageBody(log, pieces, length);
    }

    @Override
    public long length() {
        return length;
    }

    /** Reads the body sequentially; call from a thread that may block on the disk. */
    @Override
    public InputStream openStream() {
        return new PiecesStream(log, pieces);
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
