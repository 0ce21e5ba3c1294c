package dev.mta.server.durability;

import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The spool holds every message's content: a spool the MTA makes is its own user's alone (0700), like Postfix's. */
class SpoolModeTest {
    @TempDir
    Path dir;

    @Test
    void aNewSpoolIsReadableByTheMtasUserOnly() throws Exception {
        Path spool = dir.resolve("var").resolve("spool");
        try (TestMta mta = TestMta.start(spool);
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<a@example.org>").assertCode(250);
            c.command("RCPT TO:<b@example.com>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: private\r\n\r\nsecret\r\n.\r\n");
            c.read().assertCode(250);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        }
    }
}
