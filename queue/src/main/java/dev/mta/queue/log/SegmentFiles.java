package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The log's segment files on disk: starting a new one durably, finding one to read from, where a failed fsync made
 * one void, and deleting. Starting and deleting happen on the writer thread; lookups and reads may come from any.
 */
final class SegmentFiles {
    private final Path dir;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Segment number to the offset from which it is void (an fsync there failed). */
    private final Map<Long, Long> voids = new ConcurrentHashMap<>();

    SegmentFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The segments by number, for recovery to fill. */
    NavigableMap<Long, Segment> segments() {
        return segments;
    }

    /** Where segments are void, for recovery to fill. */
    Map<Long, Long> voids() {
        return voids;
    }

    /** Starts segment {@code number}: created, fsynced with its folder; on failure nothing is left behind. */
    Segment create(long number) throws IOException {
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

    /** Records that segment {@code number} is void from {@code from} on. */
    void markVoid(long number, long from) {
        voids.put(number, from);
    }

    /** Whether a location lies where a failed fsync made the log void. */
    boolean isVoided(Location loc) {
        Long from = voids.get(loc.segment());
        return from != null && loc.offset() >= from;
    }

    /** Closes and deletes a segment (the caller makes sure it is not the one appended to). */
    void delete(long number) throws IOException {
        Segment s = segments.remove(number);
        if (s != null) {
            s.close();
            Files.deleteIfExists(s.path);
            voids.remove(number);
        }
    }

    long oldest() {
        return segments.firstKey();
    }

    /** The total size of the segments in bytes. */
    long diskBytes() {
        long total = 0;
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            total += e.getValue().size;
        }
        return total;
    }

    int count() {
        return segments.size();
    }

    /** The format version of a segment's records (what their payloads hold). */
    int formatOf(long segment) throws IOException {
        return existing(segment).version;
    }

    /** Reads {@code dst.remaining()} bytes of a record's payload from {@code from} into {@code dst}. */
    void read(Location loc, long from, ByteBuffer dst) throws IOException {
        Segment s = existing(loc.segment());
        int want = dst.remaining();
        if (Segment.readFully(s.channel, dst, loc.offset() + from) < want) {
            throw new IOException("short read in segment " + loc.segment());
        }
    }

    private Segment existing(long segment) throws IOException {
        Segment s = segments.get(segment);
        if (s == null) {
            throw new IOException("segment " + segment + " is gone");
        }
        return s;
    }

    void closeAll() throws IOException {
        for (Segment s : segments.values()) {
            s.close();
        }
    }
}
