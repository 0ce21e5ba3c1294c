package dev.mta.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every option that takes a value, given a bad one, on the command line or in the --config file: the MTA says so in
 * one line on stderr naming the key, exits with status 2, and opens nothing (no spool, no listener). An option
 * without an entry here fails the test, so a new option cannot be added without its bad value being tried.
 */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    /** A bad value for an option: flags, or a line of a --config file. */
    private record Bad(List<String> flags, String fileLine) {
        static Bad flag(String option, String value) {
            return new Bad(List.of(option, value), null);
        }

        static Bad inFile(String line) {
            return new Bad(List.of(), line);
        }
    }

    /** Each option (by key) and a bad value for it. Booleans can only be bad in a file. */
    private Map<String, Bad> badValues() throws Exception {
        Path missing = dir.resolve("no-such-file");
        Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory\n");
        Map<String, Bad> m = new TreeMap<>();
        m.put("config", Bad.flag("--config", missing.toString()));
        m.put("smtp-listen", Bad.flag("--smtp-listen", "127.0.0.1:2525, nonsense"));
        m.put("submission-listen", Bad.flag("--submission-listen", "127.0.0.1:99999"));
        m.put("smtps-listen", Bad.flag("--smtps-listen", "::1:465"));
        m.put("spool", Bad.flag("--spool", aFile.toString()));
        m.put("hostname", Bad.flag("--hostname", "mx example"));
        m.put("max-message-size", Bad.flag("--max-message-size", "0"));
        m.put("max-recipients", Bad.flag("--max-recipients", "0"));
        m.put("max-connections", Bad.flag("--max-connections", "many"));
        m.put("max-line-length", Bad.flag("--max-line-length", "100"));
        m.put("max-errors", Bad.flag("--max-errors", "0"));
        m.put("max-junk-commands", Bad.flag("--max-junk-commands", "-1"));
        m.put("command-timeout", Bad.flag("--command-timeout", "0"));
        m.put("data-timeout", Bad.flag("--data-timeout", "86401"));
        m.put("max-data-time", Bad.flag("--max-data-time", "0"));
        m.put("min-data-rate", Bad.flag("--min-data-rate", "-1"));
        m.put("shutdown-grace", Bad.flag("--shutdown-grace", "3601"));
        m.put("event-loop-threads", Bad.flag("--event-loop-threads", "100000"));
        m.put("queue-segment-size", Bad.flag("--queue-segment-size", "1024"));
        m.put("queue-heap-percent", Bad.flag("--queue-heap-percent", "95"));
        m.put("retry-delays", Bad.flag("--retry-delays", "1m,5x"));
        m.put("max-lifetime", Bad.flag("--max-lifetime", "400d"));
        m.put("no-relay", Bad.inFile("no-relay = maybe"));
        m.put("transport-map", Bad.flag("--transport-map", "example.com=mx.example.com"));
        m.put("dns-server", Bad.flag("--dns-server", "127.0.0.1:0"));
        m.put("relay-port", Bad.flag("--relay-port", "65536"));
        m.put("max-outbound-connections", Bad.flag("--max-outbound-connections", "0"));
        m.put("max-per-destination", Bad.flag("--max-per-destination", "0"));
        m.put("outbound-idle-timeout", Bad.flag("--outbound-idle-timeout", "0"));
        m.put("relay-connect-timeout", Bad.flag("--relay-connect-timeout", "0"));
        m.put("relay-greeting-timeout", Bad.flag("--relay-greeting-timeout", "0"));
        m.put("relay-command-timeout", Bad.flag("--relay-command-timeout", "0"));
        m.put("relay-data-init-timeout", Bad.flag("--relay-data-init-timeout", "0"));
        m.put("relay-data-xfer-timeout", Bad.flag("--relay-data-xfer-timeout", "0"));
        m.put("relay-data-done-timeout", Bad.flag("--relay-data-done-timeout", "0"));
        m.put("max-received-headers", Bad.flag("--max-received-headers", "0"));
        m.put("mynetworks", Bad.flag("--mynetworks", "10.1.0.0/8"));
        m.put("relay-domains", Bad.flag("--relay-domains", "example.com."));
        m.put("local-domains", Bad.flag("--local-domains", "[192.0.2.1]"));
        m.put("relay-recipients", Bad.flag("--relay-recipients", missing.toString()));
        m.put("double-bounce-to", Bad.flag("--double-bounce-to", "nobody"));
        m.put("bounce-size-limit", Bad.flag("--bounce-size-limit", "-1"));
        m.put("relay-verify", Bad.flag("--relay-verify", "sometimes"));
        m.put("verify-sender", Bad.flag("--verify-sender", "no spaces@example.com"));
        m.put("verify-positive-ttl", Bad.flag("--verify-positive-ttl", "1w"));
        m.put("verify-negative-ttl", Bad.flag("--verify-negative-ttl", "soon"));
        m.put("hop-backoff-min", Bad.flag("--hop-backoff-min", "0"));
        m.put("hop-backoff-max", Bad.flag("--hop-backoff-max", "30"));
        m.put("relay-tls-policy", Bad.flag("--relay-tls-policy", "*=sometimes"));
        m.put("relay-tls-ca", Bad.flag("--relay-tls-ca", missing.toString()));
        m.put("relay-auth", Bad.flag("--relay-auth", missing.toString()));
        m.put("tls-cert", Bad.flag("--tls-cert", missing.toString()));
        m.put("tls-key", Bad.flag("--tls-key", missing.toString()));
        m.put("max-connections-per-client", Bad.flag("--max-connections-per-client", "-1"));
        m.put("max-connection-rate", Bad.flag("--max-connection-rate", "-1"));
        m.put("client-limit-exceptions", Bad.flag("--client-limit-exceptions", "10.0.0.0/33"));
        m.put("greet-pause", Bad.flag("--greet-pause", "61"));
        m.put("metrics-listen", Bad.flag("--metrics-listen", "nonsense"));
        m.put("users", Bad.flag("--users", missing.toString()));
        m.put("auth-max-argon2-memory", Bad.flag("--auth-max-argon2-memory", "4"));
        m.put("allow-plaintext-auth", Bad.inFile("allow-plaintext-auth = yes"));
        m.put("auth-max-failures", Bad.flag("--auth-max-failures", "0"));
        m.put("auth-lockout", Bad.flag("--auth-lockout", "0"));
        m.put("aliases", Bad.flag("--aliases", missing.toString()));
        m.put("mailbox-quota", Bad.flag("--mailbox-quota", "-1"));
        m.put("vrfy", Bad.flag("--vrfy", "on"));
        m.put("expn", Bad.flag("--expn", "all"));
        m.put("vrfy-expn-clients", Bad.flag("--vrfy-expn-clients", "mynetworks"));
        m.put("mail-root", Bad.flag("--mail-root", aFile.toString()));
        m.put("pop3-listen", Bad.flag("--pop3-listen", "127.0.0.1:99999"));
        m.put("pop3s-listen", Bad.flag("--pop3s-listen", "nonsense"));
        m.put("pop3-idle-timeout", Bad.flag("--pop3-idle-timeout", "0"));
        m.put("pop3-max-connections", Bad.flag("--pop3-max-connections", "0"));
        m.put("bare-newline", Bad.flag("--bare-newline", "lenient"));
        m.put("mailauth-verify", Bad.flag("--mailauth-verify", "some"));
        m.put("mailauth-dmarc-enforce", Bad.flag("--mailauth-dmarc-enforce", "quarantine"));
        m.put("mailauth-on-temperror", Bad.flag("--mailauth-on-temperror", "reject"));
        m.put("mailauth-dns-timeout", Bad.flag("--mailauth-dns-timeout", "0"));
        m.put("dkim-max-signatures", Bad.flag("--dkim-max-signatures", "-1"));
        m.put("mailauth-workers", Bad.flag("--mailauth-workers", "-2"));
        m.put("log-level", Bad.flag("--log-level", "root=loud"));
        return m;
    }

    /** The result of one run: exit status and what it wrote to stderr and stdout. */
    private record Run(int status, String err, String out) {
    }

    private Run execute(List<String> args) {
        String[] a = args.toArray(String[]::new);
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(a);
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        // A bad value that slipped through would start the MTA, which then runs until stopped: fail instead.
        int status = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cmd.execute(a), () -> "started: " + args);
        return new Run(status, err.toString(), out.toString());
    }

    /** The run's args: the bad value, with a spool and a listener of its own unless the bad value is one of those. */
    private List<String> args(String key, Bad bad, Path spool) throws Exception {
        List<String> args = new ArrayList<>(bad.flags());
        if (bad.fileLine() != null) {
            Path file = Files.writeString(dir.resolve(key + ".conf"), "# bad " + key + "\n" + bad.fileLine() + "\n");
            args.addAll(List.of("--config", file.toString()));
        }
        if (!args.contains("--spool")) {
            args.addAll(List.of("--spool", spool.toString()));
        }
        if (!args.contains("--smtp-listen")) {
            args.addAll(List.of("--smtp-listen", "127.0.0.1:0"));
        }
        return args;
    }

    @Test
    void everyOptionWithABadValueIsOneLineNamingItsKeyAndStatus2() throws Exception {
        Map<String, Bad> bad = badValues();
        TreeSet<String> keys = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : MtaMain.commandLine(new String[0]).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                keys.add(EffectiveSettings.key(o));
            }
        }
        assertEquals(keys, new TreeSet<>(bad.keySet()), "every option has a bad value to try here");
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Bad> e : bad.entrySet()) {
            String key = e.getKey();
            Path spool = dir.resolve("spool-" + key);
            List<String> args = args(key, e.getValue(), spool);
            Run r = execute(args);
            String line = r.err().strip();
            if (r.status() != 2 || line.isEmpty() || line.contains("\n") || !line.startsWith("mta: ")
                    || !line.contains(key) || line.contains("\tat ") || Files.exists(spool)) {
                failures.add(key + " " + args + " -> status " + r.status() + ", stderr: " + r.err()
                        + (Files.exists(spool) ? " (the spool was made)" : ""));
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void aBusyPortOfEachListenerIsOneLineNamingItsKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String busy = "127.0.0.1:" + taken.getLocalPort();
            for (String key : List.of("smtp-listen", "submission-listen", "smtps-listen", "metrics-listen")) {
                Path spool = dir.resolve("busy-" + key);
                List<String> args = new ArrayList<>(List.of("--spool", spool.toString(), "--no-relay"));
                if (!key.equals("metrics-listen")) {
                    args.addAll(List.of("--metrics-listen", "off")); // not the default port, which may be in use
                }
                if (key.equals("smtp-listen")) {
                    args.addAll(List.of("--smtp-listen", "127.0.0.1:0, " + busy));
                } else {
                    args.addAll(List.of("--smtp-listen", "127.0.0.1:0", "--" + key, busy));
                }
                Run r = execute(args);
                assertEquals(2, r.status(), r.err());
                assertEquals("mta: " + key + ": cannot listen on " + busy + ": Address already in use", r.err().strip());
                assertFalse(Files.exists(spool), "nothing opened");
            }
        }
    }

    /** Two listeners of one configuration on one port: found before anything opens, not by a failed bind halfway. */
    @Test
    void listenersThatOverlapAreOneLineNamingTheKey() throws Exception {
        int port = 3999;
        String[][] cases = {
            {"--smtp-listen", "127.0.0.1:" + port, "--metrics-listen", "127.0.0.1:" + port},
            {"--smtp-listen", "127.0.0.1:" + port, "--submission-listen", "127.0.0.1:" + port},
            {"--smtp-listen", "127.0.0.1:" + port + ", 0.0.0.0:" + port, "--metrics-listen", "off"},
            {"--smtp-listen", "0.0.0.0:" + port, "--smtps-listen", "127.0.0.1:" + port, "--metrics-listen", "off"},
        };
        for (String[] c : cases) {
            Path spool = dir.resolve("overlap-" + c[1].length() + c[c.length - 1].length() + c[2]);
            List<String> args = new ArrayList<>(List.of("--spool", spool.toString(), "--no-relay"));
            args.addAll(List.of(c));
            Run r = execute(args);
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().strip().matches("mta: [a-z-]+-listen: \\S+ overlaps [a-z-]+-listen's \\S+: two listeners "
                    + "cannot share a port"), r.err());
            assertFalse(r.err().strip().contains("\n"), r.err());
            assertFalse(Files.exists(spool), "nothing opened");
        }
        Run empty = execute(List.of("--spool", "", "--metrics-listen", "off"));
        assertEquals(2, empty.status(), empty.err());
        assertEquals("mta: spool: must name a directory, not be empty", empty.err().strip());
    }

    @Test
    void anUnknownKeyAndAMissingFileNameThemselves() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.conf"), "hostname = mx.example.org\nmax-recipents = 5\n");
        Run r = execute(List.of("--config", typo.toString(), "--spool", dir.resolve("s1").toString()));
        assertEquals(2, r.status());
        assertEquals("mta: config: unknown key 'max-recipents' in " + typo + " (see --help)", r.err().strip());
        Path missing = dir.resolve("missing.conf");
        r = execute(List.of("--config", missing.toString(), "--spool", dir.resolve("s2").toString()));
        assertEquals(2, r.status());
        assertEquals("mta: config: cannot read " + missing + ": no such file (see --help)", r.err().strip());
        // A value's errors name it wherever it came from: here a file's.
        Path badValue = Files.writeString(dir.resolve("bad.conf"), "max-connections = lots\n");
        r = execute(List.of("--config", badValue.toString(), "--spool", dir.resolve("s3").toString()));
        assertEquals(2, r.status());
        assertTrue(r.err().strip().startsWith("mta: Invalid value for option '--max-connections': 'lots'"), r.err());
        // An empty path would be the working directory.
        Path emptyPath = Files.writeString(dir.resolve("empty.conf"), "tls-cert =\n");
        r = execute(List.of("--config", emptyPath.toString(), "--spool", dir.resolve("s4").toString()));
        assertEquals(2, r.status());
        assertEquals("mta: config: tls-cert has no value in " + emptyPath + " (leave the key out for its default) (see --help)",
                r.err().strip());
        assertFalse(Files.exists(dir.resolve("s1")) || Files.exists(dir.resolve("s2")) || Files.exists(dir.resolve("s3"))
                || Files.exists(dir.resolve("s4")));
    }
}
