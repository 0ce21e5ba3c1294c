package dev.mta.queue.log;

import java.io.IOException;
import java.nio.file.Path;

/** A segment whose header cannot be read: nothing in it can be trusted, so it is set aside whole. */
final class UnreadableSegmentException extends IOException {
    final Path path;
    final long size;

    UnreadableSegmentException(Path path, long size, String reason) {
        super(path.getFileName() + ": " + reason);
        this.path = path;
        this.size = size;
    }
}
