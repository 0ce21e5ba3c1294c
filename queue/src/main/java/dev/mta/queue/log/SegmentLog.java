package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An append-only log of records in numbered segment files ({@link Segment}, {@link RecordHeaders}). Appending,
 * syncing and deleting happen on one thread (the {@link LogWriter}); reads of payloads may come from any thread.
 *
 * <p>A segment is only ever appended to and, once the next one exists, never written again; recovery never cuts
 * anything but the torn tail of the last one ({@link SegmentScanner}). A failed fsync is not retried on the same
 * file (Linux may have dropped the dirty pages, and a later fsync would succeed without them): the segment is
 * sealed, and the next one opens with a VOID record for everything since the last good fsync
 * ({@link FailedBatchDiscard}). The files are kept by {@link SegmentFiles}, appends made by {@link SegmentAppender}.
 */
public final class SegmentLog implements AutoCloseable {
    /** No record is larger; a length beyond it is corruption. */
    static final int MAX_PAYLOAD = 64 << 20;

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

    private final long segmentSize;
    private final SegmentFiles files;
    private final SegmentAppender appender;
    private final FailedBatchDiscard discard;
    private RecoveryReport recovery;
    /** Failures that voided the log back to the last good fsync; written by the writer thread only. */
    private long voids;

    private SegmentLog(Path dir, long segmentSize, FaultHook faults) {
        this.segmentSize = segmentSize;
        this.files = new SegmentFiles(dir);
        this.appender = new SegmentAppender(faults);
        this.discard = new FailedBatchDiscard(files, appender);
    }

    /** Opens the log in {@code dir}, replaying every valid record to {@code visitor} (see {@link SegmentScanner}). */
    public static SegmentLog open(Path dir, long segmentSize, FaultHook faults, RecordVisitor visitor) throws IOException {
        SpoolDirectory.create(dir);
        return open(dir, segmentSize, faults, visitor, RecoveryMode.REPAIR);
    }

    /**
     * Opens the log in {@code dir} to read only, replaying every valid record to {@code visitor} as {@link #open}
     * does, but writing nothing: files are opened for reading, nothing is cut, copied, moved or created, and nothing
     * can be appended. For reading the spool of a server that is not running (the queue tool); the caller holds no
     * lock, so a server that starts meanwhile may change the files under it.
     */
    public static SegmentLog openReadOnly(Path dir, RecordVisitor visitor) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no spool directory");
        }
        return open(dir, Long.MAX_VALUE, FaultHook.NONE, visitor, RecoveryMode.READ_ONLY);
    }

    private static SegmentLog open(Path dir, long segmentSize, FaultHook faults, RecordVisitor visitor,
                                   RecoveryMode mode) throws IOException {
        SegmentLog sl = new SegmentLog(dir, segmentSize, faults);
        SegmentScanner scanner = new SegmentScanner(dir, visitor, mode);
        try {
            sl.recover(scanner, mode);
        } catch (IOException | RuntimeException e) {
            sl.files.closeAll();
            sl.appender.release();
            throw e;
        } finally {
            scanner.release();
        }
        return sl;
    }

    private void recover(SegmentScanner scanner, RecoveryMode mode) throws IOException {
        LogRecovery.Result found = LogRecovery.run(files.dir(), scanner, files.segments(), files.voids(), mode);
        recovery = found.report();
        if (!mode.repairs()) {
            return; // nothing is appended to a log opened to read
        }
        Segment last = found.last();
        if (last != null && last.version == Segment.VERSION && !last.keyless() && last.number == found.highest()) {
            appender.switchTo(last);
        } else {
            // Never append to a format-1 or keyless segment, nor below a file left alone or set aside.
            appender.switchTo(files.create(found.highest() + 1));
        }
    }

    /** What recovery found. */
    public RecoveryReport recovery() {
        return recovery;
    }

    // ---- writer thread ----------------------------------------------------------------------------------------

    /**
     * Appends one record (not yet durable: see {@link #sync()}). Does not take ownership of {@code payload}.
     * Never starts a new segment: {@link #rollIfFull()} does, between batches, so one batch lies in one segment.
     */
    public Location append(byte type, ByteBuf payload) throws IOException {
        return appender.append(type, payload);
    }

    /** Writes buffered records to the file (page cache). On failure the file is cut back to its last good end. */
    public void flush() throws IOException {
        appender.flush();
    }

    /**
     * Makes everything appended so far durable: one fsync, whatever the number of records. A failed fsync throws
     * {@link FsyncFailedException}; the caller then must {@link #discardSince} before writing on.
     */
    public void sync() throws IOException {
        appender.sync();
    }

    /** Starts the next segment when the active one has reached its size; call between batches. */
    public void rollIfFull() throws IOException {
        if (appender.end() >= segmentSize) {
            appender.sync();
            appender.switchTo(files.create(appender.segment().number + 1));
        }
    }

    /** The end of the log right now. */
    public Mark mark() {
        return new Mark(appender.segment().number, appender.end());
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
        boolean moved = discard.discardSince(mark, cause);
        if (moved) {
            voids++;
        }
        return moved;
    }

    /**
     * How many times a failure moved the log to a new segment, voiding what was written since the last good fsync
     * ({@link #discardSince} returned true): the writer learns from it that records it wrote without an fsync, before
     * someone else's failure (relocation's), must be written again.
     */
    public long voids() {
        return voids;
    }

    /** Whether a location lies where a failed fsync made the log void: nothing there may be acknowledged. */
    public boolean isVoided(Location loc) {
        return files.isVoided(loc);
    }

    /** False once a failure could not be recovered from: every append fails. */
    public boolean isWritable() {
        return !appender.isBroken();
    }

    /** The number of the segment appends go to. */
    public long activeSegment() {
        return appender.segment().number;
    }

    /** The oldest segment still on disk. */
    public long oldestSegment() {
        return files.oldest();
    }

    /** Deletes a segment that holds nothing live any more; never the active one. */
    public void delete(long number) throws IOException {
        if (number == appender.segment().number) {
            return;
        }
        files.delete(number);
    }

    /** fsyncs done since opening. */
    public long syncCount() {
        return appender.syncCount();
    }

    /** Segments on disk and their total size in bytes. */
    public long diskBytes() {
        return files.diskBytes();
    }

    public int segmentCount() {
        return files.count();
    }

    // ---- any thread -------------------------------------------------------------------------------------------

    /** The format version of a segment's records (what their payloads hold). */
    public int formatOf(long segment) throws IOException {
        return files.formatOf(segment);
    }

    /** Reads {@code length} bytes of a record's payload from {@code from} into {@code dst}. */
    public void read(Location loc, long from, ByteBuffer dst) throws IOException {
        files.read(loc, from, dst);
    }

    @Override
    public void close() throws IOException {
        try {
            if (!appender.isBroken() && appender.segment() != null) {
                appender.flushAndForce();
            }
        } finally {
            appender.release();
            files.closeAll();
        }
    }
}
