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
 * One segment file. Formats 2 and 3 start with a header stored twice, the second copy 4 KiB after the first
 * so that no one damaged sector or page takes both: magic "MTAQ-SEG", format version, segment number, a random
 * 16-byte key for the record header tags ({@link RecordHeaders}), and a CRC32C of those. Records begin after the
 * second copy. A segment whose two copies are both damaged is still read, without its key ({@link #keyless}).
 * Format 1 (read and drained, never written) starts with magic "MTAQ-SG1" and the number; its records carry no tag.
 * Format 3 (written now) frames records as format 2 does; only what its records hold changed. A segment that lost
 * both header copies is taken to be of the format written now.
 */
final class Segment implements AutoCloseable {
    static final long MAGIC_V1 = 0x4D5441512D534731L; // "MTAQ-SG1"
    static final long MAGIC_V2 = 0x4D5441512D534547L; // "MTAQ-SEG"
    /**
     * The format written: 3 has format 2's framing and typed record payloads, 4 adds the header prefix to MESSAGE
     * records (see RecordCodec); an older build refuses a spool with a segment of it.
     */
    static final int VERSION = 4;
    /** The first format with keyed record headers. */
    static final int FIRST_KEYED = 2;
    static final int HEADER_V1 = 16;
    static final int KEY_BYTES = 16;
    /** One copy: magic, version, number, key, CRC32C. */
    private static final int COPY = 8 + 4 + 8 + KEY_BYTES + 4;
    /** Where the second copy lies: another sector, another page. */
    private static final int SECOND_COPY = 4096;
    static final int HEADER_V2 = SECOND_COPY + COPY;
    private static final SecureRandom RANDOM = new SecureRandom();

    final long number;
    final Path path;
    final FileChannel channel;
    final int version;
    /** Where records begin. */
    final int headerSize;
    /** Format 2 only: the tags of this segment's record headers; null for format 1 and for a keyless segment. */
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

    /** A format-2 segment whose key was lost with both header copies: its tags cannot be checked. */
    boolean keyless() {
        return version >= FIRST_KEYED && headers == null;
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
            writeFully(ch, copy.duplicate(), 0);
            writeFully(ch, copy, SECOND_COPY);
            return new Segment(number, p, ch, VERSION, key, HEADER_V2);
        } catch (IOException e) {
            // Disk full while starting a segment: leave nothing behind, so the next roll can try again.
            ch.close();
            Files.deleteIfExists(p);
            throw e;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /** Reads from {@code position} until {@code dst} is full or the file ends; returns the bytes read. */
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

    private static ByteBuffer headerCopy(long number, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(COPY).putLong(MAGIC_V2).putInt(VERSION).putLong(number).put(key);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, COPY - 4);
        return b.putInt((int) crc.getValue()).flip();
    }

    /**
     * Opens an existing segment of either format. {@link UnreadableSegmentException} when it is too short to hold a
     * header, or its header names another segment (a renamed or copied file).
     */
    static Segment open(Path p, long number) throws IOException {
        return open(p, number, RecoveryMode.REPAIR);
    }

    /** As {@link #open(Path, long)}; {@link RecoveryMode#READ_ONLY} opens the file for reading only. */
    static Segment open(Path p, long number, RecoveryMode mode) throws IOException {
        FileChannel ch = mode.repairs() ? FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(p, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER_V2);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // read the whole header, or as much as there is
            }
            byte[] bytes = Arrays.copyOf(h.array(), h.position());
            if (bytes.length >= HEADER_V1 && ByteBuffer.wrap(bytes).getLong() == MAGIC_V1) {
                if (ByteBuffer.wrap(bytes).getLong(8) != number) {
                    throw new UnreadableSegmentException(p, size, "its header names segment "
                            + ByteBuffer.wrap(bytes).getLong(8) + " (a renamed or copied file?)", true);
                }
                return new Segment(number, p, ch, 1, null, size);
            }
            for (int at : new int[]{0, SECOND_COPY}) {
                ByteBuffer copy = validCopy(bytes, at);
                if (copy != null) {
                    long named = copy.getLong(12);
                    if (named != number) {
                        throw new UnreadableSegmentException(p, size, "its header names segment " + named
                                + " (a renamed or copied file?)", true);
                    }
                    int version = copy.getInt(8);
                    if (version > VERSION) {
                        throw new NewerFormatException(p, version, VERSION);
                    }
                    return new Segment(number, p, ch, version, Arrays.copyOfRange(bytes, at + 20, at + 20 + KEY_BYTES),
                            size);
                }
            }
            if (size < HEADER_V2) {
                throw new UnreadableSegmentException(p, size, "header incomplete", false);
            }
            return new Segment(number, p, ch, VERSION, null, size);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The header copy at {@code at} when its magic, version and CRC check out, else null. */
    private static ByteBuffer validCopy(byte[] bytes, int at) {
        if (bytes.length < at + COPY) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, at, COPY).slice();
        CRC32C crc = new CRC32C();
        crc.update(bytes, at, COPY - 4);
        // Any version passes here: a newer one is refused by the caller, with a clear message, not read as damage.
        if (b.getLong(0) != MAGIC_V2 || b.getInt(8) < FIRST_KEYED || b.getInt(COPY - 4) != (int) crc.getValue()) {
            return null;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
