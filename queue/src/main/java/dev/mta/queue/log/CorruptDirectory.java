package dev.mta.queue.log;

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
import java.util.Set;

/**
 * The spool's {@code corrupt/} folder, where recovery keeps what it found damaged before doing anything about it,
 * as Postfix keeps a corrupt queue: a copy of a damaged segment, a segment whose header is unreadable (moved whole),
 * the bytes of a torn tail before they are cut.
 */
final class CorruptDirectory {
    /** Logged as the scanner's own lines, as before this was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);

    private final Path dir;
    private final Set<Long> copied = new HashSet<>();
    private int setAside;

    CorruptDirectory(Path spool) {
        this.dir = spool.resolve("corrupt");
    }

    /** Segments copied or moved here so far. */
    int setAside() {
        return setAside;
    }

    /** Copies a damaged segment here once, before anything else is done about it. */
    void copy(Segment s) throws IOException {
        if (!copied.add(s.number)) {
            return;
        }
        setAside++;
        Files.createDirectories(dir);
        Path copy = dir.resolve(s.path.getFileName().toString());
        if (!Files.exists(copy) || Files.size(copy) != s.size) {
            Files.copy(s.path, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        log.error("segment {} is damaged; a copy is kept in {}", s.number, copy);
    }

    /** Moves a segment whose header cannot be read here: nothing in it can be verified. */
    Path moveWhole(UnreadableSegmentException e) throws IOException {
        setAside++;
        Files.createDirectories(dir);
        Path target = dir.resolve(e.path.getFileName().toString());
        Files.move(e.path, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Keeps the bytes of a segment from {@code from} on (at most a record's worth); null when they are all zero. */
    Path saveTail(Segment s, long from) throws IOException {
        int n = (int) Math.min(s.size - from, SegmentLog.MAX_PAYLOAD);
        ByteBuffer tail = ByteBuffer.allocate(n);
        Segment.readFully(s.channel, tail, from);
        boolean allZero = true;
        for (int i = 0; i < tail.position() && allZero; i++) {
            allZero = tail.get(i) == 0;
        }
        if (allZero) {
            return null;
        }
        Files.createDirectories(dir);
        Path copy = dir.resolve(s.path.getFileName() + ".tail-" + from);
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
}
