package dev.mta.mailbox.maildrop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;

/** One session's hold on a maildrop ({@link MaildropLocks}); closing it lets the next session in. */
public final class MaildropLock implements AutoCloseable {
    private final MaildropLocks locks;
    private final Path maildir;
    private final FileChannel channel;
    private final FileLock fileLock;
    private boolean closed;

    MaildropLock(MaildropLocks locks, Path maildir, FileChannel channel, FileLock fileLock) {
        this.locks = locks;
        this.maildir = maildir;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    public Path maildir() {
        return maildir;
    }

    /**
     * The session's snapshot: the Maildir as it is now, or an empty maildrop when it did not exist as the lock was
     * taken (it was locked in this process only, so mail delivered since waits for the next session).
     */
    public Maildrop snapshot() throws IOException {
        return fileLock == null ? Maildrop.empty(maildir) : Maildrop.open(maildir);
    }

    /** Lets the maildrop go (the file lock, then this process's hold); again is a no-op. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (fileLock != null) {
                fileLock.release();
            }
        } finally {
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                locks.released(maildir);
            }
        }
    }
}
