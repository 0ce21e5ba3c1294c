package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads the VOID records a segment opens with (one started after a failed fsync): each names an earlier segment
 * and the offset from which it is void. Read before any segment is replayed, so nothing void is ever replayed.
 */
final class VoidRecords {
    private static final int PAYLOAD = 16;

    private VoidRecords() {
    }

    /** Adds the VOIDs {@code s} opens with to {@code voids}: segment number to the offset from which it is void. */
    static void read(Segment s, Map<Long, Long> voids) throws IOException {
        if (s.version == 1 || s.keyless()) {
            return; // no VOID can be verified there
        }
        CRC32C crc = new CRC32C();
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (true) {
            h.clear();
            if (Segment.readFully(s.channel, h, pos) < RecordHeaders.SIZE) {
                return;
            }
            h.flip();
            RecordHeaders.Header header = s.headers.check(h, pos);
            if (header == null || header.type() != RecordType.VOID || header.length() != PAYLOAD) {
                return;
            }
            ByteBuffer p = ByteBuffer.allocate(PAYLOAD);
            if (Segment.readFully(s.channel, p, pos + RecordHeaders.SIZE) < PAYLOAD) {
                return;
            }
            crc.reset();
            crc.update(p.array(), 0, PAYLOAD);
            if ((int) crc.getValue() != header.payloadCrc()) {
                return;
            }
            voids.merge(p.getLong(0), p.getLong(8), Math::min);
            pos += RecordHeaders.SIZE + PAYLOAD;
        }
    }
}
