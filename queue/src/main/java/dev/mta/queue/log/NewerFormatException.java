package dev.mta.queue.log;

import java.io.IOException;
import java.nio.file.Path;

/** A segment written by a newer build, in a format this one cannot read: the queue refuses to open, touching nothing. */
public final class NewerFormatException extends IOException {
    NewerFormatException(Path segment, int found, int known) {
        super("spool segment " + segment.getFileName() + " is in queue format " + found + ", newer than this build"
                + " reads (up to " + known + "): run the newer build on this spool, or give this one another spool");
    }
}
