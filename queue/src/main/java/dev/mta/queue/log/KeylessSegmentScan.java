package dev.mta.queue.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Replays a segment whose key went with both header copies: its records are walked in order by their lengths, each
 * checked by magic and payload CRC, up to the first that does not check out. Scanning past damage is what the key
 * makes safe, so without it the rest of the segment is given up; nothing in it is cut.
 */
final class KeylessSegmentScan {
    /** Logged as the scanner's own lines, as before this was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);

    private final SegmentScanner scanner;
    private final PayloadReader reads;
    private final SegmentLog.RecordVisitor visitor;

    KeylessSegmentScan(SegmentScanner scanner, PayloadReader reads, SegmentLog.RecordVisitor visitor) {
        this.scanner = scanner;
        this.reads = reads;
        this.visitor = visitor;
    }

    void scan(Segment s, long end) throws IOException {
        scanner.setAside(s);
        log.error("segment {}: both header copies are damaged; reading its records in order without their tags",
                s.number);
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (pos < end) {
            h.clear();
            boolean ok = false;
            int length = 0;
            if (Segment.readFully(s.channel, h, pos) == RecordHeaders.SIZE && h.getInt(0) == RecordHeaders.MAGIC) {
                length = h.getInt(4);
                if (length >= 0 && length <= SegmentLog.MAX_PAYLOAD && pos + RecordHeaders.SIZE + length <= end) {
                    Location loc = new Location(s.number, pos + RecordHeaders.SIZE, length);
                    if (reads.read(s, loc) && reads.crc() == h.getInt(9)) {
                        visitor.record(h.get(8), loc, s.version, reads.payload());
                        ok = true;
                    }
                }
            }
            if (!ok) {
                scanner.lostRange(s, pos, end);
                return;
            }
            pos += RecordHeaders.SIZE + length;
        }
    }
}
