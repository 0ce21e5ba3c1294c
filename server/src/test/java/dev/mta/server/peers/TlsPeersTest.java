package dev.mta.server.peers;

import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.Mta;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS with clients no one here wrote: Python's smtplib ({@code starttls()}, {@code SMTP_SSL}), {@code openssl
 * s_client -starttls smtp} and swaks {@code --tls}; and the three listeners: plain SMTP with STARTTLS, submission
 * (530 before AUTH) and implicit TLS. The certificate is the MTA's own self-signed one.
 */
@ExtendWith(LeakGuard.class)
class TlsPeersTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    static Path spool;
    static Mta mta;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = TestMta.config(spool);
        mta = Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY,
                new TlsSettings(null, null, ANY_LOOPBACK, ANY_LOOPBACK));
    }

    @AfterAll
    static void stop() {
        mta.close();
    }

    @Test
    void pythonSmtplibStartsTlsAndSends() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.smtpAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    print('before', s.has_extn('starttls'))",
                "    print('starttls', s.starttls(context=ctx))",
                "    s.ehlo('client.example')",
                "    print('after', s.has_extn('starttls'), s.sock.version())",
                "    print('sent', s.sendmail('me@example.net', ['alice@example.com'], b'Subject: tls\\r\\n\\r\\nhi\\r\\n'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("before True"), r.output());
        assertTrue(r.output().contains("starttls (220, b'2.0.0 Ready to start TLS')"), r.output());
        assertTrue(r.output().matches("(?s).*after False TLSv1\\.[23].*"), r.output());
        assertTrue(r.output().contains("sent {}"), r.output());
    }

    @Test
    void pythonSmtpSslOnTheImplicitTlsListener() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP_SSL('127.0.0.1', " + mta.smtpsAddress().getPort() + ", context=ctx) as s:",
                "    s.ehlo('client.example')",
                "    print('offers', s.has_extn('starttls'))",
                "    print('again', s.docmd('STARTTLS'))",
                "    print('mail', s.mail('me@example.net'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("offers False"), r.output());
        assertTrue(r.output().contains("again (503, b'5.5.1 Error: TLS already active')"), r.output());
        // RFC 8314: implicit TLS is submission: mail only once authenticated.
        assertTrue(r.output().contains("mail (530, b'5.7.0 Authentication required')"), r.output());
    }

    @Test
    void submissionListenerWantsAuthenticationBeforeMail() throws Exception {
        ProcessRunner.Result r = PeerClients.python(
                "with smtplib.SMTP('127.0.0.1', " + mta.submissionAddress().getPort() + ") as s:",
                "    s.ehlo('client.example')",
                "    print('offers', s.has_extn('starttls'))",
                "    s.starttls(context=ctx)",
                "    s.ehlo('client.example')",
                "    print('mail', s.mail('me@example.net'))");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("offers True"), r.output());
        assertTrue(r.output().contains("mail (530, b'5.7.0 Authentication required')"), r.output());
    }

    @Test
    void submissionRefusesMailInPlaintextToo() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.submissionAddress())) {
            c.command("MAIL FROM:<me@example.net>").assertReply(530, "5.7.0");
            c.command("RCPT TO:<alice@example.com>").assertReply(503, "5.5.1");
        }
    }

    @Test
    void implicitTlsGreetsOnlyUnderTls() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connectTls(mta.smtpsAddress())) {
            c.expect(220);
            Reply ehlo = c.command("EHLO client.test").assertCode(250);
            assertFalse(ehlo.lines().contains("STARTTLS"), ehlo::toString);
            c.command("MAIL FROM:<me@example.net>").assertReply(530, "5.7.0");
        }
        try (SmtpTestClient c = SmtpTestClient.connect(mta.smtpsAddress())) {
            c.setReadTimeout(2000);
            c.send("EHLO plain.test\r\n"); // plaintext on the TLS port: never answered as SMTP
            String rest = c.readToEnd();
            assertFalse(rest.contains("250"), rest);
            assertFalse(rest.contains("220"), rest);
        }
    }

    @Test
    void opensslStartTls() throws Exception {
        String openssl = Peers.require("openssl");
        // -crlf: each LF goes as CRLF; -quiet: no session details, and end of input does not end the session.
        ProcessRunner.Result r = ProcessRunner.run(List.of(openssl, "s_client", "-starttls", "smtp", "-crlf", "-quiet",
                "-connect", "127.0.0.1:" + mta.smtpAddress().getPort(), "-servername", "mx.test"),
                "EHLO openssl.test\nMAIL FROM:<me@example.net>\nQUIT\n", 30);
        assertEquals(0, r.exitCode(), r.output());
        // s_client says its own EHLO and STARTTLS, then hands over: ours are answered under TLS.
        assertTrue(r.output().contains("250 2.1.0 Sender ok"), r.output());
        assertTrue(r.output().contains("221 2.0.0"), r.output());
        assertFalse(r.output().contains("250-STARTTLS"), "offered under TLS: " + r.output());
    }

    @Test
    void swaksTls() throws Exception {
        String swaks = PeerClients.requireSwaksTls();
        ProcessRunner.Result r = ProcessRunner.run(List.of(swaks, "--server", "127.0.0.1:" + mta.smtpAddress().getPort(),
                "--tls", "--helo", "swaks.test", "--from", "sender@example.com", "--to", "alice@example.com"), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("220 2.0.0 Ready to start TLS"), r.output());
        assertTrue(r.output().contains("TLS started"), r.output());
        assertTrue(r.output().contains("queued as"), r.output());
    }
}
