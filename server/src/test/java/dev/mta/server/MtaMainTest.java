package dev.mta.server;

import dev.mta.server.config.HostPort;
import dev.mta.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: embedded defaults, a --config file over them, flags over both. */
class MtaMainTest {
    @TempDir
    Path dir;

    private static ServerConfig parse(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return ((MtaMain) cmd.getCommand()).toConfig();
    }

    @Test
    void embeddedDefaults() {
        ServerConfig c = parse();
        assertEquals(new InetSocketAddress("127.0.0.1", 2525), c.smtpListen());
        assertEquals(Path.of("data", "spool"), c.spoolDir());
        assertEquals(36700160, c.maxMessageSize());
        assertEquals(1000, c.maxRecipients());
        assertEquals(512, c.maxLineLength());
        assertEquals(Duration.ofMinutes(5), c.commandTimeout());
        assertTrue(!c.hostname().isBlank());
    }

    @Test
    void flagsOverrideDefaults() {
        ServerConfig c = parse("--smtp-listen", "[::1]:2526", "--spool", "/var/tmp/q", "--hostname", "mx.example.org",
                "--max-recipients", "50", "--command-timeout", "60");
        assertEquals(new InetSocketAddress("::1", 2526), c.smtpListen());
        assertEquals(Path.of("/var/tmp/q"), c.spoolDir());
        assertEquals("mx.example.org", c.hostname());
        assertEquals(50, c.maxRecipients());
        assertEquals(Duration.ofSeconds(60), c.commandTimeout());
    }

    @Test
    void configFileSetsDefaultsAndFlagsWin() throws Exception {
        Path file = dir.resolve("mta.properties");
        Files.writeString(file, "# test\nsmtp-listen = 0.0.0.0:2525\nhostname = from-file.example\nmax-message-size = 1000\n");
        ServerConfig c = parse("--config", file.toString(), "--hostname", "from-flag.example");
        assertEquals(new InetSocketAddress(2525).getPort(), c.smtpListen().getPort());
        assertTrue(c.smtpListen().getAddress().isAnyLocalAddress());
        assertEquals("from-flag.example", c.hostname());
        assertEquals(1000, c.maxMessageSize());
        assertNotEquals(1000, parse().maxMessageSize());
    }

    @Test
    void unknownConfigKeyIsAnError() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "max-recipents = 5\n");
        assertThrows(CommandLine.ParameterException.class, () -> parse("--config=" + file));
    }

    @Test
    void badValuesAreRefusedWithAMessage() {
        StringWriter err = new StringWriter();
        String[] args = {"--smtp-listen", "nonsense"};
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setErr(new PrintWriter(err));
        assertThrows(IllegalArgumentException.class, () -> {
            cmd.parseArgs(args);
            ((MtaMain) cmd.getCommand()).toConfig();
        });
        assertThrows(IllegalArgumentException.class, () -> parse("--max-line-length", "100"));
    }

    @Test
    void hostPortForms() {
        assertEquals(new InetSocketAddress("127.0.0.1", 25), HostPort.parse("127.0.0.1:25"));
        assertEquals(new InetSocketAddress("::1", 25), HostPort.parse("[::1]:25"));
        assertEquals("[0:0:0:0:0:0:0:1]:25", HostPort.format(new InetSocketAddress("::1", 25)));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:25"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:99999"));
    }
}
