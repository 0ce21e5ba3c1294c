package dev.mta.server.auth;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --users file as the server reads it, the pool checks run on, reloads and the memory cap. */
class UserStoreTest {
    @TempDir
    Path dir;
    private final VerifierPool pool = new VerifierPool(2, 8);

    @AfterEach
    void close() {
        pool.close();
    }

    private static String cheapArgon2(String password) {
        return PasswordHash.Argon2id.create(password.toCharArray(), 64, 1, 1).encoded();
    }

    private static boolean check(UserStore s, String user, String password) throws Exception {
        return s.verify(user, password.toCharArray()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void dovecotFileWithCommentsAndExtraFields() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# users of SMTP AUTH\n\n"
                + "alice:" + PasswordHashTest.DOVECOT_BLF_CRYPT + ":1000:1000::/home/alice::userdb_quota_rule=*:storage=1G\n"
                + "  # indented comment\n"
                + "bob@example.org:" + cheapArgon2("s3cret") + "\r\n"
                + "carol:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n");
        UserStore s = UserStore.open(f, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
        assertEquals(3, s.size());
        assertTrue(check(s, "alice", "test"));
        assertFalse(check(s, "alice", "wrong"));
        assertTrue(check(s, "bob@example.org", "s3cret"));
        assertFalse(check(s, "bob@example.org", "s3cret "));
        assertTrue(check(s, "carol", "test"));
        assertFalse(check(s, "Carol", "test"), "names are exact");
        assertEquals(1, s.dummyChecks());
    }

    @Test
    void unknownUsersRunADummyCheck() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "a:" + cheapArgon2("x") + "\nb:" + cheapArgon2("y") + "\n");
        UserStore s = UserStore.open(f, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
        assertEquals(0, s.dummyChecks());
        assertFalse(check(s, "nobody", "x"));
        assertFalse(check(s, "nobody", ""));
        assertEquals(2, s.dummyChecks());
        assertFalse(check(s, "a", "y"));
        assertEquals(2, s.dummyChecks(), "a known user with a wrong password is checked against its own hash");
    }

