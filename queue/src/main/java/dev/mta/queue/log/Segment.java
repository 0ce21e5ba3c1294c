package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One segment file. Format 2 (written now) starts with a header stored twice, so that one damaged byte cannot make
 * the segment unreadable: magic "MTAQ-SEG", format version, segment number, a random 16-byte key for the record
 * header tags ({@link RecordHeaders}), and a CRC32C of those. Format 1 (read and drained, never written) starts with
 * magic "MTAQ-SG1" and the number, and its records carry no tag.
 */
final class Segment implements AutoCloseable {
    static final long MAGIC_V1 = 0x4D5441512D534731L; // "MTAQ-SG1"
    static final long MAGIC_V2 = 0x4D5441512D534547L; // "MTAQ-SEG"
    static final int VERSION = 2;
    static final int HEADER_V1 = 16;
    static final int KEY_BYTES = 16;
    /** One copy: magic, version, number, key, CRC32C. */
    private static final int COPY = 8 + 4 + 8 + KEY_BYTES + 4;
    static final int HEADER_V2 = 2 * COPY;
    private static final SecureRandom RANDOM = new SecureRandom();

    final long number;
    final Path path;
    final FileChannel channel;
    final int version;
    /** Where records begin. */
    final int headerSize;
    /** Format 2 only: the tags of this segment's record headers; null for format 1. */
    final RecordHeaders headers;
    long size;

    private Segment(long number, Path path, FileChannel channel, int version, byte[] key, long size) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.headerSize = version == 1 ? HEADER_V1 : HEADER_V2;
        this.headers = key == null ? null : new RecordHeaders(number, key);
        this.size = size;
    }

    static String fileName(long number) {
        return String.format("%016d.seg", number);
    }

    /** Creates a new format-2 segment with a fresh random key (not yet fsynced). */
    static Segment create(Path dir, long number) throws IOException {
        Path p = dir.resolve(fileName(number));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            ByteBuffer copy = headerCopy(number, key);
            ByteBuffer h = ByteBuffer.allocate(HEADER_V2).put(copy.duplicate()).put(copy).flip();
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            return new Segment(number, p, ch, VERSION, key, HEADER_V2);
        } catch (IOException e) {
            // Disk full while starting a segment: leave nothing behind, so the next roll can try again.
            ch.close();
            Files.deleteIfExists(p);
            throw e;
        }
    }

    private static ByteBuffer headerCopy(long number, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(COPY).putLong(MAGIC_V2).putInt(VERSION).putLong(number).put(key);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, COPY - 4);
        return b.putInt((int) crc.getValue()).flip();
    }

    /** Opens an existing segment of either format; {@link UnreadableSegmentException} when its header is damaged. */
    static Segment open(Path p, long number) throws IOException {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER_V2);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // read the whole header, or as much as there is
            }
            byte[] bytes = Arrays.copyOf(h.array(), h.position());
            if (bytes.length >= HEADER_V1 && ByteBuffer.wrap(bytes).getLong() == MAGIC_V1) {
                if (ByteBuffer.wrap(bytes).getLong(8) != number) {
                    throw new UnreadableSegmentException(p, size, "format 1 header names another segment");
                }
                return new Segment(number, p, ch, 1, null, size);
            }
            for (int copy = 0; copy < 2; copy++) {
                byte[] key = validCopy(bytes, copy * COPY, number);
                if (key != null) {
                    return new Segment(number, p, ch, VERSION, key, size);
                }
            }
            throw new UnreadableSegmentException(p, size, size < HEADER_V2 ? "header incomplete"
                    : "both header copies damaged or of an unknown format");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The key of the header copy at {@code at} when it checks out and names this segment, else null. */
    private static byte[] validCopy(byte[] bytes, int at, long number) {
        if (bytes.length < at + COPY) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, at, COPY);
        CRC32C crc = new CRC32C();
        crc.update(bytes, at, COPY - 4);
        if (b.getLong() != MAGIC_V2 || b.getInt() != VERSION || b.getLong() != number) {
            return null;
        }
        byte[] key = new byte[KEY_BYTES];
        b.get(key);
        return b.getInt() == (int) crc.getValue() ? key : null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
