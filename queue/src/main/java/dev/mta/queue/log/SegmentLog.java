package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in numbered segment files ({@link Segment}, {@link RecordHeaders}). Appending,
 * syncing and deleting happen on one thread (the {@link LogWriter}); reads of payloads may come from any thread.
 *
 * <p>A segment is only ever appended to and, once the next one exists, never written again; recovery never cuts
 * anything but the torn tail of the last one ({@link SegmentScanner}). A failed fsync is not retried on the same
 * file (Linux may have dropped the dirty pages, and a later fsync would succeed without them): the segment is
 * sealed, and the next one opens with a VOID record for everything since the last good fsync.
 */
public final class SegmentLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);
    /** No record is larger; a length beyond it is corruption. */
    static final int MAX_PAYLOAD = 64 << 20;
    private static final int WRITE_BUFFER = 256 << 10;

    /** Receives each valid record during recovery, oldest first. The payload is only valid during the call. */
    public interface RecordVisitor {
        /** A record that checks out; {@code format} is its segment's format version (what its payload holds). */
        void record(byte type, Location location, int format, ByteBuf payload) throws IOException;

        /** A record whose header checks out but whose payload does not: skipped. {@code payload} is as read. */
        default void damagedRecord(byte type, Location location, ByteBuf payload) {
        }

        /** Bytes of a segment that could not be read as records: whatever was there is lost. */
        default void lostRange(long segment, long from, long to) {
        }

        /**
         * The record a lost range began with, as far as its damaged header tells: its type and the first 8 bytes of
         * its payload (the queue id, for all but a CHUNK's body). Only probably right: the damage may be there.
         */
        default void lostRecord(long segment, byte probableType, long probableId) {
        }
    }

    /** The end of the log at some moment, to {@link #discardSince} back to. */
    public record Mark(long segment, long offset) {
    }

    private final Path dir;
    private final long segmentSize;
    private final FaultHook faults;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Segment number to the offset from which it is void (an fsync there failed). */
    private final Map<Long, Long> voids = new ConcurrentHashMap<>();
    private final ByteBuf buffer = Unpooled.directBuffer(WRITE_BUFFER);
    private final ByteBuffer header = ByteBuffer.allocate(RecordHeaders.SIZE);
    private final CRC32C crc = new CRC32C();
    private Segment active;
    /** How much of the active segment a successful fsync covers. */
    private long durableEnd;
    private long syncs;
    private RecoveryReport recovery;
    private volatile boolean broken;

    private SegmentLog(Path dir, long segmentSize, FaultHook faults) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.faults = faults;
    }

    /** Opens the log in {@code dir}, replaying every valid record to {@code visitor} (see {@link SegmentScanner}). */
    public static SegmentLog open(Path dir, long segmentSize, FaultHook faults, RecordVisitor visitor) throws IOException {
        Files.createDirectories(dir);
        SegmentLog sl = new SegmentLog(dir, segmentSize, faults);
        SegmentScanner scanner = new SegmentScanner(dir, visitor);
        try {
            sl.recover(scanner);
        } catch (IOException | RuntimeException e) {
            sl.closeSegments();
            sl.buffer.release();
            throw e;
        } finally {
            scanner.release();
        }
        return sl;
    }

    private void recover(SegmentScanner scanner) throws IOException {
        LogRecovery.Result found = LogRecovery.run(dir, scanner, segments, voids);
        recovery = found.report();
        Segment last = found.last();
        if (last != null && last.version == Segment.VERSION && !last.keyless() && last.number == found.highest()) {
            active = last;
            durableEnd = last.size;
        } else {
            // Never append to a format-1 or keyless segment, nor below a file left alone or set aside.
            active = newSegment(found.highest() + 1);
        }
    }

    /** What recovery found. */
    public RecoveryReport recovery() {
        return recovery;
    }

    private Segment newSegment(long number) throws IOException {
        Segment s = Segment.create(dir, number);
        try {
            s.channel.force(true);
            syncDirectory();
        } catch (IOException e) {
            s.close();
            Files.deleteIfExists(s.path);
            throw e;
        }
        segments.put(number, s);
        return s;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    // ---- writer thread ----------------------------------------------------------------------------------------

    /**
     * Appends one record (not yet durable: see {@link #sync()}). Does not take ownership of {@code payload}.
     * Never starts a new segment: {@link #rollIfFull()} does, between batches, so one batch lies in one segment.
     */
    public Location append(byte type, ByteBuf payload) throws IOException {
        if (broken) {
            throw new IOException("the queue cannot write: an earlier fsync failure could not be recovered from");
        }
        int length = payload.readableBytes();
        if (length > MAX_PAYLOAD) {
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
    public void flush() throws IOException {
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

    /**
     * Makes everything appended so far durable: one fsync, whatever the number of records. A failed fsync throws
     * {@link FsyncFailedException}; the caller then must {@link #discardSince} before writing on.
     */
    public void sync() throws IOException {
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

    /** Starts the next segment when the active one has reached its size; call between batches. */
    public void rollIfFull() throws IOException {
        if (active.size + buffer.readableBytes() >= segmentSize) {
            sync();
            active = newSegment(active.number + 1);
            durableEnd = active.size;
        }
    }

    /** The end of the log right now. */
    public Mark mark() {
        return new Mark(active.number, active.size + buffer.readableBytes());
    }

    /**
     * Makes sure nothing appended after {@code mark} can come back at recovery, after {@code cause} failed a batch.
     * A failed write is cut off and the cut fsynced. A failed fsync (or a cut that cannot be made durable) seals
     * the segment: the next one opens with a fsynced VOID record for everything since the last good fsync.
     *
     * @return true when the log moved to a new segment (what the batch replaced must be written again there)
     * @throws IOException when even that failed: the log is broken and refuses every append from now on
     */
    public boolean discardSince(Mark mark, Exception cause) throws IOException {
        buffer.clear();
        boolean fsyncFailed = cause instanceof FsyncFailedException;
        if (mark == null && !fsyncFailed) {
            return false; // failed before the batch wrote anything (starting a segment on a full disk, say)
        }
        if (!fsyncFailed && mark.segment() == active.number) {
            try {
                if (active.channel.size() > mark.offset()) {
                    active.channel.truncate(mark.offset());
                }
                active.size = Math.min(active.size, mark.offset());
                faults.beforeFsync(active.number, active.channel, durableEnd, active.size);
                active.channel.force(false);
                durableEnd = active.size;
                return false;
            } catch (IOException e) {
                log.error("segment {}: could not cut off a failed write durably: {}", active.number, e.toString());
            }
        }
        abandonActive();
        return true;
    }

    private void abandonActive() throws IOException {
        Segment old = active;
        long from = durableEnd;
        voids.put(old.number, from);
        try {
            active = newSegment(old.number + 1);
            durableEnd = active.size;
            ByteBuf p = Unpooled.buffer(16).writeLong(old.number).writeLong(from);
            try {
                append(RecordType.VOID, p);
            } finally {
                p.release();
            }
            sync();
        } catch (IOException e) {
            broken = true;
            buffer.clear();
            throw e;
        }
        log.error("segment {}: fsync failed; sealed it, everything from offset {} is void, writing on in segment {}",
                old.number, from, active.number);
    }

    /** Whether a location lies where a failed fsync made the log void: nothing there may be acknowledged. */
    public boolean isVoided(Location loc) {
        Long from = voids.get(loc.segment());
        return from != null && loc.offset() >= from;
    }

    /** False once a failure could not be recovered from: every append fails. */
    public boolean isWritable() {
        return !broken;
    }

    /** The number of the segment appends go to. */
    public long activeSegment() {
        return active.number;
    }

    /** The oldest segment still on disk. */
    public long oldestSegment() {
        return segments.firstKey();
    }

    /** Deletes a segment that holds nothing live any more; never the active one. */
    public void delete(long number) throws IOException {
        if (number == active.number) {
            return;
        }
        Segment s = segments.remove(number);
        if (s != null) {
            s.close();
            Files.deleteIfExists(s.path);
            voids.remove(number);
        }
    }

    /** fsyncs done since opening. */
    public long syncCount() {
        return syncs;
    }

    /** Segments on disk and their total size in bytes. */
    public long diskBytes() {
        long total = 0;
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            total += e.getValue().size;
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    /** The format version of a segment's records (what their payloads hold). */
    public int formatOf(long segment) throws IOException {
        Segment s = segments.get(segment);
        if (s == null) {
            throw new IOException("segment " + segment + " is gone");
        }
        return s.version;
    }

    /** Reads {@code length} bytes of a record's payload from {@code from} into {@code dst}. */
    public void read(Location loc, long from, ByteBuffer dst) throws IOException {
        Segment s = segments.get(loc.segment());
        if (s == null) {
            throw new IOException("segment " + loc.segment() + " is gone");
        }
        int want = dst.remaining();
        if (SegmentScanner.readFully(s.channel, dst, loc.offset() + from) < want) {
            throw new IOException("short read in segment " + loc.segment());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!broken) {
                flush();
                active.channel.force(false);
            }
        } finally {
            buffer.release();
            closeSegments();
        }
    }

    private void closeSegments() throws IOException {
        for (Segment s : segments.values()) {
            s.close();
        }
    }
}
