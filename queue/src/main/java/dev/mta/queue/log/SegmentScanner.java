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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

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
 *       queue; one whose header is unreadable is moved there whole.</li>
 * </ul>
 * Format-1 segments have no tags, so after damage in them nothing more of that segment can be trusted.
 */
final class SegmentScanner {
    private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);
    private static final int V1_HEADER = 9;
    private static final int SCAN_BLOCK = 64 << 10;

    private final Path corruptDir;
    private final SegmentLog.RecordVisitor visitor;
    private final CRC32C crc = new CRC32C();
    private final Set<Long> copied = new HashSet<>();
    private ByteBuf payload = Unpooled.buffer(64 << 10);
    private int segments;
    private int damagedRecords;
    private long damagedBytes;
    private long tornTailBytes;
    private int setAside;
    private long voidedBytes;

    SegmentScanner(Path dir, SegmentLog.RecordVisitor visitor) {
        this.corruptDir = dir.resolve("corrupt");
        this.visitor = visitor;
    }

    RecoveryReport report() {
        return new RecoveryReport(segments, damagedRecords, damagedBytes, tornTailBytes, setAside, voidedBytes, 0, 0);
    }

    void release() {
        payload.release();
    }

    /** Reads the VOID records a segment opens with: segment number to the offset from which it is void. */
    void readVoids(Segment s, Map<Long, Long> voids) throws IOException {
        if (s.version == 1 || s.keyless()) {
            return; // no VOID can be verified there
        }
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (true) {
            h.clear();
            if (readFully(s.channel, h, pos) < RecordHeaders.SIZE) {
                return;
            }
            h.flip();
            RecordHeaders.Header header = s.headers.check(h, pos);
            if (header == null || header.type() != RecordType.VOID || header.length() != 16) {
                return;
            }
            ByteBuffer p = ByteBuffer.allocate(16);
            if (readFully(s.channel, p, pos + RecordHeaders.SIZE) < 16 || crc(p.array(), 16) != header.payloadCrc()) {
                return;
            }
            voids.merge(p.getLong(0), p.getLong(8), Math::min);
            pos += RecordHeaders.SIZE + 16;
        }
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
            scanV1(s, last, end);
        } else if (s.keyless()) {
            scanKeyless(s, end);
        } else {
            scanV2(s, last, end);
        }
    }

    private void scanV2(Segment s, boolean last, long end) throws IOException {
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (pos < end) {
            h.clear();
            RecordHeaders.Header header = null;
            if (readFully(s.channel, h, pos) == RecordHeaders.SIZE) {
                h.flip();
                header = s.headers.check(h, pos);
            }
            long recordEnd = header == null ? -1 : pos + RecordHeaders.SIZE + (long) header.length();
            if (header != null && header.length() >= 0 && header.length() <= SegmentLog.MAX_PAYLOAD && recordEnd <= end) {
                Location loc = new Location(s.number, pos + RecordHeaders.SIZE, header.length());
                if (readPayload(s, loc) && crc(payload) == header.payloadCrc()) {
                    visitor.record(header.type(), loc, s.version, payload);
                } else {
                    setAside(s);
                    damagedRecords++;
                    damagedBytes += recordEnd - pos;
                    log.error("segment {}: record at offset {} (type {}, {} bytes) fails its checksum; skipped, the "
                            + "records around it are kept", s.number, pos, header.type(), header.length());
                    visitor.damagedRecord(header.type(), loc, payload);
                }
                pos = recordEnd;
                continue;
            }
            long next = nextGenuineHeader(s, pos + 1, end);
            if (next < 0) {
                if (last) {
                    cutTornTail(s, pos);
                } else {
                    lostRange(s, pos, end);
                }
                return;
            }
            lostRange(s, pos, next);
            pos = next;
        }
    }

    /** The offset of the next header that checks out at or after {@code from}, or -1. */
    private long nextGenuineHeader(Segment s, long from, long end) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(SCAN_BLOCK + RecordHeaders.SIZE);
        long base = from;
        while (base + RecordHeaders.SIZE <= end) {
            block.clear();
            block.limit((int) Math.min(block.capacity(), end - base));
            int n = readFully(s.channel, block, base);
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

    /**
     * A segment whose key went with both header copies: its records are walked in order by their lengths, each
     * checked by magic and payload CRC, up to the first that does not check out. Scanning past damage is what the
     * key makes safe, so without it the rest of the segment is given up; nothing in it is cut.
     */
    private void scanKeyless(Segment s, long end) throws IOException {
        setAside(s);
        log.error("segment {}: both header copies are damaged; reading its records in order without their tags",
                s.number);
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(RecordHeaders.SIZE);
        while (pos < end) {
            h.clear();
            boolean ok = false;
            int length = 0;
            if (readFully(s.channel, h, pos) == RecordHeaders.SIZE && h.getInt(0) == RecordHeaders.MAGIC) {
                length = h.getInt(4);
                if (length >= 0 && length <= SegmentLog.MAX_PAYLOAD && pos + RecordHeaders.SIZE + length <= end) {
                    Location loc = new Location(s.number, pos + RecordHeaders.SIZE, length);
                    if (readPayload(s, loc) && crc(payload) == h.getInt(9)) {
                        visitor.record(h.get(8), loc, s.version, payload);
                        ok = true;
                    }
                }
            }
            if (!ok) {
                lostRange(s, pos, end);
                return;
            }
            pos += RecordHeaders.SIZE + length;
        }
    }

    private void scanV1(Segment s, boolean last, long end) throws IOException {
        long pos = s.headerSize;
        ByteBuffer h = ByteBuffer.allocate(V1_HEADER);
        while (pos < end) {
            h.clear();
            boolean ok = false;
            int length = 0;
            if (readFully(s.channel, h, pos) == V1_HEADER) {
                h.flip();
                length = h.getInt();
                int expected = h.getInt();
                byte type = h.get();
                if (length >= 0 && length <= SegmentLog.MAX_PAYLOAD && pos + V1_HEADER + length <= end) {
                    Location loc = new Location(s.number, pos + V1_HEADER, length);
                    crc.reset();
                    crc.update(type);
                    if (readPayload(s, loc)) {
                        crc.update(payload.nioBuffer(0, length));
                        if ((int) crc.getValue() == expected) {
                            visitor.record(type, loc, s.version, payload);
                            ok = true;
                        }
                    }
                }
            }
            if (!ok) {
                // Format 1 has nothing to resynchronise on: the rest of this segment cannot be trusted.
                if (last) {
                    cutTornTail(s, pos);
                } else {
                    lostRange(s, pos, end);
                }
                return;
            }
            pos += V1_HEADER + length;
        }
    }

    private void lostRange(Segment s, long from, long to) throws IOException {
        setAside(s);
        damagedRecords++;
        damagedBytes += to - from;
        log.error("segment {}: {} unreadable byte(s) at offset {} to {}; records there are lost, the rest is kept",
                s.number, to - from, from, to);
        visitor.lostRange(s.number, from, to);
        int headerSize = s.version == 1 ? V1_HEADER : RecordHeaders.SIZE;
        ByteBuffer start = ByteBuffer.allocate(headerSize + 8);
        if (to - from >= start.capacity() && readFully(s.channel, start, from) == start.capacity()) {
            visitor.lostRecord(s.number, start.get(8), start.getLong(headerSize)); // the type is at 8 in both formats
        }
    }

    /** Cuts what a crash left half-written at the end of the last segment, keeping a copy of it in corrupt/. */
    private void cutTornTail(Segment s, long from) throws IOException {
        long n = s.size - from;
        if (n <= 0) {
            return;
        }
        Path copy = saveTail(s, from);
        log.warn("segment {}: incomplete record at offset {}, the end of the log (a write cut short by a crash); "
                + "cutting off {} byte(s){}", s.number, from, n, copy == null ? "" : ", kept in " + copy);
        s.channel.truncate(from);
        s.channel.force(true);
        s.size = from;
        tornTailBytes += n;
    }

    private Path saveTail(Segment s, long from) throws IOException {
        int n = (int) Math.min(s.size - from, SegmentLog.MAX_PAYLOAD);
        ByteBuffer tail = ByteBuffer.allocate(n);
        readFully(s.channel, tail, from);
        boolean allZero = true;
        for (int i = 0; i < tail.position() && allZero; i++) {
            allZero = tail.get(i) == 0;
        }
        if (allZero) {
            return null;
        }
        Files.createDirectories(corruptDir);
        Path copy = corruptDir.resolve(s.path.getFileName() + ".tail-" + from);
        try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            tail.flip();
            while (tail.hasRemaining()) {
                out.write(tail);
            }
            out.force(true);
        }
        return copy;
    }

    /** Copies a damaged segment to corrupt/ once, before anything else is done about it. */
    private void setAside(Segment s) throws IOException {
        if (!copied.add(s.number)) {
            return;
        }
        setAside++;
        Files.createDirectories(corruptDir);
        Path copy = corruptDir.resolve(s.path.getFileName().toString());
        if (!Files.exists(copy) || Files.size(copy) != s.size) {
            Files.copy(s.path, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        log.error("segment {} is damaged; a copy is kept in {}", s.number, copy);
    }

    /** Moves a segment whose header cannot be read to corrupt/: nothing in it can be verified. */
    Path setAsideWhole(UnreadableSegmentException e) throws IOException {
        setAside++;
        Files.createDirectories(corruptDir);
        Path target = corruptDir.resolve(e.path.getFileName().toString());
        Files.move(e.path, target, StandardCopyOption.REPLACE_EXISTING);
        damagedBytes += e.size;
        log.error("{}; moved to {}, its records are lost", e.getMessage(), target);
        return target;
    }

    private boolean readPayload(Segment s, Location loc) throws IOException {
        payload.clear();
        if (payload.capacity() < loc.length()) {
            payload.release();
            payload = Unpooled.buffer(loc.length());
        }
        int n = readFully(s.channel, payload.nioBuffer(0, loc.length()), loc.offset());
        payload.writerIndex(n);
        return n == loc.length();
    }

    private int crc(ByteBuf b) {
        crc.reset();
        crc.update(b.nioBuffer(b.readerIndex(), b.readableBytes()));
        return (int) crc.getValue();
    }

    private int crc(byte[] b, int n) {
        crc.reset();
        crc.update(b, 0, n);
        return (int) crc.getValue();
    }

    static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
