package dev.mta.server.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java ... MtaMain user add|passwd|delete} in a real process, the password on its standard input. */
class UserCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String output) {
    }

    private Run mta(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.mta.server.MtaMain"));
        cmd.addAll(List.of(args));
        Path in = Files.writeString(dir.resolve("stdin"), stdin);
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Run r, int status, String text) {
        assertEquals(status, r.status(), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("mta: ") && r.output().contains(text), r.output());
    }

    private static UserStore store(Path users, VerifierPool pool) {
        return UserStore.open(users, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
    }

    @Test
    void addPasswdDeleteEndToEnd() throws Exception {
        Path users = dir.resolve("users");
        Run add = mta("correct horse\n", "user", "add", "alice@example.org", "--users", users.toString());
        assertEquals(0, add.status(), add.output());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)), "a new file is 0600");
        String line = Files.readString(users);
        assertTrue(line.matches("alice@example\\.org:\\{ARGON2ID}\\$argon2id\\$v=19\\$m=65536,t=3,p=1\\$\\S+\\$\\S+\n"), line);

        assertEquals(0, mta("bobpw\r\n", "user", "add", "bob", "--users", users.toString(), "--scheme", "BLF-CRYPT").status());
        try (VerifierPool pool = new VerifierPool(2, 8)) {
            UserStore s = store(users, pool);
            assertTrue(s.verify("alice@example.org", "correct horse".toCharArray()).get());
            assertFalse(s.verify("alice@example.org", "correct horse\n".toCharArray()).get());
            assertTrue(s.verify("bob", "bobpw".toCharArray()).get(), "CR LF is not part of the password");
            assertTrue(Files.readString(users).contains("bob:{BLF-CRYPT}$2y$05$"));

            assertEquals(0, mta("new one\n", "user", "passwd", "alice@example.org", "--users", users.toString()).status());
            assertTrue(s.reload());
            assertTrue(s.verify("alice@example.org", "new one".toCharArray()).get());
            assertFalse(s.verify("alice@example.org", "correct horse".toCharArray()).get());

            assertEquals(0, mta("", "user", "delete", "bob", "--users", users.toString()).status());
            assertTrue(s.reload());
            assertEquals(1, s.size());
        }
    }

    @Test
    void otherLinesCommentsExtraFieldsAndModeAreKept() throws Exception {
        Path users = dir.resolve("users");
        String before = "# SMTP AUTH users\n"
                + "carol:" + PasswordHashTest.DOVECOT_BLF_CRYPT + ":1000:1000::/home/carol\n"
                + "\n"
                + "dave:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n";
        Files.writeString(users, before);
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r-----"));
        Object inode = Files.readAttributes(users, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        assertEquals(0, mta("pw\n", "user", "passwd", "carol", "--users", users.toString(), "--scheme", "blf-crypt").status());
        List<String> lines = Files.readAllLines(users);
        assertEquals("# SMTP AUTH users", lines.get(0));
        assertTrue(lines.get(1).startsWith("carol:{BLF-CRYPT}$2y$05$") && lines.get(1).endsWith(":1000:1000::/home/carol"), lines.get(1));
        assertNotEquals("carol:" + PasswordHashTest.DOVECOT_BLF_CRYPT + ":1000:1000::/home/carol", lines.get(1));
        assertEquals("", lines.get(2));
        assertEquals("dave:" + PasswordHashTest.DOVECOT_ARGON2ID, lines.get(3));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)), "mode kept");
        assertNotEquals(inode, Files.readAttributes(users, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "replaced by a rename, not rewritten in place");
        try (var stray = Files.list(dir)) {
            assertEquals(List.of(), stray.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }

        assertEquals(0, mta("", "user", "delete", "carol", "--users", users.toString()).status());
        assertEquals("# SMTP AUTH users\n\ndave:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n", Files.readString(users));
    }

    @Test
    void refusalsAreOneLineAndStatusOneBadUsageTwo() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "dave:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n");
        String before = Files.readString(users);
        assertOneLine(mta("pw\n", "user", "add", "dave", "--users", users.toString()), 1, "user dave already exists in " + users);
        assertOneLine(mta("pw\n", "user", "passwd", "erin", "--users", users.toString()), 1, "no user erin in " + users);
        assertOneLine(mta("", "user", "delete", "erin", "--users", users.toString()), 1, "no user erin in " + users);
        assertOneLine(mta("", "user", "add", "erin", "--users", users.toString()), 1, "empty password");
        assertEquals(before, Files.readString(users), "nothing written by a refusal");

        assertOneLine(mta("pw\n", "user", "add", "erin"), 2, "--users");
        assertOneLine(mta("pw\n", "user", "add", "er:in", "--users", users.toString()), 2, "cannot hold ':'");
        assertOneLine(mta("pw\n", "user", "add", "erin", "--users", users.toString(), "--scheme", "MD5"), 2,
                "scheme must be ARGON2ID or BLF-CRYPT, not MD5");
        assertOneLine(mta("", "user", "frob", "erin"), 2, "frob");
        assertOneLine(mta("", "user"), 2, "add, passwd or delete");
        Run help = mta("", "user", "add", "--help");
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("--scheme") && help.output().contains("--users"), help.output());
        assertEquals(before, Files.readString(users));
    }
}
