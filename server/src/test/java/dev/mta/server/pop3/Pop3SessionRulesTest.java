package dev.mta.server.pop3;

import dev.mta.server.auth.AuthFailures;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locks, what a session sees and removes, logins and their failures, STLS and implicit TLS, over real sockets. */
@ExtendWith(LeakGuard.class)
class Pop3SessionRulesTest {
    @TempDir
    Path dir;

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSecondConcurrentLoginGetsInUse() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            pop3.deliver("alice", "Subject: x\n\nx\n");
            try (Pop3Client first = Pop3Client.greeted(pop3.address());
                 Pop3Client second = Pop3Client.greeted(pop3.address())) {
                assertTrue(first.login("alice").startsWith("+OK"));
                assertTrue(second.cmd("USER alice").startsWith("+OK"));
                assertTrue(second.cmd("PASS " + Pop3Fixture.PASSWORD).startsWith("-ERR [IN-USE]"));
                assertTrue(second.cmd("STAT").startsWith("-ERR"), "still in AUTHORIZATION");
                assertTrue(first.cmd("QUIT").startsWith("+OK"));
                assertTrue(first.closedByServer());
                assertTrue(second.login("alice").startsWith("+OK"), "free once the first session ended");
            }
            try (Pop3Client bob = Pop3Client.greeted(pop3.address())) {
                assertEquals("+OK Logged in, 0 messages (0 octets)", bob.login("bob"), "no Maildir: an empty maildrop");
            }
            assertFalse(Files.exists(pop3.maildir("bob")), "reading does not create a Maildir");
        }
    }

    @Test
    void mailArrivingDuringASessionWaitsForTheNext() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            pop3.deliver("alice", "Subject: 1\n\n1\n");
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                pop3.deliver("alice", "Subject: 2\n\n2\n");
                assertTrue(c.cmd("STAT").startsWith("+OK 1 "));
                assertTrue(c.cmd("RETR 2").startsWith("-ERR"));
                c.cmd("QUIT");
            }
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                assertTrue(c.cmd("STAT").startsWith("+OK 2 "));
            }
        }
    }

    @Test
    void aDroppedSessionRemovesNothingAndQuitBeforeLoginNeither() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            Path f = pop3.deliver("alice", "Subject: x\n\nx\n");
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                assertTrue(c.cmd("DELE 1").startsWith("+OK"));
                c.drop();
            }
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                // The lock comes free once the server has seen the close; the file is still there.
                String reply = c.login("alice");
                for (int i = 0; i < 50 && reply.startsWith("-ERR [IN-USE]"); i++) {
                    Thread.sleep(100);
                    reply = c.login("alice");
                }
                assertTrue(reply.startsWith("+OK Logged in, 1 messages"), reply);
                assertTrue(c.cmd("DELE 1").startsWith("+OK"));
            }
            assertTrue(Files.exists(f));
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.cmd("USER alice");
                assertTrue(c.cmd("QUIT").startsWith("+OK"));
            }
            assertTrue(Files.exists(f));
        }
    }

    @Test
    void uidlStaysAcrossSessionsAndAMoveToCur() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            Path f = pop3.deliver("alice", "Subject: x\n\nx\n");
            String before;
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                before = c.cmd("UIDL 1");
                c.cmd("QUIT");
            }
            Path moved = pop3.maildir("alice").resolve("cur").resolve(f.getFileName() + ":2,S");
            Files.move(f, moved);
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                assertEquals(before, c.cmd("UIDL 1"));
                // Moved again while this session holds it (another reader set a flag): DELE still finds it.
                Files.move(moved, pop3.maildir("alice").resolve("cur").resolve(f.getFileName() + ":2,RS"));
                assertTrue(c.cmd("DELE 1").startsWith("+OK"));
                assertTrue(c.cmd("QUIT").startsWith("+OK"));
            }
            assertTrue(pop3.files("alice").isEmpty());
        }
    }

    @Test
    void aWrongPasswordIsAuthAfterTheDelayAndTheLimitLocksTheAddressOut() throws Exception {
        AuthFailures failures = new AuthFailures(2, Duration.ofMinutes(10).toNanos(), 100, System::nanoTime);
        try (Pop3Fixture pop3 = new Pop3Fixture(dir, failures, Duration.ofMinutes(10), 100)) {
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.cmd("USER alice");
                long t0 = System.nanoTime();
                assertTrue(c.cmd("PASS wrong").startsWith("-ERR [AUTH]"));
                assertTrue((System.nanoTime() - t0) / 1_000_000 >= Pop3Fixture.FAILURE_DELAY_MILLIS, "answered after the delay");
                c.cmd("USER nobody");
                assertTrue(c.cmd("PASS wrong").startsWith("-ERR [AUTH]"), "the second failure reaches the limit");
                assertTrue(c.closedByServer());
            }
            try (Pop3Client c = Pop3Client.connect(pop3.address())) {
                assertTrue(c.line().startsWith("-ERR [SYS/TEMP]"), "locked out at connect");
            }
        }
    }

    @Test
    void authPlainWithAndWithoutInitialResponse() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                assertEquals("+ ", c.cmd("AUTH PLAIN"));
                assertTrue(c.cmd("*").startsWith("-ERR"), "cancelled");
                assertEquals("+ ", c.cmd("AUTH PLAIN"));
                assertTrue(c.cmd("not base64!").startsWith("-ERR"));
                assertTrue(c.cmd("AUTH LOGIN").startsWith("-ERR"), "only PLAIN");
                assertEquals("+ ", c.cmd("AUTH PLAIN"));
                assertTrue(c.cmd(plain("alice", Pop3Fixture.PASSWORD)).startsWith("+OK"));
                assertTrue(c.cmd("STAT").startsWith("+OK 0 0"));
                assertTrue(c.cmd("CAPA").startsWith("+OK"));
                List<String> capa = c.multiLine();
                assertFalse(capa.contains("USER") || capa.contains("STLS") || capa.contains("SASL PLAIN"), capa.toString());
            }
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                assertTrue(c.cmd("AUTH PLAIN " + plain("bob", "wrong")).startsWith("-ERR [AUTH]"));
                assertTrue(c.cmd("AUTH PLAIN " + plain("bob", Pop3Fixture.PASSWORD)).startsWith("+OK"));
            }
        }
    }

    @Test
    void stlsDiscardsWhatWasPipelinedBehindItAndStartsOver() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.cmd("USER bob"); // a name given before TLS is forgotten too
                c.send("STLS\r\nUSER alice\r\n"); // injected in the clear, in the same segment
                assertEquals("+OK Begin TLS negotiation", c.line());
                c.startTls(pop3.address());
                assertTrue(c.cmd("PASS " + Pop3Fixture.PASSWORD).startsWith("-ERR"), "no USER survived STLS");
                assertTrue(c.cmd("CAPA").startsWith("+OK"));
                List<String> capa = c.multiLine();
                assertFalse(capa.contains("STLS"), capa.toString());
                assertTrue(capa.contains("USER") && capa.contains("SASL PLAIN"), capa.toString());
                assertTrue(c.cmd("STLS").startsWith("-ERR"), "TLS already active");
                assertTrue(c.login("alice").startsWith("+OK"));
                assertTrue(c.cmd("STLS").startsWith("-ERR"), "not in TRANSACTION");
            }
        }
    }

    @Test
    void implicitTlsGreetsAfterTheHandshake() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir)) {
            pop3.deliver("alice", "Subject: x\n\nx\n");
            try (Pop3Client c = Pop3Client.greetedTls(pop3.tlsAddress())) {
                assertTrue(c.cmd("CAPA").startsWith("+OK"));
                assertFalse(c.multiLine().contains("STLS"));
                assertTrue(c.login("alice").startsWith("+OK Logged in, 1 messages"));
            }
        }
    }

    @Test
    void pastTheConnectionLimitTheAnswerIsSysTemp() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir, new AuthFailures(), Duration.ofMinutes(10), 1);
             Pop3Client first = Pop3Client.greeted(pop3.address());
             Pop3Client second = Pop3Client.connect(pop3.address())) {
            assertTrue(second.line().startsWith("-ERR [SYS/TEMP]"));
            assertTrue(second.closedByServer());
            assertEquals("+OK Send PASS", first.cmd("USER alice"));
        }
    }

    @Test
    void anIdleSessionIsClosedWithoutAReplyAndRemovesNothing() throws Exception {
        try (Pop3Fixture pop3 = new Pop3Fixture(dir, new AuthFailures(), Duration.ofMillis(500), 100)) {
            Path f = pop3.deliver("alice", "Subject: x\n\nx\n");
            try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
                c.login("alice");
                c.cmd("DELE 1");
                c.setTimeout(10_000);
                assertTrue(c.closedByServer(), "closed, and nothing was said first");
            }
            assertTrue(Files.exists(f));
        }
    }
}
