package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Replays a segment whose records carry keyed tags (format 2 and later). A record whose header checks out but whose
 * payload does not is skipped alone: its length is trusted. A header that does not check out means the scan looks
 * forward for the next genuine header ({@link RecordHeaders}) and goes on from there; only the bytes in between are
 * lost, and nothing genuine after a bad spot in the last segment is a torn tail.
 */
final class KeyedSegmentScan {
    private static final int SCAN_BLOCK = 64 << 10;

    private final SegmentScanner scanner;
    private final PayloadReader reads;
    private final SegmentLog.RecordVisitor visitor;

    KeyedSegmentScan(SegmentScanner scanner, PayloadReader reads, SegmentLog.RecordVisitor visitor) {
        this.scanner = scanner;
        this.reads = reads;
        this.visitor = visitor;
    }

    void scan(Segment s, boolean last, long end) throws IOException {
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (pos < end) {
            h.clear();
            RecordHeaders.Header header = null;
            if (Segment.readFully(s.channel, h, pos) == RecordHeaders.SIZE) {
                h.flip();
                header = s.headers.check(h, pos);
            }
            long recordEnd = header == null ? -1 : pos + RecordHeaders.SIZE + (long) header.length();
            if (header != null && header.length() >= 0 && header.length() <= SegmentLog.MAX_PAYLOAD && recordEnd <= end) {
                Location loc = new Location(s.number, pos + RecordHeaders.SIZE, header.length());
                if (reads.read(s, loc) && reads.crc() == header.payloadCrc()) {
                    visitor.record(header.type(), loc, s.version, reads.payload());
                } else {
                    scanner.damagedRecord(s, pos, header.type(), loc, recordEnd);
                }
                pos = recordEnd;
                continue;
            }
            long next = nextGenuineHeader(s, pos + 1, end);
            if (next < 0) {
                if (last) {
                    scanner.cutTornTail(s, pos);
                } else {
                    scanner.lostRange(s, pos, end);
                }
                return;
            }
            scanner.lostRange(s, pos, next);
            pos = next;
        }
    }

    /** The offset of the next header that checks out at or after {@code from}, or -1. */
    private static long nextGenuineHeader(Segment s, long from, long end) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(SCAN_BLOCK + RecordHeaders.SIZE);
        long base = from;
        while (base + RecordHeaders.SIZE <= end) {
            block.clear();
            block.limit((int) Math.min(block.capacity(), end - base));
            int n = Segment.readFully(s.channel, block, base);
            for (int i = 0; i + RecordHeaders.SIZE <= n; i++) {
                if (block.getInt(i) == RecordHeaders.MAGIC) {
                    ByteBuffer candidate = block.duplicate().position(i).limit(i + RecordHeaders.SIZE);
                    if (s.headers.check(candidate, base + i) != null) {
                        return base + i;
                    }
                }
            }
            // Overlap by a header's length so that none straddling two blocks is missed.
            base += Math.max(1, n - RecordHeaders.SIZE + 1);
        }
        return -1;
    }
}
