package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Argon2id checks take their memory cost (64 MiB by default) from the heap. A real MTA with a 128 MB heap gets
 * several AUTH attempts at once (no valid login needed: an unknown user costs a check too): they run one at a time,
 * every client gets its answer, and the MTA lives on.
 */
class AuthMemoryTest {
    @TempDir
    Path dir;

    @Test
    void simultaneousArgon2ChecksFitASmallHeap() throws Exception {
        Path users = dir.resolve("users");
        ProcessRunner.Result added = ProcessRunner.run(MtaProcess.command(List.of("-Xmx128m"),
                List.of("user", "add", "alice@example.org", "--users", users.toString())), "secret\n", 120);
        assertEquals(0, added.exitCode(), added.output());
        assertTrue(Files.readString(users).contains("{ARGON2ID}$argon2id$v=19$m=65536"), Files.readString(users));
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = MtaProcess.start(port, dir.resolve("spool"), log, List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--users", users.toString(), "--no-relay"));
        try {
            MtaProcess.awaitListening(port);
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
            List<SmtpTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(SmtpTestClient.greeted(a));
                }
                for (int i = 0; i < 4; i++) {
                    String who = i % 2 == 0 ? "alice@example.org" : "nobody" + i + "@example.org";
                    clients.get(i).send("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                            ("\0" + who + "\0wrong").getBytes(StandardCharsets.UTF_8)) + "\r\n");
                }
                for (SmtpTestClient c : clients) {
                    c.setReadTimeout(60_000);
                    Reply r = c.read();
                    assertTrue(r.code() == 535 || r.code() == 454, r::toString);
                }
            } finally {
                for (SmtpTestClient c : clients) {
                    c.close();
                }
            }
            try (SmtpTestClient c = SmtpTestClient.greeted(a)) {
                c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString(
                        "\0alice@example.org\0secret".getBytes(StandardCharsets.UTF_8))).assertReply(235, "2.7.0");
            }
            assertTrue(mta.isAlive(), () -> "the MTA died:\n" + read(log));
            assertFalse(read(log).contains("OutOfMemoryError"), () -> read(log));
        } finally {
            mta.destroy();
            mta.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
