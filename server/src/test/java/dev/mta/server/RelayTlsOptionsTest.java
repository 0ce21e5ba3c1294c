package dev.mta.server;

import dev.mta.relay.RelaySettings;
import dev.mta.relay.transport.smtp.TlsLevel;
import dev.mta.server.support.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --relay-tls-policy, --relay-tls-ca and --relay-auth: defaults, values, a route with credentials but no required
 * TLS, and a CA file that cannot be used (exit 2, one line).
 */
class RelayTlsOptionsTest {
    @TempDir
    Path dir;

    private static RelaySettings relay(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return ((MtaMain) cmd.getCommand()).toConfig().relay();
    }

    @Test
    void mayEverywhereByDefault() {
        RelaySettings r = relay();
        assertEquals("*=may", r.tlsPolicy());
        assertNull(r.authFile());
        assertTrue(r.outboundSecurity().isDefault());
        assertNull(r.tlsCa(), "verify trusts the JDK's default trust store");
    }

    @Test
    void theCaFileIsReadWhateverTextIsAroundItsCertificates() throws Exception {
        TestCa a = new TestCa("Test CA A");
        TestCa b = new TestCa("Test CA B");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "# Test CA A\n" + a.pem() + "\n# Test CA B\nIssuer: B\n" + b.pem());
        RelaySettings r = relay("--relay-tls-ca", ca.toString());
        assertEquals(ca, r.tlsCa().file());
        assertEquals(2, r.tlsCa().certificates().size());
        assertEquals("CN=Test CA B", r.tlsCa().certificates().get(1).getSubjectX500Principal().getName());
        // The key of a --config file too.
        Path conf = Files.writeString(dir.resolve("mta.conf"), "relay-tls-ca = " + ca + "\n");
        assertEquals(2, relay("--config", conf.toString()).tlsCa().certificates().size());
    }

    @Test
    void aCaFileThatCannotBeUsedIsOneLineNamingTheKeyAndTheFile() throws Exception {
        TestCa a = new TestCa("Test CA A");
        String cert = a.pem();
        Path missing = dir.resolve("missing.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path noCertificate = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path cutShort = Files.writeString(dir.resolve("cut.pem"), cert + cert.substring(0, cert.length() / 2));
        Path broken = Files.writeString(dir.resolve("broken.pem"), cert.replaceFirst("\n[A-Za-z0-9+/]{20}", "\nAAAAAAAAAAAAAAAAAAAA"));
        String[][] cases = {
            {missing.toString(), "mta: relay-tls-ca: cannot read " + missing + ": no such file"},
            {empty.toString(), "mta: relay-tls-ca: " + empty + " holds no certificate (no PEM block -----BEGIN CERTIFICATE-----)"},
            {noCertificate.toString(), "mta: relay-tls-ca: " + noCertificate + " holds no certificate"},
            {cutShort.toString(), "mta: relay-tls-ca: " + cutShort + " holds a certificate that does not parse"},
            {broken.toString(), "mta: relay-tls-ca: " + broken + " holds a certificate that does not parse: extra data"},
        };
        for (String[] c : cases) {
            Path spool = dir.resolve("spool");
            String[] args = {"--relay-tls-ca", c[0], "--spool", spool.toString(), "--smtp-listen", "127.0.0.1:0"};
            CommandLine cmd = MtaMain.commandLine(args);
            StringWriter err = new StringWriter();
            cmd.setErr(new PrintWriter(err));
            assertEquals(2, cmd.execute(args), err::toString);
            String text = err.toString().strip();
            assertEquals(1, text.lines().count(), text);
            assertTrue(text.startsWith(c[1]), text);
            assertFalse(Files.exists(spool), "nothing opened");
        }
    }

    @Test
    void policyAndCredentials() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth"), "[smarthost.example]:587 relay secret\n");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
        RelaySettings r = relay("--relay-tls-policy", "[smarthost.example]:587=verify,*=may", "--relay-auth", auth.toString());
        assertEquals(TlsLevel.VERIFY, r.outboundSecurity().forHop("x.test", "smarthost.example", 587).level());
        assertEquals("relay", r.outboundSecurity().forHop("x.test", "smarthost.example", 587).credentials().user());
    }

    @Test
    void credentialsWithoutRequiredTlsExitWithUsageNamingTheKey() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth"), "[smarthost.example]:587 relay secret\n");
        String[] args = {"--relay-tls-policy", "*=may", "--relay-auth", auth.toString()};
        CommandLine cmd = MtaMain.commandLine(args);
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute(args));
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("[smarthost.example]:587") && text.contains("encrypt or verify"), text);
        assertTrue(!text.contains("secret"), text);
    }
}
