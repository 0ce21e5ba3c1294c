package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Appends records to the active segment (writer thread only): framing them ({@link RecordHeaders}), buffering,
 * writing to the file, fsync, and how much of the segment a good fsync covers. A failed write is cut back to the
 * file's last good end. Once a failure could not be made safe it refuses every append.
 */
final class SegmentAppender {
    private static final int WRITE_BUFFER = 256 << 10;

    private final FaultHook faults;
    private final ByteBuf buffer = Unpooled.directBuffer(WRITE_BUFFER);
    private final ByteBuffer header = ByteBuffer.allocate(RecordHeaders.SIZE);
    private final CRC32C crc = new CRC32C();
    private Segment active;
    /** How much of the active segment a successful fsync covers. */
    private long durableEnd;
    private long syncs;
    private volatile boolean broken;

    SegmentAppender(FaultHook faults) {
        this.faults = faults;
    }

    /** Appends go to {@code s} from now on; everything in it so far counts as durable. */
    void switchTo(Segment s) {
        active = s;
        durableEnd = s.size;
    }

    Segment segment() {
        return active;
    }

    long durableEnd() {
        return durableEnd;
    }

    /** Where the next record would begin: the file's end plus what is buffered. */
    long end() {
        return active.size + buffer.readableBytes();
    }

    /** Appends one record (not yet durable). Does not take ownership of {@code payload}. */
    Location append(byte type, ByteBuf payload) throws IOException {
        if (broken) {
            throw new IOException("the queue cannot write: an earlier fsync failure could not be recovered from");
        }
        int length = payload.readableBytes();
        if (length > SegmentLog.MAX_PAYLOAD) {
            throw new IOException("record of " + length + " bytes is too large");
        }
        long recordSize = RecordHeaders.SIZE + (long) length;
        crc.reset();
        for (ByteBuffer b : payload.nioBuffers()) {
            crc.update(b);
        }
        if (buffer.writableBytes() < recordSize) {
            flush();
        }
        long offset = active.size + buffer.readableBytes();
        header.clear();
        active.headers.write(header, offset, length, type, (int) crc.getValue());
        header.flip();
        if (buffer.writableBytes() >= recordSize) {
            buffer.writeBytes(header);
            buffer.writeBytes(payload, payload.readerIndex(), length);
        } else {
            // Too large for the buffer: header and payload go straight to the file.
            ByteBuffer[] parts = payload.nioBuffers();
            ByteBuffer[] all = new ByteBuffer[parts.length + 1];
            all[0] = header;
            System.arraycopy(parts, 0, all, 1, parts.length);
            writeAt(all, recordSize);
        }
        return new Location(active.number, offset + RecordHeaders.SIZE, length);
    }

    /** Writes buffered records to the file (page cache). On failure the file is cut back to its last good end. */
    void flush() throws IOException {
        if (buffer.isReadable()) {
            try {
                writeAt(new ByteBuffer[]{buffer.nioBuffer()}, buffer.readableBytes());
            } finally {
                buffer.clear();
            }
        }
    }

    private void writeAt(ByteBuffer[] data, long total) throws IOException {
        long start = active.size;
        try {
            active.channel.position(start);
            long written = 0;
            while (written < total) {
                written += active.channel.write(data);
            }
            active.size = start + total;
        } catch (IOException e) {
            try {
                active.channel.truncate(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            active.size = start;
            throw e;
        }
    }

    /** Flushes and fsyncs once; a failed fsync throws {@link FsyncFailedException}. */
    void sync() throws IOException {
        flush();
        try {
            faults.beforeFsync(active.number, active.channel, durableEnd, active.size);
            active.channel.force(false);
        } catch (IOException e) {
            throw new FsyncFailedException(active.number, e);
        }
        durableEnd = active.size;
        syncs++;
    }

    /** Cuts the active segment back to {@code offset} and fsyncs the cut. */
    void cutBackDurably(long offset) throws IOException {
        if (active.channel.size() > offset) {
            active.channel.truncate(offset);
        }
        active.size = Math.min(active.size, offset);
        faults.beforeFsync(active.number, active.channel, durableEnd, active.size);
        active.channel.force(false);
        durableEnd = active.size;
    }

    /** From now on every append fails: a failure could not be made safe. */
    void breakDown() {
        broken = true;
        buffer.clear();
    }

    boolean isBroken() {
        return broken;
    }

    /** Forgets what is buffered and not yet written. */
    void dropBuffered() {
        buffer.clear();
    }

    /** Flushes and fsyncs at close (not counted as a sync). */
    void flushAndForce() throws IOException {
        flush();
        active.channel.force(false);
    }

    /** fsyncs done since opening. */
    long syncCount() {
        return syncs;
    }

    void release() {
        buffer.release();
    }
}
