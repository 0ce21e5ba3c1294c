package dev.mta.queue;

import java.io.IOException;

/** The disk holding the queue has no room: a temporary condition (452 4.3.1), not a broken store. */
public final class StorageFullException extends IOException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether an I/O error from the file system means "no space left". */
    public static boolean isNoSpace(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
    }
}
