package dev.mta.queue.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Recovery's reader: replays every record that checks out, oldest first, and deals with what does not.
 *
 * <ul>
 *   <li>A record whose header checks out but whose payload does not is skipped alone: its length is trusted.</li>
 *   <li>A header that does not check out (a damaged length, say) means the reader scans forward for the next
 *       genuine header ({@link RecordHeaders}) and goes on from there; only the bytes in between are lost.</li>
 *   <li>Nothing genuine after a bad spot in the last segment is a torn tail, a write the process never finished:
 *       it is cut off, as nothing in it was acknowledged. Anywhere else nothing is ever cut.</li>
 *   <li>A damaged segment is copied to {@code corrupt/} before anything else happens, as Postfix keeps a corrupt
 *       queue; one whose header is unreadable is moved there whole ({@link CorruptDirectory}).</li>
 * </ul>
 * Format-1 segments have no tags, so after damage in them nothing more of that segment can be trusted. Each format
 * has its scan ({@link KeyedSegmentScan}, {@link KeylessSegmentScan}, {@link FormatOneSegmentScan}); this class
 * chooses it, counts and logs the damage they find, and cuts a torn tail. Read-only ({@link RecoveryMode}), it
 * counts and logs the same, and changes nothing: no copy, no cut.
 */
final class SegmentScanner {
    private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);

    private final CorruptDirectory corrupt;
    private final RecoveryMode mode;
    private final SegmentLog.RecordVisitor visitor;
    private final PayloadReader reads = new PayloadReader();
    private final KeyedSegmentScan keyed;
    private final KeylessSegmentScan keyless;
    private final FormatOneSegmentScan formatOne;
    private int segments;
    private int damagedRecords;
    private long damagedBytes;
    private long tornTailBytes;
    private long voidedBytes;

    SegmentScanner(Path dir, SegmentLog.RecordVisitor visitor, RecoveryMode mode) {
        this.corrupt = new CorruptDirectory(dir);
        this.mode = mode;
        this.visitor = visitor;
        this.keyed = new KeyedSegmentScan(this, reads, visitor);
        this.keyless = new KeylessSegmentScan(this, reads, visitor);
        this.formatOne = new FormatOneSegmentScan(this, reads, visitor);
    }

    RecoveryReport report() {
        return new RecoveryReport(segments, damagedRecords, damagedBytes, tornTailBytes, corrupt.setAside(),
                voidedBytes, 0, 0);
    }

    void release() {
        reads.release();
    }

    /** Replays one segment up to {@code voidFrom} (or its end); {@code last} is the segment written last. */
    void scan(Segment s, boolean last, Long voidFrom) throws IOException {
        segments++;
        long end = s.size;
        if (voidFrom != null && voidFrom < end) {
            log.warn("segment {}: {} byte(s) from offset {} are void (an fsync of them failed); not read",
                    s.number, end - voidFrom, voidFrom);
            voidedBytes += end - voidFrom;
            end = voidFrom;
            last = false; // the tail is not torn: it was abandoned on purpose
        }
        if (s.version == 1) {
            formatOne.scan(s, last, end);
        } else if (s.keyless()) {
            keyless.scan(s, end);
        } else {
            keyed.scan(s, last, end);
        }
    }

    /** A record whose header checks out and whose payload does not: skipped, the records around it kept. */
    void damagedRecord(Segment s, long pos, byte type, Location loc, long recordEnd) throws IOException {
        setAside(s);
        damagedRecords++;
        damagedBytes += recordEnd - pos;
        log.error("segment {}: record at offset {} (type {}, {} bytes) fails its checksum; skipped, the "
                + "records around it are kept", s.number, pos, type, loc.length());
        visitor.damagedRecord(type, loc, reads.payload());
    }

    /** Bytes that could not be read as records: lost; the record they began with is named if its start can be read. */
    void lostRange(Segment s, long from, long to) throws IOException {
        setAside(s);
        damagedRecords++;
        damagedBytes += to - from;
        log.error("segment {}: {} unreadable byte(s) at offset {} to {}; records there are lost, the rest is kept",
                s.number, to - from, from, to);
        visitor.lostRange(s.number, from, to);
        int headerSize = s.version == 1 ? FormatOneSegmentScan.HEADER : RecordHeaders.SIZE;
        ByteBuffer start = ByteBuffer.allocate(headerSize + 8);
        if (to - from >= start.capacity() && Segment.readFully(s.channel, start, from) == start.capacity()) {
            visitor.lostRecord(s.number, start.get(8), start.getLong(headerSize)); // the type is at 8 in both formats
        }
    }

    /** Cuts what a crash left half-written at the end of the last segment, keeping a copy of it in corrupt/. */
    void cutTornTail(Segment s, long from) throws IOException {
        long n = s.size - from;
        if (n <= 0) {
            return;
        }
        if (!mode.repairs()) {
            log.warn("segment {}: incomplete record at offset {}, the end of the log ({} byte(s)); not read, and left "
                    + "as it is (read-only)", s.number, from, n);
            tornTailBytes += n;
            return;
        }
        Path copy = corrupt.saveTail(s, from);
        log.warn("segment {}: incomplete record at offset {}, the end of the log (a write cut short by a crash); "
                + "cutting off {} byte(s){}", s.number, from, n, copy == null ? "" : ", kept in " + copy);
        s.channel.truncate(from);
        s.channel.force(true);
        s.size = from;
        tornTailBytes += n;
    }

    /** Copies a damaged segment to corrupt/ once, before anything else is done about it (read-only: never). */
    void setAside(Segment s) throws IOException {
        if (mode.repairs()) {
            corrupt.copy(s);
        }
    }

    /** Moves a segment whose header cannot be read to corrupt/: nothing in it can be verified. */
    Path setAsideWhole(UnreadableSegmentException e) throws IOException {
        Path target = corrupt.moveWhole(e);
        damagedBytes += e.size;
        log.error("{}; moved to {}, its records are lost", e.getMessage(), target);
        return target;
    }
}
