package dev.mta.relay.transport.smtp;

import dev.mta.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound TLS policy map and credentials file: lookup order, and the configurations refused at start. */
class OutboundSecurityTest {
    @TempDir
    Path dir;

    private Path auth(String text, String perms) throws Exception {
        Path f = dir.resolve("auth");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void mayEverywhereByDefault() {
        assertEquals(HopSecurity.MAY, OutboundSecurity.of("", null).forHop("example.com", "mx.example.com", 25));
        assertEquals(HopSecurity.MAY, OutboundSecurity.DEFAULT.forHop("example.com", "mx.example.com", 25));
        assertTrue(OutboundSecurity.of("*=may", null).isDefault());
    }

    @Test
    void hopBeforeDomainBeforeStar() {
        OutboundSecurity s = OutboundSecurity.of("Example.COM=verify, [smarthost.example]:587=encrypt, *=none", null);
        assertEquals(TlsLevel.VERIFY, s.forHop("example.com", "mx.example.com", 25).level());
        assertEquals(TlsLevel.ENCRYPT, s.forHop("example.com", "SMARTHOST.example", 587).level());
        assertEquals(TlsLevel.NONE, s.forHop("other.test", "smarthost.example", 25).level());
    }

    @Test
    void credentialsByHopOrRoute() throws Exception {
        OutboundSecurity s = OutboundSecurity.of("[smarthost.example]:587=encrypt,*=verify",
                auth("# comment\n\n[smarthost.example]:587 relay pass word\nexample.com other secret\n", "rw-------"));
        Credentials c = s.forHop("any.test", "smarthost.example", 587).credentials();
        assertEquals("relay", c.user());
        assertEquals("pass word", c.password(), "the password is the rest of the line");
        assertEquals("other", s.forHop("example.com", "mx.example.com", 25).credentials().user());
        assertNull(s.forHop("any.test", "mx.any.test", 25).credentials());
        assertFalse(c.toString().contains("pass word"));
    }

    @Test
    void credentialsWithoutRequiredTlsAreRefusedNamingTheKey() throws Exception {
        Path f = auth("[smarthost.example]:587 relay secret\n", "rw-------");
        for (String policy : new String[] {"", "*=may", "[smarthost.example]:587=none,*=verify"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutboundSecurity.of(policy, f));
            assertTrue(e.getMessage().startsWith("relay-auth: the route [smarthost.example]:587 has credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("secret"));
        }
        OutboundSecurity.of("*=encrypt", f);
        OutboundSecurity.of("[smarthost.example]:587=verify", f);
    }

    @Test
    void aMoreSpecificMayEntryNeverSendsCredentialsInClear() throws Exception {
        OutboundSecurity s = OutboundSecurity.of("*=encrypt,[smarthost.example]:25=may", auth("* relay secret\n", "rw-------"));
        assertEquals(TlsLevel.ENCRYPT, s.forHop("x.test", "smarthost.example", 25).level());
    }

    @Test
    void badPolicyAndBadFileNameTheirKey() throws Exception {
        assertEquals("relay-tls-policy example.com: TLS policy must be none, may, encrypt or verify, not maybe",
                assertThrows(IllegalArgumentException.class, () -> OutboundSecurity.of("example.com=maybe", null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutboundSecurity.of("example.com", null))
                .getMessage().startsWith("relay-tls-policy entry needs"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutboundSecurity.of("*=encrypt", auth("* onlyuser\n", "rw-------")));
        assertTrue(e.getMessage().startsWith("relay-auth: ") && e.getMessage().endsWith("line 1 needs: key user password"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutboundSecurity.of("*=encrypt", dir.resolve("missing")))
                .getMessage().startsWith("relay-auth: cannot read"));
    }

    @Test
    void aFileOthersCanReadIsWarnedAbout() throws Exception {
        try (LogCapture log = LogCapture.of(OutboundSecurity.class)) {
            OutboundSecurity.of("*=encrypt", auth("* relay secret\n", "rw-------"));
            assertTrue(log.warnings().isEmpty(), log.warnings().toString());
            OutboundSecurity.of("*=encrypt", auth("* relay secret\n", "rw-r-----"));
            assertEquals(1, log.warningsWith("readable by its group or everyone").size());
            assertTrue(log.warnings().stream().noneMatch(w -> w.contains("secret")));
        }
    }
}
