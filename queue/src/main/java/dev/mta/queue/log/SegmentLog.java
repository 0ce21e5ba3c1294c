package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;

/**
 * An append-only log of checksummed records in numbered segment files. Appending, syncing and deleting happen on
 * one thread (the {@link LogWriter}); reads of payloads may come from any thread.
 *
 * <p>Record layout: int payload length, int CRC32C of type and payload, byte type, payload.
 */
public final class SegmentLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);
    static final int RECORD_HEADER = 9;
    /** No record is larger; a length beyond it is corruption. */
    static final int MAX_PAYLOAD = 64 << 20;
    private static final int WRITE_BUFFER = 256 << 10;

    /** Receives each valid record during recovery, oldest first. The payload is only valid during the call. */
    public interface RecordVisitor {
        void record(byte type, Location location, ByteBuf payload) throws IOException;
    }

    private final Path dir;
    private final long segmentSize;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ByteBuf buffer = Unpooled.directBuffer(WRITE_BUFFER);
    private final CRC32C crc = new CRC32C();
    private Segment active;
    private long syncs;

    private SegmentLog(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** Opens the log in {@code dir}, replaying every valid record to {@code visitor} and cutting a torn tail. */
    public static SegmentLog open(Path dir, long segmentSize, RecordVisitor visitor) throws IOException {
        Files.createDirectories(dir);
        SegmentLog sl = new SegmentLog(dir, segmentSize);
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                numbers.add(Long.parseLong(name.substring(0, name.length() - 4)));
            }
        }
        numbers.sort(null);
        for (long n : numbers) {
            Segment s = Segment.open(dir.resolve(Segment.fileName(n)), n);
            sl.segments.put(n, s);
            sl.scan(s, visitor);
        }
        if (sl.segments.isEmpty()) {
            sl.active = sl.newSegment(1);
        } else {
            sl.active = sl.segments.lastEntry().getValue();
        }
        return sl;
    }

    /** Reads every record of a segment; at the first bad one the rest of the segment is cut off and reported. */
    private void scan(Segment s, RecordVisitor visitor) throws IOException {
        long pos = Segment.HEADER;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        ByteBuf payload = Unpooled.buffer(64 << 10);
        try {
            while (pos < s.size) {
                String problem = null;
                header.clear();
                if (readFully(s.channel, header, pos) < RECORD_HEADER) {
                    problem = "incomplete record header";
                } else {
                    header.flip();
                    int length = header.getInt();
                    int expectedCrc = header.getInt();
                    byte type = header.get();
                    if (length < 0 || length > MAX_PAYLOAD || pos + RECORD_HEADER + length > s.size) {
                        problem = "record length " + length + " runs past the end";
                    } else {
                        payload.clear().ensureWritable(length);
                        ByteBuffer nio = payload.nioBuffer(0, length);
                        if (readFully(s.channel, nio, pos + RECORD_HEADER) < length) {
                            problem = "short read";
                        } else {
                            payload.writerIndex(length);
                            crc.reset();
                            crc.update(type);
                            crc.update(payload.nioBuffer(0, length));
                            if ((int) crc.getValue() != expectedCrc) {
                                problem = "checksum mismatch";
                            } else {
                                visitor.record(type, new Location(s.number, pos + RECORD_HEADER, length), payload);
                            }
                        }
                    }
                }
                if (problem != null) {
                    log.warn("segment {}: {} at offset {}; cutting off {} byte(s) from there, earlier records kept",
                            s.number, problem, pos, s.size - pos);
                    s.channel.truncate(pos);
                    s.channel.force(true);
                    s.size = pos;
                    break;
                }
                pos += RECORD_HEADER + payloadLength(header);
            }
        } finally {
            payload.release();
        }
    }

    private static int payloadLength(ByteBuffer header) {
        return header.getInt(0);
    }

    private static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
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
     * On failure nothing of the record stays in the log.
     */
    public Location append(byte type, ByteBuf payload) throws IOException {
        int length = payload.readableBytes();
        if (length > MAX_PAYLOAD) {
            throw new IOException("record of " + length + " bytes is too large");
        }
        long recordSize = RECORD_HEADER + (long) length;
        if (active.size + buffer.readableBytes() + recordSize > segmentSize && active.size + buffer.readableBytes() > Segment.HEADER) {
            roll();
        }
        crc.reset();
        crc.update(type);
        for (ByteBuffer b : payload.nioBuffers()) {
            crc.update(b);
        }
        long offset = active.size + buffer.readableBytes() + RECORD_HEADER;
        if (buffer.writableBytes() < recordSize) {
            flush();
        }
        if (buffer.writableBytes() >= recordSize) {
            buffer.writeInt(length).writeInt((int) crc.getValue()).writeByte(type);
            buffer.writeBytes(payload, payload.readerIndex(), length);
        } else {
            // Too large for the buffer: header and payload go straight to the file.
            ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER).putInt(length).putInt((int) crc.getValue()).put(type).flip();
            ByteBuffer[] parts = payload.nioBuffers();
            ByteBuffer[] all = new ByteBuffer[parts.length + 1];
            all[0] = h;
            System.arraycopy(parts, 0, all, 1, parts.length);
            writeAt(all, recordSize);
        }
        return new Location(active.number, offset, length);
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

    /** Makes everything appended so far durable: one fsync, whatever the number of records. */
    public void sync() throws IOException {
        flush();
        active.channel.force(false);
        syncs++;
    }

    private void roll() throws IOException {
        sync();
        active = newSegment(active.number + 1);
    }

    /** The end of the log right now, to {@link #rollback} to. */
    public long[] mark() {
        return new long[]{active.number, active.size + buffer.readableBytes()};
    }

    /**
     * Removes everything appended after {@code mark} that is still in the active segment: a failed batch leaves
     * no record behind, so nothing the client was refused can come back at recovery.
     */
    public void rollback(long[] mark) throws IOException {
        buffer.clear();
        long keep = mark[0] == active.number ? mark[1] : Segment.HEADER;
        if (active.channel.size() > keep) {
            active.channel.truncate(keep);
        }
        active.size = Math.min(active.size, keep);
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

    /** Reads {@code length} bytes of a record's payload from {@code from} into {@code dst}. */
    public void read(Location loc, long from, ByteBuffer dst) throws IOException {
        Segment s = segments.get(loc.segment());
        if (s == null) {
            throw new IOException("segment " + loc.segment() + " is gone");
        }
        int want = dst.remaining();
        if (readFully(s.channel, dst, loc.offset() + from) < want) {
            throw new IOException("short read in segment " + loc.segment());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            active.channel.force(false);
        } finally {
            buffer.release();
            for (Segment s : segments.values()) {
                s.close();
            }
        }
    }
}
