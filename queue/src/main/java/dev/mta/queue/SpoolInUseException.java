package dev.mta.queue;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (another MTA) has the spool directory locked. */
public final class SpoolInUseException extends IOException {
    public SpoolInUseException(Path dir) {
        super("spool " + dir + " is in use by another process (its " + SpoolLock.FILE + " file is locked)");
    }
}
