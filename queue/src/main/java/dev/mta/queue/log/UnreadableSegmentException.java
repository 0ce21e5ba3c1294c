package dev.mta.queue.log;

import java.io.IOException;
import java.nio.file.Path;

/** A segment file that cannot be read as the segment its name says. */
final class UnreadableSegmentException extends IOException {
    final Path path;
    final long size;
    /** Its header is sound but names another segment: a renamed or copied file, not damage. */
    final boolean foreign;

    UnreadableSegmentException(Path path, long size, String reason, boolean foreign) {
        super(path.getFileName() + ": " + reason);
        this.path = path;
        this.size = size;
        this.foreign = foreign;
    }
}
