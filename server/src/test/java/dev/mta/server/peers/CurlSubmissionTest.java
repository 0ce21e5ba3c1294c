package dev.mta.server.peers;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.Peers;
import dev.mta.testkit.SmtpSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Message submission as a mail client does it, with curl (its SMTP support is libcurl's, written by no one here):
 * the {@code mta} command with {@code --submission-listen} (STARTTLS, then AUTH, before MAIL) and {@code
 * --smtps-listen} (implicit TLS, RFC 8314), a user added with {@code mta user add} to its {@code --users} file, and
 * Postfix's smtp-sink as the next hop. Loopback is not in {@code --mynetworks}, so only AUTH lets the client relay.
 * curl checks the certificate: the self-signed one the MTA made in its spool, for its hostname {@code mx.test}.
 */
class CurlSubmissionTest {
    private static final String USER = "alice@example.org";
    private static final String PASSWORD = "test123";
    private static final Pattern QUEUED = Pattern.compile("< 250 2\\.0\\.0 Ok: queued as ([0-9A-F]+)");

    @TempDir
    static Path dir;
    static String curl;
    static SmtpSink sink;
    static Process mta;
    static Path log;
    static Path cert;
    static int submissionPort;
    static int smtpsPort;

    @BeforeAll
    static void start() throws Exception {
        curl = Peers.require("curl");
        sink = SmtpSink.start(dir);
        Path users = dir.resolve("users");
        // The operator's way to add a user: the password on standard input.
        ProcessRunner.Result added = ProcessRunner.run(MtaProcess.command(List.of("-Xmx128m"), List.of("user", "add",
                USER, "--users", users.toString(), "--scheme", "BLF-CRYPT")), PASSWORD + "\n", 60);
        assertEquals(0, added.exitCode(), added.output());
        int smtpPort = MtaProcess.freePort();
        submissionPort = MtaProcess.freePort();
        smtpsPort = MtaProcess.freePort();
        Path spool = dir.resolve("spool");
        log = dir.resolve("mta.log");
        mta = MtaProcess.start(smtpPort, spool, log, List.of("-Xmx256m"), List.of(
                "--submission-listen", "127.0.0.1:" + submissionPort,
                "--smtps-listen", "127.0.0.1:" + smtpsPort,
                "--users", users.toString(),
                "--mynetworks", "192.0.2.0/24",
                "--transport-map", "*=127.0.0.1:" + sink.address().getPort(),
                "--outbound-idle-timeout", "1")); // smtp-sink writes a message out when its connection ends
        MtaProcess.awaitListening(smtpPort);
        MtaProcess.awaitListening(submissionPort);
        awaitAccepting(smtpsPort); // it greets only after a handshake
        cert = spool.resolve("tls-selfsigned-cert.pem");
        assertTrue(Files.isRegularFile(cert), "no self-signed certificate in the spool: " + mtaLog());
    }

    @AfterAll
    static void stop() throws Exception {
        if (mta != null) {
            mta.destroy();
            if (!mta.waitFor(30, TimeUnit.SECONDS)) {
                mta.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static void awaitAccepting(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on " + port + ": " + mtaLog());
    }

    private static String mtaLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A message file with CRLF line ends, as SMTP wants it (curl sends the file as it is, dot-stuffed). */
    private static Path message(String subject) throws IOException {
        Path file = dir.resolve(subject + ".eml");
        Files.writeString(file, "From: Alice <" + USER + ">\r\nTo: carol@example.com\r\nSubject: " + subject + "\r\n"
                + "\r\nHello from curl.\r\n.a line that starts with a dot\r\nlast line\r\n", StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * curl, verbose (its side of the dialogue on stderr: "> " what it sent, "< " what it got), checking the MTA's
     * certificate and name: {@code mx.test} resolves to 127.0.0.1 for it alone.
     */
    private static ProcessRunner.Result curl(String scheme, int port, String subject, String... options)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(curl, "-sS", "-v", "--max-time", "30",
                "--cacert", cert.toString(), "--resolve", "mx.test:" + port + ":127.0.0.1",
                "--mail-from", USER, "--mail-rcpt", "carol@example.com",
                "--upload-file", message(subject).toString()));
        cmd.addAll(List.of(options));
        cmd.add(scheme + "://mx.test:" + port + "/curl.example"); // the path is curl's EHLO name
        return ProcessRunner.run(cmd, 60);
    }

    private static String queueId(ProcessRunner.Result r) {
        Matcher m = QUEUED.matcher(r.output());
        assertTrue(m.find(), () -> "not queued:\n" + r.output());
        return m.group(1);
    }

    /** The message smtp-sink got with this subject, once written out whole. */
    private static String relayed(String subject) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String m : sink.messages()) {
                if (m.contains("Subject: " + subject + "\n") && m.endsWith("\n\n")) {
                    return m;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("smtp-sink never got \"" + subject + "\"; it has " + sink.messages() + "\nMTA log:\n"
                + mtaLog());
    }

    /** The checks every relayed message passes: the same message, relayed under the queue id curl was given. */
    private static void assertRelayedWhole(String subject, String queueId) throws Exception {
        String m = relayed(subject);
        // smtp-sink's dump: the envelope it got as X- headers, then the content, unstuffed, its lines ended by LF.
        // RFC 3848: under TLS and authenticated.
        assertTrue(m.contains("\tby " + TestMta.HOSTNAME + " with ESMTPSA id " + queueId), m);
        assertTrue(m.contains("\nFrom: Alice <" + USER + ">\nTo: carol@example.com\nSubject: " + subject + "\n"
                + "\nHello from curl.\n.a line that starts with a dot\nlast line\n"), m);
        assertTrue(m.contains("\nX-Mail-Args: <" + USER + ">\nX-Rcpt-Args: <carol@example.com>\n"), m);
    }

    @Test
    void submissionStartsTlsAuthenticatesAndIsRelayed() throws Exception {
        ProcessRunner.Result r = curl("smtp", submissionPort, "submitted-by-curl", "--ssl-reqd",
                "--user", USER + ":" + PASSWORD);
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        int tls = out.indexOf("< 220 2.0.0 Ready to start TLS");
        assertTrue(tls > 0 && out.lastIndexOf("> STARTTLS", tls) > 0, out);
        assertTrue(out.substring(0, tls).contains("< 250-STARTTLS"), out);
        assertTrue(out.contains("SSL certificate verify ok"), out);
        String underTls = out.substring(tls);
        assertTrue(underTls.contains("> EHLO curl.example"), out);
        assertFalse(underTls.contains("STARTTLS"), "STARTTLS offered again under TLS:\n" + out);
        assertTrue(underTls.contains("< 250-AUTH PLAIN LOGIN"), out);
        assertTrue(underTls.contains("< 235 2.7.0 Authentication successful"), out);
        assertRelayedWhole("submitted-by-curl", queueId(r));
    }

    @Test
    void aWrongPasswordIs535AndNothingIsSent() throws Exception {
        ProcessRunner.Result r = curl("smtp", submissionPort, "wrong-password", "--ssl-reqd",
                "--user", USER + ":not-" + PASSWORD);
        String out = r.output();
        assertEquals(67, r.exitCode(), "CURLE_LOGIN_DENIED:\n" + out);
        assertTrue(out.contains("< 535 5.7.8 Authentication credentials invalid"), out);
        assertFalse(out.contains("> MAIL FROM"), out);
    }

    @Test
    void submissionWithoutAuthenticationIs530() throws Exception {
        ProcessRunner.Result r = curl("smtp", submissionPort, "no-auth", "--ssl-reqd");
        String out = r.output();
        assertNotEquals(0, r.exitCode(), out);
        assertTrue(out.contains("< 530 5.7.0 Authentication required"), out);
        assertFalse(out.contains("> RCPT TO"), out);
    }

    @Test
    void implicitTlsAuthenticatesAndIsRelayed() throws Exception {
        ProcessRunner.Result r = curl("smtps", smtpsPort, "smtps-by-curl", "--user", USER + ":" + PASSWORD);
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("SSL certificate verify ok"), out);
        int greeting = out.indexOf("< 220 ");
        assertTrue(greeting > out.indexOf("SSL certificate verify ok"), "the greeting comes under TLS:\n" + out);
        assertFalse(out.contains("STARTTLS"), out);
        assertTrue(out.contains("< 250-AUTH PLAIN LOGIN"), out);
        assertTrue(out.contains("< 235 2.7.0 Authentication successful"), out);
        assertRelayedWhole("smtps-by-curl", queueId(r));
    }

    @Test
    void implicitTlsIsSubmissionAndWantsAuthentication() throws Exception {
        // RFC 8314: port 465 is message submission over TLS; TLS alone makes no one a sender here.
        ProcessRunner.Result r = curl("smtps", smtpsPort, "smtps-no-auth");
        String out = r.output();
        assertNotEquals(0, r.exitCode(), out);
        assertTrue(out.contains("< 530 5.7.0 Authentication required"), out);
        assertFalse(out.contains("> RCPT TO"), out);
    }
}
