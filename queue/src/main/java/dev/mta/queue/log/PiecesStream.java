package dev.mta.queue.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads pieces of records in order, straight from the log: a message's body, as chunks and the part its MESSAGE
 * record holds. Blocks on the disk: use it from a thread that may.
 */
public final class PiecesStream extends InputStream {
    private final SegmentLog log;
    /** segment, offset, length for each piece, in order. */
    private final long[] pieces;
    private int piece;
    private long done;

    public PiecesStream(SegmentLog log, long[] pieces) {
        this.log = log;
        this.pieces = pieces;
    }

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
}
