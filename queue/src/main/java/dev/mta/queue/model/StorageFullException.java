package dev.mta.queue.model;

import java.io.IOException;

/** The disk holding the queue has no room: a temporary condition (452 4.3.1), not a broken store. */
public final class StorageFullException extends IOException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure as the SMTP session should see it: one that means a full disk becomes a StorageFullException. */
    public static Exception classify(Exception e) {
        if (e instanceof StorageFullException) {
            return e;
        }
        if (e instanceof IOException && isNoSpace((IOException) e)) {
            return new StorageFullException(e.getMessage(), e);
        }
        return e;
    }

    /** Whether an I/O error from the file system means "no space left". */
    public static boolean isNoSpace(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
    }
}
