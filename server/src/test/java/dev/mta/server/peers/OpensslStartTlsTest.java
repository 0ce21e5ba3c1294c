package dev.mta.server.peers;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.model.Envelope;
import dev.mta.server.Mta;
import dev.mta.server.auth.UserStore;
import dev.mta.server.auth.VerifierPool;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code openssl s_client}, driven line by line through its standard input as a person at a terminal would: a whole
 * submission under STARTTLS (no STARTTLS offered again, AUTH offered, 530 before it, the message queued), and the
 * protocol versions: TLS 1.2 and 1.3 are taken, TLS 1.1 and 1.0 refused by the server, on STARTTLS and implicit TLS.
 */
@ExtendWith(LeakGuard.class)
class OpensslStartTlsTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Duration REPLY = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static VerifierPool pool;
    static Mta mta;

    @BeforeAll
    static void start() throws Exception {
        pool = new VerifierPool();
        Path users = dir.resolve("users");
        Files.writeString(users, "alice@example.org:" + AuthPeersTest.TEST123 + "\n");
        ServerConfig config = AuthPeersTest.strangerConfig(dir.resolve("spool")); // only AUTH makes loopback a relay client
        mta = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY,
                new TlsSettings(null, null, ANY_LOOPBACK, ANY_LOOPBACK),
                new AuthSettings(UserStore.open(users, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool), false));
    }

    @AfterAll
    static void stop() {
        mta.close();
        pool.close();
    }

    /**
     * s_client on {@code port}, with STARTTLS first or not; {@code -crlf}: each LF typed goes as CRLF; {@code -quiet}
     * (which implies {@code -ign_eof}): no session details, lines starting with Q or R are sent, not obeyed.
     */
    private static List<String> sClient(int port, boolean startTls, String... options) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("openssl"), "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", TestMta.HOSTNAME, "-crlf"));
        if (startTls) {
            cmd.addAll(List.of("-starttls", "smtp", "-name", "openssl.test")); // -name: its own EHLO's name
        }
        cmd.addAll(List.of(options));
        return cmd;
    }

    @Test
    void aWholeSubmissionTypedIntoSClient() throws Exception {
        byte[] content = "Subject: typed into s_client\r\n\r\nhello\r\n.a dot first\r\nbye\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        String id;
        try (ProcessRunner.Dialogue s = ProcessRunner.start(sClient(mta.submissionAddress().getPort(), true, "-quiet"))) {
            // s_client has said EHLO and STARTTLS itself (it stops when STARTTLS is not offered); what is typed now
            // goes under TLS. (It echoes the last line of that first EHLO reply, "250 ENHANCEDSTATUSCODES", to stderr
            // once the handshake is done: it is not an answer to what follows, which every expect below starts after.)
            s.send("EHLO openssl.test\n");
            s.expect("250-" + TestMta.HOSTNAME + "\r\n", REPLY);
            String ehlo = s.expect("250 ENHANCEDSTATUSCODES\r\n", REPLY);
            assertFalse(ehlo.contains("STARTTLS"), "STARTTLS offered again under TLS (RFC 3207 4.2): " + ehlo);
            assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN\r\n"), ehlo);
            s.send("STARTTLS\n");
            s.expect("503 5.5.1", REPLY);
            s.send("MAIL FROM:<alice@example.org>\n");
            s.expect("530 5.7.0 Authentication required\r\n", REPLY);
            s.send("AUTH PLAIN " + AuthPeersTest.b64("\0alice@example.org\0test123") + "\n");
            s.expect("235 2.7.0 Authentication successful\r\n", REPLY);
            s.send("MAIL FROM:<alice@example.org>\n");
            s.expect("250 2.1.0", REPLY);
            s.send("RCPT TO:<carol@example.com>\n");
            s.expect("250 2.1.5", REPLY);
            s.send("DATA\n");
            s.expect("354 ", REPLY);
            s.send("Subject: typed into s_client\n\nhello\n..a dot first\nbye\n.\n"); // dot-stuffed by hand
            s.expect("250 2.0.0 Ok: queued as ", REPLY);
            id = s.expect("\r\n", REPLY).strip();
            s.send("QUIT\n");
            s.expect("221 2.0.0", REPLY);
            ProcessRunner.Result end = s.finish(REPLY); // the server closes; s_client ends with it
            assertEquals(0, end.exitCode(), end.output());
        }
        Envelope e = mta.queue().envelope(id).orElseThrow(() -> new AssertionError(id + " is not queued"));
        assertEquals("alice@example.org", e.sender().address());
        assertEquals(List.of("carol@example.com"), e.recipients().stream().map(MailPath::address).toList());
        assertEquals("openssl.test", e.heloName());
        assertArrayEquals(content, TestMta.withoutReceived(mta.queue().body(id).orElseThrow().readAll()));
    }

    @Test
    void tls12And13AreTakenOnBothListeners() throws Exception {
        for (String version : List.of("-tls1_2", "-tls1_3")) {
            for (boolean startTls : new boolean[]{true, false}) {
                int port = startTls ? mta.smtpAddress().getPort() : mta.smtpsAddress().getPort();
                ProcessRunner.Result r = ProcessRunner.run(sClient(port, startTls, "-brief", "-ign_eof", version),
                        "NOOP\nQUIT\n", 30);
                String what = version + (startTls ? " after STARTTLS" : " on implicit TLS") + ":\n" + r.output();
                assertEquals(0, r.exitCode(), what);
                assertTrue(r.output().contains("Protocol version: TLSv1." + version.charAt(version.length() - 1)), what);
                assertTrue(r.output().contains("250 2.0.0"), "NOOP answered under TLS: " + what);
                assertTrue(r.output().contains("221 2.0.0"), what);
            }
        }
    }

    /**
     * The MTA's minimum is TLS 1.2. {@code @SECLEVEL=0} lets OpenSSL 3 offer the old versions at all; a handshake that
     * then ends in the server's protocol_version alert (70) is the server's refusal, not the client's.
     */
    @Test
    void tls11AndBelowAreRefusedByTheServer() throws Exception {
        for (String version : List.of("-tls1_1", "-tls1")) {
            for (boolean startTls : new boolean[]{true, false}) {
                int port = startTls ? mta.smtpAddress().getPort() : mta.smtpsAddress().getPort();
                ProcessRunner.Result r = ProcessRunner.run(sClient(port, startTls, "-brief", "-ign_eof", version,
                        "-cipher", "DEFAULT:@SECLEVEL=0"), "NOOP\nQUIT\n", 30);
                String out = r.output();
                String what = version + (startTls ? " after STARTTLS" : " on implicit TLS") + ":\n" + out;
                if (!out.contains("alert protocol version") && (out.contains("no protocols available")
                        || out.contains("nknown option") || out.contains("unsupported protocol"))) {
                    Assumptions.abort("this openssl cannot offer " + version + " at all, so it cannot show the"
                            + " server refuses it: " + what);
                }
                assertNotEquals(0, r.exitCode(), what);
                assertTrue(out.contains("alert protocol version"), "the server's protocol_version alert: " + what);
                assertFalse(out.contains("CONNECTION ESTABLISHED"), what);
                assertFalse(out.contains("250 2.0.0"), what);
            }
        }
    }
}
