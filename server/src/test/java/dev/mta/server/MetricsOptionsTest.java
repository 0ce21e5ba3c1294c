package dev.mta.server;

import dev.mta.server.config.Defaults;
import dev.mta.server.config.MetricsSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --metrics-listen: loopback port 9465 by default, any HOST:PORT, or off; a bad value names the key. */
class MetricsOptionsTest {
    private static MetricsSettings parse(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return ((MtaMain) cmd.getCommand()).metricsOptions.settings();
    }

    @Test
    void theDefaultIsLoopbackPort9465() {
        MetricsSettings s = parse();
        assertTrue(s.enabled());
        assertEquals(new InetSocketAddress("127.0.0.1", 9465), s.listen());
        assertEquals("127.0.0.1:9465", Defaults.METRICS_LISTEN);
    }

    @Test
    void offTurnsItOffAndAnAddressMovesIt() {
        assertFalse(parse("--metrics-listen", "off").enabled());
        assertFalse(parse("--metrics-listen", "OFF").enabled());
        assertEquals(new InetSocketAddress("::1", 9100), parse("--metrics-listen", "[::1]:9100").listen());
        assertEquals(9100, parse("--metrics-listen", ":9100").listen().getPort());
    }

    @Test
    void aBadValueNamesTheKey() {
        for (String bad : new String[]{"nonsense", "127.0.0.1:99999", "", "on"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse("--metrics-listen", bad), bad);
            assertTrue(e.getMessage().startsWith("metrics-listen: "), e.getMessage());
        }
    }
}
