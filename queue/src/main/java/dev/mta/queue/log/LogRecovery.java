package dev.mta.queue.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The log's recovery at start: finds the segment files, opens each (leaving alone files that are not this queue's,
 * removing a segment whose creation a crash cut short, setting aside one whose header is gone), reads the VOID
 * records first ({@link VoidRecords}), then replays every segment in order with the {@link SegmentScanner}.
 */
final class LogRecovery {
    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    /** What the writer starts from: the highest segment number in the folder, the last segment opened. */
    record Result(long highest, Segment last, RecoveryReport report) {
    }

    private LogRecovery() {
    }

    static Result run(Path dir, SegmentScanner scanner, NavigableMap<Long, Segment> segments, Map<Long, Long> voids,
                      RecoveryMode mode) throws IOException {
        List<Long> numbers = segmentNumbers(dir);
        long highest = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1);
        for (long n : numbers) {
            Path p = dir.resolve(Segment.fileName(n));
            try {
                segments.put(n, Segment.open(p, n, mode));
            } catch (UnreadableSegmentException e) {
                if (!mode.repairs()) {
                    log.warn("{}; its records are not read (read-only: left as it is)", e.getMessage());
                } else if (e.foreign) {
                    log.warn("{}; left alone, its records are not read", e.getMessage());
                } else if (n == highest && e.size < Segment.HEADER_V2) {
                    // A crash while a new segment was being started: it holds no record yet.
                    log.warn("{}; it holds no records, removing it", e.getMessage());
                    Files.delete(p);
                } else {
                    scanner.setAsideWhole(e);
                }
            }
        }
        Map<Long, Long> found = new HashMap<>();
        for (Segment s : segments.values()) {
            VoidRecords.read(s, found);
        }
        voids.putAll(found);
        Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        for (Segment s : segments.values()) {
            scanner.scan(s, s == last, voids.get(s.number));
        }
        return new Result(highest, last, scanner.report());
    }

    /** The numbers of the files named as segments, in order; anything else in the folder is left alone. */
    private static List<Long> segmentNumbers(Path dir) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9]{16}\\.seg")) {
                    numbers.add(Long.parseLong(name.substring(0, name.length() - 4)));
                } else {
                    log.warn("{} in the spool is not a segment of this queue; left alone", name);
                }
            }
        }
        numbers.sort(null);
        return numbers;
    }
}
