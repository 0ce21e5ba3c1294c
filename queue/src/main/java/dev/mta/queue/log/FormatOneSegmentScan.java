package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Replays a format-1 segment (read and drained, never written): records of length, CRC32C of type and payload,
 * type. They have no tags, so after damage nothing more of the segment can be trusted.
 */
final class FormatOneSegmentScan {
    /** A format-1 record header: length, checksum, type. */
    static final int HEADER = 9;

    private final SegmentScanner scanner;
    private final PayloadReader reads;
    private final SegmentLog.RecordVisitor visitor;

    FormatOneSegmentScan(SegmentScanner scanner, PayloadReader reads, SegmentLog.RecordVisitor visitor) {
        this.scanner = scanner;
        this.reads = reads;
        this.visitor = visitor;
    }

    void scan(Segment s, boolean last, long end) throws IOException {
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        while (pos < end) {
            h.clear();
            boolean ok = false;
            int length = 0;
            if (Segment.readFully(s.channel, h, pos) == HEADER) {
                h.flip();
                length = h.getInt();
                int expected = h.getInt();
                byte type = h.get();
                if (length >= 0 && length <= SegmentLog.MAX_PAYLOAD && pos + HEADER + length <= end) {
                    Location loc = new Location(s.number, pos + HEADER, length);
                    if (reads.read(s, loc) && reads.crcWithType(type) == expected) {
                        visitor.record(type, loc, s.version, reads.payload());
                        ok = true;
                    }
                }
            }
            if (!ok) {
                // Format 1 has nothing to resynchronise on: the rest of this segment cannot be trusted.
                if (last) {
                    scanner.cutTornTail(s, pos);
                } else {
                    scanner.lostRange(s, pos, end);
                }
                return;
            }
            pos += HEADER + length;
        }
    }
}
