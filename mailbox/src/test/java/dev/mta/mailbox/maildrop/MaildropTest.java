package dev.mta.mailbox.maildrop;

import dev.mta.mailbox.maildir.MaildirName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaildropTest {
    @TempDir
    Path dir;

    private Path maildir() throws IOException {
        Path m = dir.resolve("alice").resolve("Maildir");
        for (String f : List.of("tmp", "new", "cur")) {
            Files.createDirectories(m.resolve(f));
        }
        return m;
    }

    /** Writes {@code content} (LF line ends) into new/ under the name the delivery gives it. */
    static Path deliver(Path maildir, String base, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        long crlf = bytes.length + content.chars().filter(c -> c == '\n').count();
        MaildirName name = new MaildirName(base, bytes.length, crlf, "");
        return Files.write(maildir.resolve("new").resolve(name.newName()), bytes);
    }

    private static String read(Maildrop drop, int n) throws IOException {
        try (InputStream in = drop.open(n)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void numbersByArrivalSizesWithCrlfAndUidsFromTheBase() throws IOException {
        Path m = maildir();
        deliver(m, "1700000200.M2P1Q1.host", "Subject: second\n\nb\n");
        deliver(m, "1700000100.M1P1Q1.host", "Subject: first\n\na\n");
        // Another reader's name, moved to cur/ with flags, without W=: its size is read from the file.
        Files.writeString(m.resolve("cur").resolve("1700000300.other:2,S"), "Subject: third\r\n\r\nc\n");
        Files.writeString(m.resolve("new").resolve(".hidden"), "not a message");
        Maildrop drop = Maildrop.open(m);
        assertEquals(3, drop.count());
        assertEquals("1700000100.M1P1Q1.host", drop.message(1).uid());
        assertEquals("1700000200.M2P1Q1.host", drop.message(2).uid());
        assertEquals("1700000300.other", drop.message(3).uid());
        assertEquals("Subject: first\r\n\r\na\r\n", read(drop, 1));
        assertEquals(read(drop, 1).length(), drop.message(1).size());
        assertEquals("Subject: third\r\n\r\nc\r\n".length(), drop.message(3).size());
        assertEquals(drop.messages().stream().mapToLong(MaildropMessage::size).sum(), drop.totalSize());
    }

    @Test
    void listingTrustsTheNameAndReadsNoBody() throws IOException {
        Path m = maildir();
        // The name says W=999: the snapshot does not open the file to check.
        Files.writeString(m.resolve("new").resolve("1700000000.x,S=3,W=999"), "a\n");
        assertEquals(999, Maildrop.open(m).totalSize());
    }

    @Test
    void aMissingMaildirIsAnEmptyMaildropAndIsNotCreated() throws IOException {
        Path m = dir.resolve("nobody").resolve("Maildir");
        Maildrop drop = Maildrop.open(m);
        assertEquals(0, drop.count());
        assertEquals(0, drop.totalSize());
        assertFalse(Files.exists(m));
    }

    @Test
    void mailArrivingLaterIsNotInTheSnapshot() throws IOException {
        Path m = maildir();
        deliver(m, "1700000100.a", "x\n");
        Maildrop drop = Maildrop.open(m);
        deliver(m, "1700000200.b", "y\n");
        assertEquals(1, drop.count());
        assertEquals(2, Maildrop.open(m).count());
    }

    @Test
    void aMessageMovedToCurIsStillReadAndDeleted() throws IOException {
        Path m = maildir();
        Path f = deliver(m, "1700000100.a", "x\n");
        deliver(m, "1700000200.b", "y\n");
        Maildrop drop = Maildrop.open(m);
        Path moved = m.resolve("cur").resolve(f.getFileName() + ":2,S");
        Files.move(f, moved);
        assertEquals("x\r\n", read(drop, 1));
        Path flagged = m.resolve("cur").resolve(f.getFileName() + ":2,RS");
        Files.move(moved, flagged);
        assertTrue(drop.delete(List.of(1)).isEmpty());
        assertFalse(Files.exists(flagged));
        assertEquals(1, Maildrop.open(m).count());
        assertEquals(drop.message(2).uid(), Maildrop.open(m).message(1).uid());
    }

    @Test
    void aMessageGoneAlreadyCountsAsDeleted() throws IOException {
        Path m = maildir();
        Path f = deliver(m, "1700000100.a", "x\n");
        Maildrop drop = Maildrop.open(m);
        Files.delete(f);
        assertTrue(drop.delete(List.of(1)).isEmpty());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> drop.open(1));
    }

    @Test
    void theUidStaysWhenTheFileMoves() throws IOException {
        Path m = maildir();
        Path f = deliver(m, "1700000100.a", "x\n");
        String before = Maildrop.open(m).message(1).uid();
        Files.move(f, m.resolve("cur").resolve(f.getFileName() + ":2,S"));
        assertEquals(before, Maildrop.open(m).message(1).uid());
    }

    @Test
    void aFileSeenInNewAndCurIsOneMessage() throws IOException {
        Path m = maildir();
        Path f = deliver(m, "1700000100.a", "x\n");
        // As if it moved between the two listings: a copy under cur/ with flags.
        Files.copy(f, m.resolve("cur").resolve(f.getFileName() + ":2,S"));
        assertEquals(1, Maildrop.open(m).count());
    }
}
