package dev.mta.server;

import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the TLS certificate comes from and how it changes: configured PEM files reloaded (SIGHUP's work) with the
 * new context swapped in for the next handshake, a bad file keeping the old one, and the self-signed certificate
 * made once and kept in the spool.
 */
@ExtendWith(LeakGuard.class)
class TlsReloadTest {
    @TempDir
    Path dir;

    private static void makeCertificate(String cn, Path cert, Path key) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of(Peers.require("openssl"), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", key.toString(), "-out", cert.toString()), 60);
        assertEquals(0, r.exitCode(), r.output());
    }

    private static X509Certificate served(InetSocketAddress address) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(address)) {
            c.command("STARTTLS").assertReply(220, "2.0.0");
            X509Certificate cert = (X509Certificate) c.startTls().getSession().getPeerCertificates()[0];
            c.command("EHLO client.test").assertCode(250);
            return cert;
        }
    }

    private Mta start(Path spool, TlsSettings tls) throws Exception {
        ServerConfig config = TestMta.config(spool);
        return Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, tls);
    }

    @Test
    void configuredCertificateIsReloadedForNewHandshakesAndABadOneKeepsTheOld() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate("one.test", cert, key);
        try (Mta mta = start(dir.resolve("spool"), new TlsSettings(cert, key, java.util.List.of(), java.util.List.of()))) {
            assertEquals("CN=one.test", served(mta.smtpAddress()).getSubjectX500Principal().getName());
            makeCertificate("two.test", cert, key);
            assertTrue(mta.reloadTls());
            assertEquals("CN=two.test", served(mta.smtpAddress()).getSubjectX500Principal().getName());
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
            assertFalse(mta.reloadTls(), "a key that cannot be read is not put in force");
            assertEquals("CN=two.test", served(mta.smtpAddress()).getSubjectX500Principal().getName());
            assertFalse(Files.exists(dir.resolve("spool").resolve("tls-selfsigned-cert.pem")),
                    "no self-signed certificate when one is configured");
        }
    }

    @Test
    void aCertificateThatCannotBeUsedStopsTheStart() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "not a certificate\n");
        Files.writeString(key, "not a key\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> start(dir.resolve("spool"), new TlsSettings(cert, key, java.util.List.of(), java.util.List.of())));
        assertTrue(e.getMessage().startsWith("tls-cert "), e.getMessage());
    }

    @Test
    void selfSignedCertificateIsMadeOnceAndKeptInTheSpool() throws Exception {
        Path spool = dir.resolve("spool");
        X509Certificate first;
        try (Mta mta = start(spool, TlsSettings.DEFAULT)) {
            first = served(mta.smtpAddress());
            assertEquals("CN=" + TestMta.HOSTNAME, first.getSubjectX500Principal().getName());
            assertTrue(Files.isRegularFile(spool.resolve("tls-selfsigned-cert.pem")));
            assertTrue(Files.isRegularFile(spool.resolve("tls-selfsigned-key.pem")));
            assertTrue(mta.reloadTls(), "reload rereads the same files");
            assertArrayEquals(first.getEncoded(), served(mta.smtpAddress()).getEncoded());
        }
        try (Mta mta = start(spool, TlsSettings.DEFAULT)) {
            assertArrayEquals(first.getEncoded(), served(mta.smtpAddress()).getEncoded(), "reused on the next start");
        }
    }

    @Test
    void hangupRunsEveryReloadEvenWhenOneFails() {
        List<String> ran = new ArrayList<>();
        HangupSignal.runAll(() -> {
            ran.add("recipients");
            throw new IllegalStateException("table broken");
        }, () -> ran.add("tls"));
        assertEquals(List.of("recipients", "tls"), ran);
    }

    @Test
    void tlsOptions() {
        MtaMain main = new MtaMain();
        new CommandLine(main).parseArgs("--tls-cert", dir.resolve("c.pem").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> main.tlsOptions.settings());
        assertEquals("tls-cert and tls-key go together: give both or neither", e.getMessage());

        MtaMain listeners = new MtaMain();
        new CommandLine(listeners).parseArgs("--submission-listen", "127.0.0.1:587", "--smtps-listen", "[::1]:465");
        TlsSettings s = listeners.tlsOptions.settings();
        assertEquals(new InetSocketAddress("127.0.0.1", 587), s.submissionListen());
        assertEquals(new InetSocketAddress("::1", 465), s.smtpsListen());
        assertNull(s.cert());

        TlsSettings none = new MtaMain().tlsOptions.settings();
        assertEquals(TlsSettings.DEFAULT, none);
        MtaMain bad = new MtaMain();
        new CommandLine(bad).parseArgs("--smtps-listen", "nowhere");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> bad.tlsOptions.settings()).getMessage()
                .contains("smtps-listen"));
    }
}
