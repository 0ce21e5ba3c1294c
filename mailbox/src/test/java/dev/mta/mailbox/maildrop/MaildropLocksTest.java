package dev.mta.mailbox.maildrop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class MaildropLocksTest {
    @TempDir
    Path dir;

    @Test
    void oneSessionAtATime() throws IOException {
        Path m = Files.createDirectories(dir.resolve("alice/Maildir"));
        MaildropLocks locks = new MaildropLocks();
        MaildropLock first = locks.tryLock(m);
        assertNotNull(first);
        assertNull(locks.tryLock(m));
        assertNull(locks.tryLock(dir.resolve("alice/../alice/Maildir")), "another spelling of the same Maildir");
        assertNotNull(locks.tryLock(Files.createDirectories(dir.resolve("bob/Maildir"))), "another user's is free");
        first.close();
        first.close();
        MaildropLock again = locks.tryLock(m);
        assertNotNull(again);
        again.close();
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(m.resolve(MaildropLocks.LOCK_FILE))));
    }

    @Test
    void aFileLockHeldElsewhereExcludesUs() throws IOException {
        Path m = Files.createDirectories(dir.resolve("alice/Maildir"));
        // Another holder of the lock file: another process would make tryLock give null; in this JVM it throws
        // OverlappingFileLockException, which means the same.
        try (FileChannel other = FileChannel.open(m.resolve(MaildropLocks.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = other.lock()) {
            MaildropLocks locks = new MaildropLocks();
            assertNull(locks.tryLock(m));
            assertEquals(0, locks.heldCount(), "the refusal leaves nothing held");
        }
    }

    @Test
    void aMissingMaildirIsLockedHereAndSeenEmpty() throws IOException {
        Path m = dir.resolve("carol/Maildir");
        MaildropLocks locks = new MaildropLocks();
        try (MaildropLock lock = locks.tryLock(m)) {
            assertNotNull(lock);
            assertNull(locks.tryLock(m));
            Files.createDirectories(m.resolve("new"));
            Files.writeString(m.resolve("new/1700000000.a,S=2,W=3"), "x\n");
            assertEquals(0, lock.snapshot().count(), "arrived after the lock: the next session sees it");
        }
        assertFalse(Files.exists(dir.resolve("carol/Maildir/" + MaildropLocks.LOCK_FILE)));
    }
}
