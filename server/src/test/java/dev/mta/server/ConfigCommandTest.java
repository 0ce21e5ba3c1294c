package dev.mta.server;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mta config}: the settings the server would run with, as a --config file writes them; it starts nothing. */
class ConfigCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path conf(String text) throws Exception {
        return Files.writeString(dir.resolve("mta-" + text.hashCode() + ".conf"), text);
    }

    @Test
    void printsWhatDiffersFromTheDefaultsSortedByKey() throws Exception {
        assertEquals(new Run(0, "", ""), run("config"), "the embedded defaults: nothing to print");
        Path file = conf("# annotated\nsmtp-listen = 0.0.0.0:2525, [::]:2525\nno-relay = true\n"
                + "max-recipients = 1000\n" // the default, written out: not a difference
                + "transport-map = a.example=127.0.0.1:2601, *=smarthost.example:587  \nhostname = mx.example.org\n");
        Run r = run("config", "--config", file.toString(), "--max-errors", "5");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                hostname = mx.example.org
                max-errors = 5
                no-relay = true
                smtp-listen = 0.0.0.0:2525, [::]:2525
                transport-map = a.example=127.0.0.1:2601, *=smarthost.example:587
                """, r.out());
        // The server's flags may come before the subcommand too, and the flag wins over the file.
        Run before = run("--config", file.toString(), "--hostname", "other.example.org", "config");
        assertEquals(0, before.status(), before.err());
        assertTrue(before.out().contains("hostname = other.example.org\n"), before.out());
        assertTrue(before.out().contains("no-relay = true\n"), before.out());
    }

    @Test
    void allPrintsEveryKeyOnceAndReadsBackAsTheSameSettings() throws Exception {
        Path file = conf("mynetworks = 192.0.2.0/24\nrelay-domains = example.com\nlog-level = root=warn, mail=info\n");
        Run all = run("config", "--all", "--config", file.toString());
        assertEquals(0, all.status(), all.err());
        List<String> lines = all.out().lines().toList();
        List<String> keys = lines.stream().map(l -> l.startsWith("# ") ? l.substring(2, l.indexOf(':'))
                : l.substring(0, l.indexOf(' '))).toList();
        List<String> options = MtaMain.commandLine(new String[0]).getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp()).map(EffectiveSettings::key)
                .filter(k -> !k.equals("config")).sorted().toList();
        assertEquals(options, keys, "every setting once, sorted");
        assertTrue(lines.contains("mynetworks = 192.0.2.0/24"), all.out());
        assertTrue(lines.contains("max-recipients = 1000"), all.out());
        assertTrue(lines.contains("no-relay = false"), all.out());
        assertTrue(lines.contains("# dns-server: not set (the system's resolvers)"), all.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("hostname = ") && l.length() > "hostname = ".length()),
                "the hostname in effect: " + all.out());
        // The output is a --config file: read back, it gives the same settings.
        Path copy = Files.writeString(dir.resolve("copy.conf"), all.out());
        Run again = run("config", "--all", "--config", copy.toString());
        assertEquals(all, again);
        assertEquals(run("config", "--config", file.toString()).out().lines().collect(Collectors.toSet()),
                run("config", "--config", copy.toString()).out().lines().filter(l -> !l.startsWith("hostname = "))
                        .collect(Collectors.toSet()));
    }

    @Test
    void badConfigurationIsOneLineAndStatus2AndNothingIsOpenedOrBound() throws Exception {
        Run bad = run("config", "--max-line-length", "100");
        assertEquals(2, bad.status());
        assertEquals("mta: max-line-length must be at least 512, not 100", bad.err().strip());
        Run typo = run("config", "--max-recipents", "5");
        assertEquals(2, typo.status());
        assertTrue(typo.err().strip().startsWith("mta: Unknown options: '--max-recipents'"), typo.err());
        assertFalse(typo.err().strip().contains("\n"), typo.err());
        Run missing = run("config", "--config", dir.resolve("missing.conf").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().strip().startsWith("mta: config: cannot read "), missing.err());
        // Beside a running server: its port is taken and its spool is there, and config neither binds nor opens.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path spool = dir.resolve("spool");
            Run r = run("config", "--smtp-listen", "127.0.0.1:" + taken.getLocalPort(), "--spool", spool.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals("smtp-listen = 127.0.0.1:" + taken.getLocalPort() + "\nspool = " + spool + "\n", r.out());
            assertFalse(Files.exists(spool));
        }
    }

    @Test
    void theRealCommand() throws Exception {
        Path file = conf("smtp-listen = 0.0.0.0:25, [::]:25\nhostname = mx.example.org\nno-relay = true\n");
        ProcessRunner.Result r = ProcessRunner.run(MtaProcess.command(List.of(), List.of("config", "--config",
                file.toString())), 60);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("hostname = mx.example.org\nno-relay = true\nsmtp-listen = 0.0.0.0:25, [::]:25\n", r.output());
        ProcessRunner.Result all = ProcessRunner.run(MtaProcess.command(List.of(), List.of("config", "--all",
                "--config", file.toString())), 60);
        assertEquals(0, all.exitCode(), all.output());
        assertTrue(all.output().contains("\nmax-message-size = 36700160\n"), all.output());
        ProcessRunner.Result bad = ProcessRunner.run(MtaProcess.command(List.of(), List.of("config", "--config",
                file.toString(), "--relay-port", "0")), 60);
        assertEquals(2, bad.exitCode(), bad.output());
        assertEquals("mta: relay-port must be at least 1, not 0", bad.output().strip());
    }
}
