package dev.mta.mailbox.maildir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaildirWriterTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void writesIntoNewWithLfLineEndsAndBothSizesInTheName() throws Exception {
        MaildirWriter w = new MaildirWriter(new MailRoot(dir.resolve("mail")), "mx.example:25/x");
        String message = "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n";
        MaildirName name = w.deliver("alice", ascii("Delivered-To: alice@example.net\r\n"),
                new ByteArrayInputStream(ascii(message)), 0);
        Path maildir = dir.resolve("mail/alice/Maildir");
        List<Path> files;
        try (var s = Files.list(maildir.resolve("new"))) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        String text = Files.readString(files.get(0), StandardCharsets.US_ASCII);
        assertEquals("Delivered-To: alice@example.net\nSubject: hi\n\n.leading dot\nbody\n", text);
        assertEquals(text.length(), name.size());
        assertEquals(text.length() + 5, name.virtualSize());
        assertEquals(name, MaildirName.parse(files.get(0).getFileName().toString()));
        assertTrue(name.base().endsWith(".mx.example\\07225\\057x"), name.base());
        assertEquals(0, Files.list(maildir.resolve("tmp")).count());
        assertTrue(Files.isDirectory(maildir.resolve("cur")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(maildir)));
    }

    @Test
    void eachMessageHasItsOwnName() throws Exception {
        MaildirWriter w = new MaildirWriter(new MailRoot(dir), "h");
        MaildirName a = w.deliver("bob", new byte[0], new ByteArrayInputStream(ascii("a\r\n")), 0);
        MaildirName b = w.deliver("bob", new byte[0], new ByteArrayInputStream(ascii("b\r\n")), 0);
        assertTrue(!a.base().equals(b.base()));
        assertEquals(4, MaildirUsage.of(dir.resolve("bob/Maildir")));
    }

    @Test
    void overQuotaLeavesNothingBehind() throws Exception {
        MaildirWriter w = new MaildirWriter(new MailRoot(dir), "h");
        w.deliver("carol", new byte[0], new ByteArrayInputStream(ascii("x".repeat(60) + "\r\n")), 100);
        OverQuotaException e = assertThrows(OverQuotaException.class,
                () -> w.deliver("carol", new byte[0], new ByteArrayInputStream(ascii("y".repeat(60) + "\r\n")), 100));
        assertEquals(61, e.used());
        assertEquals(0, Files.list(dir.resolve("carol/Maildir/tmp")).count());
        assertEquals(1, Files.list(dir.resolve("carol/Maildir/new")).count());
    }

    @Test
    void aCrLeftAloneIsKept() throws Exception {
        MaildirWriter w = new MaildirWriter(new MailRoot(dir), "h");
        MaildirName n = w.deliver("dave", new byte[0], new ByteArrayInputStream(ascii("a\rb\r\n")), 0);
        assertEquals(4, n.size());
        assertEquals(5, n.virtualSize());
    }

    @Test
    void whatACrashLeftInTmpLongAgoIsSweptAtTheFirstDelivery() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("erin/Maildir/tmp"));
        Files.createDirectories(dir.resolve("erin/Maildir/new"));
        Files.createDirectories(dir.resolve("erin/Maildir/cur"));
        Path old = Files.writeString(tmp.resolve("1600000000.M1P1Q1.h"), "half a message");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(MaildirWriter.STALE_TMP).minusSeconds(60)));
        Path recent = Files.writeString(tmp.resolve("1800000000.M1P1Q1.h"), "another writer's, under way");
        new MaildirWriter(new MailRoot(dir), "h").deliver("erin", new byte[0], new ByteArrayInputStream(ascii("x\r\n")), 0);
        assertTrue(!Files.exists(old), "older than 36 hours: debris");
        assertTrue(Files.exists(recent), "a recent file may be another writer's");
    }
}
