package dev.mta.server;

import dev.mta.protocol.command.MailPath;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.bounce.BounceSettings;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --double-bounce-to and --bounce-size-limit: their defaults, their values, and one line naming the key. */
class BounceOptionsTest {
    private static ServerConfig parse(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return ((MtaMain) cmd.getCommand()).toConfig();
    }

    @Test
    void defaultsDropDoubleBouncesAndReturnFiftyThousandBytes() {
        BounceSettings b = parse().relay().bounces();
        assertEquals(BounceSettings.DEFAULT, b);
        assertEquals(RelaySettings.DEFAULT.bounces(), b);
        assertNull(b.doubleBounceTo());
        assertEquals(50_000, b.sizeLimit());
        assertEquals(Defaults.BOUNCE_SIZE_LIMIT, b.sizeLimit());
        assertEquals("none", Defaults.DOUBLE_BOUNCE_TO);
    }

    @Test
    void flagsSetTheAddressAndTheLimit() {
        BounceSettings b = parse("--double-bounce-to", "postmaster@example.org", "--bounce-size-limit", "0").relay().bounces();
        assertEquals(new MailPath("postmaster", "example.org", false), b.doubleBounceTo());
        assertEquals(0, b.sizeLimit());
        assertEquals(new MailPath("ops", "example.org", false),
                parse("--double-bounce-to", "<ops@example.org>").relay().bounces().doubleBounceTo());
        assertNull(parse("--double-bounce-to", "NONE").relay().bounces().doubleBounceTo());
        // Other relay settings are untouched by the bounce flags.
        assertEquals(RelaySettings.DEFAULT.withBounces(b), parse("--double-bounce-to", "postmaster@example.org",
                "--bounce-size-limit", "0").relay());
    }

    @Test
    void badValuesAreOneLineNamingTheKeyAndExitTwo() {
        assertFails("bounce-size-limit", "--bounce-size-limit", "-1");
        assertFails("bounce-size-limit", "--bounce-size-limit", "" + (BounceSettings.MAX_SIZE_LIMIT + 1));
        assertFails("--bounce-size-limit", "--bounce-size-limit", "lots");
        assertFails("double-bounce-to", "--double-bounce-to", "not an address");
        assertFails("double-bounce-to", "--double-bounce-to", "postmaster");
        assertFails("double-bounce-to", "--double-bounce-to", "<a@b.example> trailing");
    }

    private static void assertFails(String mentions, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(CommandLineErrors.USAGE, cmd.execute(args), err.toString());
        String out = err.toString().strip();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("mta: ") && out.contains(mentions), out);
    }
}
