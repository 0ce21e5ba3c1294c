package dev.mta.mailbox.maildrop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive locks of maildrops (RFC 1939 8: one session at a time holds a maildrop). In this process a set of the
 * Maildirs held; between processes sharing a mail root a file lock on {@code Maildir/.pop3.lock} (taken only after
 * the set lets us in: two channels of one JVM on one file would throw {@link OverlappingFileLockException}). A
 * Maildir that does not exist yet is locked in this process only, and its session sees an empty maildrop
 * ({@link MaildropLock#snapshot()}): with nothing in it, nothing can be deleted twice. Blocking (the lock file is
 * opened): call on a worker thread.
 */
public final class MaildropLocks {
    static final String LOCK_FILE = ".pop3.lock";

    private final Set<Path> held = ConcurrentHashMap.newKeySet();

    /** The lock of {@code maildir}, or null when another session holds it. */
    public MaildropLock tryLock(Path maildir) throws IOException {
        Path key = maildir.toAbsolutePath().normalize();
        if (!held.add(key)) {
            return null;
        }
        try {
            if (!Files.isDirectory(key)) {
                return new MaildropLock(this, key, null, null);
            }
            FileChannel ch = open(key.resolve(LOCK_FILE));
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) { // another spelling of this Maildir, held here
                lock = null;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                ch.close();
                held.remove(key);
                return null;
            }
            return new MaildropLock(this, key, ch, lock);
        } catch (IOException | RuntimeException e) {
            held.remove(key);
            throw e;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    void released(Path key) {
        held.remove(key);
    }

    /** Maildrops held in this process now. */
    public int heldCount() {
        return held.size();
    }
}
