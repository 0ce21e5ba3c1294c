package dev.mta.server.peers;

import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.Mta;
import dev.mta.server.auth.AuthOptions;
import dev.mta.server.auth.UserStore;
import dev.mta.server.auth.VerifierPool;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RelayControl;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTP AUTH over real sockets with real clients (Python's smtplib, swaks) and by hand. Loopback is a stranger here
 * ({@code mynetworks 192.0.2.0/24}), so relaying needs AUTH; AUTH is offered to loopback without TLS as well.
 */
@ExtendWith(LeakGuard.class)
class AuthPeersTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    /** doveadm pw -s BLF-CRYPT -p test123 */
    static final String TEST123 = "{BLF-CRYPT}$2y$05$cEEZv2h/NtLXII.emi2TP.rMZyB7VRSkyToXWBqqz6cXDoyay166q";

    @TempDir
    static Path dir;
    static Mta mta;
    static VerifierPool pool;

    static UserStore users(Path dir) throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "alice@example.org:" + TEST123 + "\nbob:" + TEST123 + "\n");
        return UserStore.open(file, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
    }

    static ServerConfig strangerConfig(Path spool) {
        return TestMta.config(spool).withRelayControl(new RelayControl(RelayControl.networks("192.0.2.0/24"),
                DomainList.parse(""), DomainList.parse(""), null));
    }

    @BeforeAll
    static void start() throws Exception {
        pool = new VerifierPool();
        ServerConfig config = strangerConfig(dir.resolve("spool"));
        mta = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY,
                new TlsSettings(null, null, ANY_LOOPBACK, null), new AuthSettings(users(dir), false));
    }

    @AfterAll
    static void stop() {
        mta.close();
        pool.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pythonStartTlsThenLoginThenRelays() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.smtpAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    try:",
                "        s.sendmail('alice@example.org', ['carol@example.com'], b'Subject: x\\r\\n\\r\\nhi\\r\\n')",
                "    except smtplib.SMTPRecipientsRefused as e:",
                "        print('refused', e.recipients)",
                "    s.starttls(context=ctx)",
                "    s.ehlo('client.example')",
                "    print('auth', s.esmtp_features.get('auth'))",
                "    print('login', s.login('alice@example.org', 'test123'))",
                "    print('sent', s.sendmail('alice@example.org', ['carol@example.com'], b'Subject: x\\r\\n\\r\\nhi\\r\\n'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("refused {'carol@example.com': (554, b'5.7.1"), r.output());
        assertTrue(r.output().contains("auth  PLAIN LOGIN") || r.output().contains("auth PLAIN LOGIN"), r.output());
        assertTrue(r.output().contains("login (235, b'2.7.0 Authentication successful')"), r.output());
        assertTrue(r.output().contains("sent {}"), r.output());
    }

    @Test
    void pythonLoginMechanismOnLoopbackWithoutTls() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.smtpAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    s.user, s.password = 'bob', 'test123'",
                "    print('login', s.auth('LOGIN', s.auth_login, initial_response_ok=False))",
                "    print('sent', s.sendmail('anyone@example.net', ['carol@example.com'], b'Subject: x\\r\\n\\r\\nhi\\r\\n'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("login (235, b'2.7.0 Authentication successful')"), r.output());
        assertTrue(r.output().contains("sent {}"), r.output());
    }

    @Test
    void pythonWrongPasswordIs535() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.smtpAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    try:",
                "        s.login('alice@example.org', 'wrong')",
                "    except smtplib.SMTPAuthenticationError as e:",
                "        print('failed', e.smtp_code, e.smtp_error)");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("failed 535 b'5.7.8 Authentication credentials invalid'"), r.output());
    }

    @Test
    void pythonSubmissionTakesMailAfterAuth() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.submissionAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    print('before', s.mail('alice@example.org'))",
                "    s.rset()",
                "    s.starttls(context=ctx)",
                "    s.ehlo('client.example')",
                "    print('login', s.login('alice@example.org', 'test123'))",
                "    print('sent', s.sendmail('alice@example.org', ['carol@example.com'], b'Subject: x\\r\\n\\r\\nhi\\r\\n'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("before (530, b'5.7.0 Authentication required')"), r.output());
        assertTrue(r.output().contains("login (235"), r.output());
        assertTrue(r.output().contains("sent {}"), r.output());
    }

    @Test
    void swaksAuthPlainAndLoginUnderTls() throws Exception {
        String swaks = PeerClients.requireSwaksTls();
        for (String mech : List.of("PLAIN", "LOGIN")) {
            ProcessRunner.Result r = ProcessRunner.run(List.of(swaks, "--server",
                    "127.0.0.1:" + mta.smtpAddress().getPort(), "--tls", "--auth", mech, "--auth-user",
                    "alice@example.org", "--auth-password", "test123", "--helo", "swaks.test",
                    "--from", "alice@example.org", "--to", "carol@example.com"), 60);
            assertEquals(0, r.exitCode(), mech + ": " + r.output());
            assertTrue(r.output().contains("235 2.7.0 Authentication successful"), r.output());
            assertTrue(r.output().contains("queued as"), r.output());
        }
    }

    @Test
    void theExchangeByHand() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(mta.smtpAddress())) {
            c.expect(220);
            c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(503, "5.5.1"); // before EHLO
            c.command("HELO client.test").assertCode(250);
            c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(503, "5.5.1"); // not ESMTP
            Reply ehlo = c.command("EHLO client.test").assertCode(250);
            assertTrue(ehlo.lines().contains("AUTH PLAIN LOGIN"), ehlo::toString);
            c.command("AUTH CRAM-MD5").assertReply(504, "5.5.4");
            c.command("AUTH PLAIN").assertCode(334);
            c.command("*").assertReply(501, "5.0.0");
            c.command("AUTH PLAIN not-base64!").assertReply(501, "5.5.2");
            Reply user = c.command("AUTH LOGIN").assertCode(334);
            assertEquals("VXNlcm5hbWU6", user.lines().get(0), user::toString);
            Reply pass = c.command(b64("alice@example.org")).assertCode(334);
            assertEquals("UGFzc3dvcmQ6", pass.lines().get(0), pass::toString);
            c.command(b64("test123")).assertReply(235, "2.7.0");
            c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(503, "5.5.1"); // twice
            c.command("MAIL FROM:<mallory@example.org>").assertReply(553, "5.7.1");
            c.command("MAIL FROM:<Alice@Example.org>").assertReply(250, "2.1.0");
            c.command("RCPT TO:<carol@example.com>").assertReply(250, "2.1.5");
            c.command("RSET").assertCode(250);
        }
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
            c.command("MAIL FROM:<x@example.net>").assertCode(250);
            c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(503, "5.5.1"); // in a transaction
            c.command("RSET").assertCode(250);
            c.command("AUTH PLAIN").assertCode(334);
            c.command(b64("\0bob\0test123")).assertReply(235, "2.7.0");
            c.command("MAIL FROM:<whoever@example.net>").assertReply(250, "2.1.0"); // bob owns no address
        }
    }

    @Test
    void lockoutAfterTooManyFailures() throws Exception {
        Path d = dir.resolve("lockout");
        Files.createDirectories(d);
        ServerConfig config = strangerConfig(d.resolve("spool"));
        try (Mta other = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT,
                new AuthSettings(users(d), false))) {
            try (SmtpTestClient c = SmtpTestClient.greeted(other.smtpAddress())) {
                for (int i = 1; i < 5; i++) {
                    c.command("AUTH PLAIN " + b64("\0bob\0wrong" + i)).assertReply(535, "5.7.8");
                }
                c.command("AUTH PLAIN " + b64("\0bob\0wrong5")).assertReply(421, "4.7.0");
                assertTrue(c.closedByServer());
            }
            try (SmtpTestClient c = SmtpTestClient.connect(other.smtpAddress())) {
                c.expect(421);
                assertTrue(c.closedByServer());
            }
        }
    }

    /** Guesses sent in parallel, each on a connection of its own, are counted before they run: at most the limit run. */
    @Test
    void parallelGuessesCannotOutrunTheLockout() throws Exception {
        Path d = dir.resolve("parallel");
        Files.createDirectories(d);
        ServerConfig config = strangerConfig(d.resolve("spool"));
        try (Mta other = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT,
                new AuthSettings(users(d), false))) {
            int clients = 12;
            java.util.List<SmtpTestClient> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    open.add(SmtpTestClient.greeted(other.smtpAddress()));
                }
                for (int i = 0; i < clients; i++) { // all sent before any is answered (the answer waits a second)
                    open.get(i).send("AUTH PLAIN " + b64("\0bob\0guess" + i) + "\r\n");
                }
                int checked = 0;
                for (SmtpTestClient c : open) {
                    Reply r = c.read();
                    if (r.code() == 535 || r.code() == 421) {
                        checked++;
                    } else {
                        r.assertReply(454, "4.7.0");
                    }
                }
                assertTrue(checked <= 5, checked + " guesses were checked; the limit is 5");
                assertTrue(checked >= 1, "some were checked");
            } finally {
                for (SmtpTestClient c : open) {
                    c.close();
                }
            }
        }
    }

    /** RFC 4954 4: an AUTH command ends with one final reply; a response line too long to frame is that reply. */
    @Test
    void aResponseLineTooLongEndsTheExchange() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
            c.command("AUTH PLAIN").assertCode(334);
            c.command("A".repeat(600)).assertReply(500, "5.5.6");
            c.command("NOOP").assertReply(250, "2.0.0"); // a command again, not taken for credentials
            c.command("AUTH LOGIN").assertCode(334);
            c.command("B".repeat(600)).assertReply(500, "5.5.6");
            c.command("NOOP").assertReply(250, "2.0.0");
        }
    }

    /** A local address that is not loopback, so a client connecting to it is not on loopback either. */
    private static java.net.InetAddress nonLoopback() throws Exception {
        for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        Assumptions.abort("no non-loopback IPv4 address here");
        return null;
    }

    @Test
    void withoutTlsAwayFromLoopbackAuthNeedsTlsOrAllowPlaintext() throws Exception {
        java.net.InetAddress here = nonLoopback();
        for (boolean allowPlaintext : new boolean[]{false, true}) {
            Path d = dir.resolve("plain-" + allowPlaintext);
            Files.createDirectories(d);
            ServerConfig config = strangerConfig(d.resolve("spool")).withSmtpListen(new InetSocketAddress(here, 0))
                    .withRelayControl(new RelayControl(RelayControl.networks("198.51.100.0/24"),
                            DomainList.parse(""), DomainList.parse(""), null));
            try (Mta other = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY,
                    TlsSettings.DEFAULT, new AuthSettings(users(d), allowPlaintext))) {
                try (SmtpTestClient c = SmtpTestClient.connect(other.smtpAddress())) {
                    c.expect(220);
                    Reply ehlo = c.command("EHLO client.test").assertCode(250);
                    assertEquals(allowPlaintext, ehlo.lines().contains("AUTH PLAIN LOGIN"), ehlo::toString);
                    c.command("RCPT TO:<carol@example.com>").assertCode(503);
                    if (!allowPlaintext) {
                        c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(538, "5.7.11");
                        c.command("STARTTLS").assertReply(220, "2.0.0");
                        c.startTls();
                        ehlo = c.command("EHLO client.test").assertCode(250);
                        assertTrue(ehlo.lines().contains("AUTH PLAIN LOGIN"), ehlo::toString);
                    }
                    c.command("MAIL FROM:<alice@example.org>").assertCode(250);
                    c.command("RCPT TO:<carol@example.com>").assertReply(554, "5.7.1");
                    c.command("RSET").assertCode(250);
                    c.command("AUTH PLAIN " + b64("\0alice@example.org\0test123")).assertReply(235, "2.7.0");
                    c.command("MAIL FROM:<alice@example.org>").assertCode(250);
                    c.command("RCPT TO:<carol@example.com>").assertReply(250, "2.1.5");
                }
            }
        }
    }

    @Test
    void aBusyVerifierIs454() throws Exception {
        Path d = dir.resolve("busy");
        Files.createDirectories(d);
        ServerConfig config = strangerConfig(d.resolve("spool"));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (VerifierPool one = new VerifierPool(1, 0)) {
            Path file = d.resolve("users");
            Files.writeString(file, "bob:" + TEST123 + "\n");
            UserStore store = UserStore.open(file, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, one);
            one.submit(() -> { // the only thread, taken
                try {
                    return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            });
            try (Mta other = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT,
                    new AuthSettings(store, false));
                 SmtpTestClient c = SmtpTestClient.greeted(other.smtpAddress())) {
                c.command("AUTH PLAIN " + b64("\0bob\0test123")).assertReply(454, "4.7.0");
                release.countDown();
                Reply r;
                long until = System.nanoTime() + 10_000_000_000L;
                do { // the blocking task may still hold the thread a moment
                    r = c.command("AUTH PLAIN " + b64("\0bob\0test123"));
                } while (r.code() == 454 && System.nanoTime() < until);
                r.assertReply(235, "2.7.0");
            } finally {
                release.countDown();
            }
        }
    }
}