    @Test
    void memoryCostAboveTheCapIsRefusedAtLoadNamingFileAndLine() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# big\nok:" + cheapArgon2("x")
                + "\nbig:{ARGON2ID}$argon2id$v=19$m=262144,t=3,p=1$vBb99oJ12p3WAdYlaMHz1A$jtFOtbo/sYV9OSlTxDo/nVNq3uArHd5GJSEx0ty85Cc\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UserStore.open(f, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool));
        assertEquals(f + ":3: Argon2id memory cost m=262144 KiB is above auth-max-argon2-memory (65536 KiB)", e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // A lower cap refuses Dovecot's default cost too.
        Files.writeString(f, "carol:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 32768, pool))
                .getMessage().startsWith(f + ":1: Argon2id memory cost m=65536 KiB"));
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "a:{PLAIN}x\n");
        assertEquals(f + ":1: unsupported password scheme {PLAIN} (ARGON2ID and BLF-CRYPT are)",
                assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 65536, pool)).getMessage());
        Files.writeString(f, "a:" + cheapArgon2("x") + "\nnocolon\n");
        assertEquals(f + ":2: no ':' after the user name",
                assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 65536, pool)).getMessage());
        Files.writeString(f, "a:" + cheapArgon2("x") + "\n#\na:" + cheapArgon2("y") + "\n");
        assertEquals(f + ":3: user a again (first on line 1)",
                assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 65536, pool)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserStore.open(dir.resolve("missing"), 65536, pool))
                .getMessage().startsWith("cannot read users file "));
        // A user's name is its mailbox folder's, and mail finds it in any case.
        Files.writeString(f, "../evil:" + cheapArgon2("x") + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 65536, pool)).getMessage()
                .startsWith(f + ":1: a user name is also the name of its mailbox folder"));
        Files.writeString(f, "alice:" + cheapArgon2("x") + "\nALICE:" + cheapArgon2("y") + "\n");
        assertEquals(f + ":2: user ALICE differs from alice (line 1) only in case",
                assertThrows(IllegalArgumentException.class, () -> UserStore.open(f, 65536, pool)).getMessage());
    }

    @Test
    void mailFindsTheMailboxOwnerInAnyCase() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "Alice:" + cheapArgon2("x") + "\ncarol@example.org:" + cheapArgon2("y") + "\n");
        UserStore s = UserStore.open(f, 65536, pool);
        assertEquals("Alice", s.mailboxOwner("ALICE"));
        assertEquals("carol@example.org", s.mailboxOwner("Carol@Example.org"));
        assertEquals(null, s.mailboxOwner("bob"));
    }

    @Test
    void reloadServesTheNewFileAndKeepsTheOldWhenTheNewIsBad() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "a:" + cheapArgon2("one") + "\n");
        UserStore s = UserStore.open(f, 65536, pool);
        assertTrue(check(s, "a", "one"));
        Files.writeString(f, "a:" + cheapArgon2("two") + "\nb:" + PasswordHashTest.DOVECOT_BLF_CRYPT + "\n");
        assertTrue(s.reload());
        assertFalse(check(s, "a", "one"));
        assertTrue(check(s, "a", "two"));
        assertTrue(check(s, "b", "test"));
        Files.writeString(f, "a:{MD5}bad\n");
        assertFalse(s.reload());
        assertTrue(check(s, "a", "two"), "a bad file keeps the users loaded before");
        assertEquals(2, s.size());
    }

    @Test
    void checksBeyondThePoolAndItsQueueAreRefusedAsBusy() throws Exception {
        try (VerifierPool small = new VerifierPool(2, 3)) {
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(small.submit(() -> {
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return false;
                    }
                }));
            }
            long busy = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            assertTrue(small.waiting() <= 3, "the queue is bounded");
            assertEquals(45, busy, "2 running + 3 waiting, the rest refused at once");
            ExecutionException e = assertThrows(ExecutionException.class, () -> futures.get(49).get());
            assertInstanceOf(VerifierPool.BusyException.class, e.getCause());
            release.countDown();
            for (int i = 0; i < 5; i++) {
                assertTrue(futures.get(i).get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void manyConcurrentArgon2ChecksKeepTheHeapBounded() throws Exception {
        // Dovecot's cost: 64 MiB a check. 200 at once through a pool of 2 threads and 4 places: at most 2 run, so
        // at most 128 MiB is in use; the rest are refused rather than each holding its own 64 MiB.
        Path f = dir.resolve("users");
        Files.writeString(f, "carol:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n");
        try (VerifierPool small = new VerifierPool(2, 4)) {
            UserStore s = UserStore.open(f, 65536, small);
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(s.verify(i % 2 == 0 ? "carol" : "nobody" + i, "test".toCharArray()));
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<Boolean> fu : futures) {
                try {
                    fu.get(60, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    assertInstanceOf(VerifierPool.BusyException.class, e.getCause());
                    refused++;
                }
            }
            assertTrue(ok >= 6 && ok < 200, "ran " + ok);
            assertEquals(200, ok + refused);
        }
    }

    @Test
    void optionsOpenTheStoreWithTheirCap() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "carol:" + PasswordHashTest.DOVECOT_ARGON2ID + "\n");
        @picocli.CommandLine.Command(name = "t")
        class Cmd {
            @picocli.CommandLine.Mixin
            AuthOptions auth = new AuthOptions();
        }
        Cmd none = new Cmd();
        new picocli.CommandLine(none).parseArgs();
        assertEquals(UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, none.auth.maxArgon2MemoryKiB());
        assertEquals(null, none.auth.openStore(pool));
        Cmd low = new Cmd();
        new picocli.CommandLine(low).parseArgs("--users", f.toString(), "--auth-max-argon2-memory", "1024");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> low.auth.openStore(pool)).getMessage()
                .contains("above auth-max-argon2-memory (1024 KiB)"));
        Cmd ok = new Cmd();
        new picocli.CommandLine(ok).parseArgs("--users", f.toString());
        assertTrue(check(ok.auth.openStore(pool), "carol", "test"));
    }
}
