package dev.mta.server;

import dev.mta.relay.RelaySettings;
import dev.mta.relay.transport.smtp.TlsLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --relay-tls-policy and --relay-auth: defaults, values, and a route with credentials but no required TLS (exit 2). */
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
