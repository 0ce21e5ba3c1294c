package dev.mta.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and damages segment files the way a test needs to: walks the records of an intact format-2 segment by
 * their lengths (header: magic 4, length 4, type 1, payload CRC 4, tag 8, after a segment header of two 40-byte copies 4 KiB apart).
 */
final class SegmentFiles {
    static final int SEGMENT_HEADER = 4096 + 40;
    static final int RECORD_HEADER = 21;

    /** One record as found on disk. */
    record Record(Path segment, long offset, int length, byte type) {
        long payloadOffset() {
            return offset + RECORD_HEADER;
        }
    }

    private SegmentFiles() {
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    static List<Record> records(Path segment) throws IOException {
        byte[] all = Files.readAllBytes(segment);
        ByteBuffer b = ByteBuffer.wrap(all);
        List<Record> out = new ArrayList<>();
        long pos = SEGMENT_HEADER;
        while (pos + RECORD_HEADER <= all.length) {
            int length = b.getInt((int) pos + 4);
            out.add(new Record(segment, pos, length, b.get((int) pos + 8)));
            pos += RECORD_HEADER + length;
        }
        return out;
    }

    /** The record whose payload contains {@code marker}. */
    static Record containing(Path dir, String marker) throws IOException {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        for (Path seg : segments(dir)) {
            byte[] all = Files.readAllBytes(seg);
            for (Record r : records(seg)) {
                if (indexOf(all, m, (int) r.payloadOffset(), (int) r.payloadOffset() + r.length()) >= 0) {
                    return r;
                }
            }
        }
        throw new AssertionError("no record holds " + marker);
    }

    static long offsetOf(Path segment, String marker) throws IOException {
        byte[] all = Files.readAllBytes(segment);
        int i = indexOf(all, marker.getBytes(StandardCharsets.US_ASCII), 0, all.length);
        if (i < 0) {
            throw new AssertionError(marker + " not in " + segment);
        }
        return i;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** XORs one byte of a file with 0x5A. */
    static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            ch.write(ByteBuffer.wrap(new byte[]{(byte) (b.get(0) ^ 0x5A)}), offset);
        }
    }

    /** A copy of every file of the spool, as a crash would leave it: what the page cache holds. */
    static void snapshot(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path seg : segments(from)) {
            Files.copy(seg, to.resolve(seg.getFileName()));
        }
    }
}
