package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The key directory's layout, modes, and a key written whole, never over another unless asked. */
class KeyDirectoryTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writesDomainFolderAndKeyFileWithPrivateModes() throws Exception {
        KeyDirectory keys = new KeyDirectory(dir.resolve("data/dkim"));
        DkimSigningKey key = DkimSigningKey.generateEd25519();
        Path file = keys.write("example.com", "mail", key.toPem(), false);
        assertEquals(dir.resolve("data/dkim/example.com/mail.pem"), file);
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(dir.resolve("data/dkim/example.com")));
        assertEquals("rwx------", mode(dir.resolve("data/dkim")));
        assertEquals(key.dnsRecord(), keys.read("example.com", "mail").dnsRecord());
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file left behind");
        }
    }

    @Test
    void anExistingKeyStaysUnlessReplaced() throws Exception {
        KeyDirectory keys = new KeyDirectory(dir);
        DkimSigningKey first = DkimSigningKey.generateEd25519();
        DkimSigningKey second = DkimSigningKey.generateEd25519();
        keys.write("example.com", "mail", first.toPem(), false);
        assertThrows(FileAlreadyExistsException.class, () -> keys.write("example.com", "mail", second.toPem(), false));
        assertEquals(first.dnsRecord(), keys.read("example.com", "mail").dnsRecord());
        try (var left = Files.list(dir.resolve("example.com"))) {
            assertEquals(1, left.count(), "the refused key's temporary file is gone");
        }
        keys.write("example.com", "mail", second.toPem(), true);
        assertEquals(second.dnsRecord(), keys.read("example.com", "mail").dnsRecord());
        assertEquals("rw-------", mode(keys.file("example.com", "mail")));
    }

    @Test
    void selectorsAreTheKeyFilesOnly() throws Exception {
        KeyDirectory keys = new KeyDirectory(dir);
        assertEquals(List.of(), keys.selectors("example.com"), "no folder: no keys");
        String pem = DkimSigningKey.generateEd25519().toPem();
        keys.write("example.com", "s2", pem, false);
        keys.write("example.com", "2024.a", pem, false);
        Files.writeString(dir.resolve("example.com/.s3.123.tmp"), pem);
        Files.writeString(dir.resolve("example.com/.hidden.pem"), pem);
        Files.writeString(dir.resolve("example.com/Upper.pem"), pem);
        Files.writeString(dir.resolve("example.com/notes.txt"), "");
        Files.createDirectory(dir.resolve("example.com/folder.pem"));
        assertEquals(List.of("2024.a", "s2"), keys.selectors("example.com"));
    }
}
