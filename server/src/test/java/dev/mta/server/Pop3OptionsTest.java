package dev.mta.server;

import dev.mta.server.config.Defaults;
import dev.mta.server.config.HostPort;
import dev.mta.server.pop3.Pop3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The POP3 options: defaults, off, served only with users, and listeners checked against the others'. */
class Pop3OptionsTest {
    @TempDir
    Path dir;

    private CheckedOptions check(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return ((MtaMain) cmd.getCommand()).check();
    }

    @Test
    void defaultsAndUsers() {
        Pop3Settings without = check("--spool", dir.resolve("spool").toString()).pop3();
        assertEquals(List.of(HostPort.parse(Defaults.POP3_LISTEN)), without.listen());
        assertEquals(Duration.ofSeconds(600), without.idleTimeout());
        assertTrue(without.configured());
        assertFalse(without.enabled(), "no --users: not served");
        Pop3Settings with = check("--users", "/etc/mta/users", "--pop3s-listen", "127.0.0.1:1995").pop3();
        assertTrue(with.enabled());
        assertEquals(List.of(HostPort.parse("127.0.0.1:1995")), with.implicitTls());
        assertEquals(dir.getFileSystem().getPath("").toAbsolutePath().resolve("data/mail").normalize(),
                with.mailRoot().root());
        assertFalse(check("--users", "/etc/mta/users", "--pop3-listen", "").pop3().configured());
        assertFalse(check("--users", "/etc/mta/users", "--pop3-listen", "off").pop3().configured());
    }

    @Test
    void aPop3ListenerMayNotShareAnotherListenersPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check("--users", "/etc/mta/users", "--pop3-listen", Defaults.SMTP_LISTEN));
        assertTrue(e.getMessage().startsWith("pop3-listen: "), e.getMessage());
        // Not served without users: nothing to overlap.
        check("--pop3-listen", Defaults.SMTP_LISTEN);
    }
}
