package dev.mta.queue.log;

import java.io.IOException;

/** An fsync of a segment failed: what it covered may be gone, whatever a later fsync of that file says. */
public final class FsyncFailedException extends IOException {
    public FsyncFailedException(long segment, IOException cause) {
        super("fsync of segment " + segment + " failed: " + cause.getMessage(), cause);
    }
}
