package dev.mta.server;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.schedule.RetrySchedule;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.HostPort;
import dev.mta.server.config.RelayControl;
import dev.mta.server.config.RecipientVerification;
import dev.mta.relay.RelaySettings;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** Each flag with an embedded default, and that default in {@link Defaults}. */
    private static final Map<String, Object> FLAG_DEFAULTS = Map.ofEntries(
            Map.entry("--smtp-listen", Defaults.SMTP_LISTEN), Map.entry("--spool", Defaults.SPOOL),
            Map.entry("--metrics-listen", Defaults.METRICS_LISTEN),
            Map.entry("--max-message-size", Defaults.MAX_MESSAGE_SIZE), Map.entry("--max-recipients", Defaults.MAX_RECIPIENTS),
            Map.entry("--max-connections", Defaults.MAX_CONNECTIONS), Map.entry("--max-line-length", Defaults.MAX_LINE_LENGTH),
            Map.entry("--max-errors", Defaults.MAX_ERRORS), Map.entry("--max-junk-commands", Defaults.MAX_JUNK_COMMANDS),
            Map.entry("--command-timeout", Defaults.COMMAND_TIMEOUT_SECONDS),
            Map.entry("--data-timeout", Defaults.DATA_TIMEOUT_SECONDS),
            Map.entry("--max-data-time", Defaults.MAX_DATA_TIME_SECONDS), Map.entry("--min-data-rate", Defaults.MIN_DATA_RATE),
            Map.entry("--shutdown-grace", Defaults.SHUTDOWN_GRACE_SECONDS),
            Map.entry("--event-loop-threads", Defaults.EVENT_LOOP_THREADS),
            Map.entry("--queue-segment-size", Defaults.QUEUE_SEGMENT_SIZE),
            Map.entry("--queue-heap-percent", Defaults.QUEUE_HEAP_PERCENT),
            Map.entry("--retry-delays", Defaults.RETRY_DELAYS), Map.entry("--max-lifetime", Defaults.MAX_LIFETIME),
            Map.entry("--transport-map", Defaults.TRANSPORT_MAP), Map.entry("--relay-port", Defaults.RELAY_PORT),
            Map.entry("--max-outbound-connections", Defaults.MAX_OUTBOUND_CONNECTIONS),
            Map.entry("--max-per-destination", Defaults.MAX_PER_DESTINATION),
            Map.entry("--relay-tls-policy", Defaults.RELAY_TLS_POLICY),
            Map.entry("--outbound-idle-timeout", Defaults.OUTBOUND_IDLE_TIMEOUT_SECONDS),
            Map.entry("--relay-connect-timeout", Defaults.RELAY_CONNECT_TIMEOUT_SECONDS),
            Map.entry("--relay-greeting-timeout", Defaults.RELAY_GREETING_TIMEOUT_SECONDS),
            Map.entry("--relay-command-timeout", Defaults.RELAY_COMMAND_TIMEOUT_SECONDS),
            Map.entry("--relay-data-init-timeout", Defaults.RELAY_DATA_INIT_TIMEOUT_SECONDS),
            Map.entry("--relay-data-xfer-timeout", Defaults.RELAY_DATA_XFER_TIMEOUT_SECONDS),
            Map.entry("--relay-data-done-timeout", Defaults.RELAY_DATA_DONE_TIMEOUT_SECONDS),
            Map.entry("--max-received-headers", Defaults.MAX_RECEIVED_HEADERS),
            Map.entry("--auth-max-argon2-memory", Defaults.AUTH_MAX_ARGON2_MEMORY),
            Map.entry("--auth-max-failures", Defaults.AUTH_MAX_FAILURES),
            Map.entry("--auth-lockout", Defaults.AUTH_LOCKOUT_SECONDS),
            // Per-client limits.
            Map.entry("--max-connections-per-client", Defaults.MAX_CONNECTIONS_PER_CLIENT),
            Map.entry("--max-connection-rate", Defaults.MAX_CONNECTION_RATE),
            Map.entry("--greet-pause", Defaults.GREET_PAUSE),
            Map.entry("--bare-newline", Defaults.BARE_NEWLINE),
            // Verification of received mail.
            Map.entry("--mailauth-verify", Defaults.MAILAUTH_VERIFY),
            Map.entry("--mailauth-dmarc-enforce", Defaults.MAILAUTH_DMARC_ENFORCE),
            Map.entry("--mailauth-on-temperror", Defaults.MAILAUTH_ON_TEMPERROR),
            Map.entry("--mailauth-dns-timeout", Defaults.MAILAUTH_DNS_TIMEOUT_SECONDS),
            Map.entry("--dkim-max-signatures", Defaults.DKIM_MAX_SIGNATURES),
            Map.entry("--mailauth-workers", Defaults.MAILAUTH_WORKERS),
            // Local delivery.
            Map.entry("--mailbox-quota", Defaults.MAILBOX_QUOTA), Map.entry("--vrfy", Defaults.VRFY),
            Map.entry("--expn", Defaults.EXPN), Map.entry("--vrfy-expn-clients", Defaults.VRFY_EXPN_CLIENTS),
            // POP3.
            Map.entry("--pop3-listen", Defaults.POP3_LISTEN),
            Map.entry("--pop3-idle-timeout", Defaults.POP3_IDLE_TIMEOUT_SECONDS),
            Map.entry("--pop3-max-connections", Defaults.POP3_MAX_CONNECTIONS),
            // Relay control.
            Map.entry("--mynetworks", Defaults.MYNETWORKS),
            // bounces
            Map.entry("--double-bounce-to", Defaults.DOUBLE_BOUNCE_TO),
            Map.entry("--bounce-size-limit", Defaults.BOUNCE_SIZE_LIMIT),
            // Recipient verification.
            Map.entry("--relay-verify", Defaults.RELAY_VERIFY),
            Map.entry("--verify-positive-ttl", Defaults.VERIFY_POSITIVE_TTL),
            Map.entry("--verify-negative-ttl", Defaults.VERIFY_NEGATIVE_TTL),
            // dead next hops
            Map.entry("--hop-backoff-min", Defaults.HOP_BACKOFF_MIN_SECONDS),
            Map.entry("--hop-backoff-max", Defaults.HOP_BACKOFF_MAX_SECONDS));

    @Test
    void embeddedDefaultsAreTheDefaults() {
        ServerConfig c = parse();
        // The command line with no flags gives exactly the configuration's defaults, field for field...
        assertEquals(ServerConfig.defaults(), c);
        // ...and those are the ones in Defaults, and the queue's and relay's own.
        assertEquals(HostPort.parse(Defaults.SMTP_LISTEN), c.smtpListen());
        assertEquals(Path.of(Defaults.SPOOL), c.spoolDir());
        assertEquals(Defaults.hostname(), c.hostname());
        assertTrue(!c.hostname().isBlank());
        assertEquals(Defaults.MAX_MESSAGE_SIZE, c.maxMessageSize());
        assertEquals(Defaults.MAX_RECIPIENTS, c.maxRecipients());
        assertEquals(Defaults.MAX_CONNECTIONS, c.maxConnections());
        assertEquals(Defaults.MAX_LINE_LENGTH, c.maxLineLength());
        assertEquals(Defaults.MAX_ERRORS, c.maxErrors());
        assertEquals(Defaults.MAX_JUNK_COMMANDS, c.maxJunkCommands());
        assertEquals(Duration.ofSeconds(Defaults.COMMAND_TIMEOUT_SECONDS), c.commandTimeout());
        assertEquals(Duration.ofSeconds(Defaults.DATA_TIMEOUT_SECONDS), c.dataTimeout());
        assertEquals(Duration.ofSeconds(Defaults.MAX_DATA_TIME_SECONDS), c.maxDataTime());
        assertEquals(Defaults.MIN_DATA_RATE, c.minDataRate());
        assertEquals(Duration.ofSeconds(Defaults.SHUTDOWN_GRACE_SECONDS), c.shutdownGrace());
        assertEquals(Defaults.EVENT_LOOP_THREADS, c.eventLoopThreads());
        assertEquals(QueueConfig.DEFAULT_SEGMENT_SIZE, c.queueSegmentSize());
        assertEquals(Defaults.QUEUE_HEAP_PERCENT, c.queueHeapPercent());
        assertEquals(RetrySchedule.DEFAULT.delays(), c.retryDelays());
        assertEquals(RetrySchedule.DEFAULT.maxLifetime(), c.maxLifetime());
        RelaySettings r = c.relay();
        assertEquals(RelaySettings.DEFAULT, r);
        assertTrue(r.enabled());
        assertEquals(Defaults.TRANSPORT_MAP, r.transportMap());
        assertNull(r.dnsServer());
        assertEquals(Defaults.RELAY_PORT, r.smtpPort());
        assertEquals(Defaults.MAX_OUTBOUND_CONNECTIONS, r.maxConnections());
        assertEquals(Defaults.MAX_PER_DESTINATION, r.maxPerDestination());
        assertEquals(Duration.ofSeconds(Defaults.OUTBOUND_IDLE_TIMEOUT_SECONDS), r.idleTimeout());
        assertEquals(Defaults.MAX_RECEIVED_HEADERS, r.maxReceived());
        assertEquals(Defaults.relayTimeouts(), r.timeouts());
        // The relay's default timeouts are RFC 5321's minimums, which the relay module states on its own.
        assertEquals(ClientTimeouts.RFC_5321, r.timeouts());
        // Relay control: loopback only.
        assertEquals(RelayControl.DEFAULT, c.relayControl());
        assertEquals(RelayControl.networks(Defaults.MYNETWORKS), c.relayControl().mynetworks());
        assertNull(c.relayControl().recipientsFile());
        assertEquals(dev.mta.relay.transport.smtp.HopHealth.Backoff.DEFAULT, r.hopBackoff());
    }

    @Test
    void hopBackoffFlags() {
        RelaySettings r = parse("--hop-backoff-min", "5", "--hop-backoff-max", "600").relay();
        assertEquals(Duration.ofSeconds(5), r.hopBackoff().min());
        assertEquals(Duration.ofSeconds(600), r.hopBackoff().max());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse("--hop-backoff-min", "600", "--hop-backoff-max", "5"));
        assertEquals("hop-backoff-max must be at least hop-backoff-min (600 s), not 5 s", e.getMessage());
    }

    @Test
    void everyDefaultIsTakenFromDefaultsAndShownInHelp() {
        CommandLine cmd = MtaMain.commandLine(new String[0]);
        cmd.setUsageHelpWidth(1000); // one line per option: no value broken at a comma
        String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        Map<String, String> declared = new TreeMap<>();
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.defaultValue() != null) {
                declared.put(o.longestName(), o.defaultValue());
            }
        }
        assertEquals(new TreeSet<>(FLAG_DEFAULTS.keySet()), declared.keySet(), "flags with an embedded default");
        for (Map.Entry<String, Object> e : FLAG_DEFAULTS.entrySet()) {
            String value = String.valueOf(e.getValue());
            assertEquals(value, declared.get(e.getKey()), e.getKey());
            if (!value.isEmpty()) {
                assertTrue(help.contains("(default: " + value), () -> e.getKey() + " shows its default in:\n" + help);
            }
        }
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
    void listsBooleansAndMapsHaveOneSyntaxOnTheCommandLineAndInTheFile() throws Exception {
        Path file = dir.resolve("syntax.conf");
        Files.writeString(file, "smtp-listen = 127.0.0.1:2525, [::1]:2525\nno-relay = true\n"
                + "transport-map = a.example=127.0.0.1:2601, *=smarthost.example:587\nmynetworks = 192.0.2.0/24, 2001:db8::/32\n");
        ServerConfig c = parse("--config", file.toString());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2525), new InetSocketAddress("::1", 2525)), c.smtpListeners());
        assertEquals(new InetSocketAddress("127.0.0.1", 2525), c.smtpListen(), "the first, for those that want one");
        assertFalse(c.relay().enabled());
        assertEquals("a.example=127.0.0.1:2601, *=smarthost.example:587", c.relay().transportMap());
        assertEquals(RelayControl.networks("192.0.2.0/24,2001:db8::/32"), c.relayControl().mynetworks());
        Files.writeString(file, "no-relay = false\n");
        assertTrue(parse("--config", file.toString()).relay().enabled(), "false is false");
        assertEquals(c.smtpListeners(), parse("--smtp-listen", "127.0.0.1:2525,[::1]:2525").smtpListeners());
        Files.writeString(file, "no-relay = yes\n");
        assertThrows(CommandLine.ParameterException.class, () -> parse("--config", file.toString()), "true or false only");
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
    void aBadUsersFileStopsTheStartInOneLine() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice@example.org:{PLAIN}nope\n");
        String[] args = {"--users", users.toString(), "--spool", dir.resolve("spool").toString(),
                "--smtp-listen", "127.0.0.1:0"};
        StringWriter err = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute(args));
        String text = err.toString().strip();
        assertFalse(text.contains("\n"), text);
        assertTrue(text.contains(users.toString()), text);
        assertFalse(Files.exists(dir.resolve("spool").resolve("segments")), "nothing started");
    }

    @Test
    void authFlags() throws Exception {
        String[] args = {"--users", "/etc/mta/users", "--auth-max-argon2-memory", "32768", "--allow-plaintext-auth"};
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        dev.mta.server.auth.AuthOptions a = ((MtaMain) cmd.getCommand()).auth;
        assertEquals(Path.of("/etc/mta/users"), a.users());
        assertEquals(32768, a.maxArgon2MemoryKiB());
        assertTrue(a.allowPlaintextAuth());
        String[] none = {};
        CommandLine plain = MtaMain.commandLine(none);
        plain.parseArgs(none);
        assertFalse(((MtaMain) plain.getCommand()).auth.allowPlaintextAuth());
        assertEquals(null, ((MtaMain) plain.getCommand()).auth.users());
        assertEquals(dev.mta.server.auth.Lockout.DEFAULT, ((MtaMain) plain.getCommand()).auth.lockout());
        String[] lockout = {"--auth-max-failures", "3", "--auth-lockout", "60"};
        CommandLine l = MtaMain.commandLine(lockout);
        l.parseArgs(lockout);
        assertEquals(new dev.mta.server.auth.Lockout(3, Duration.ofSeconds(60)), ((MtaMain) l.getCommand()).auth.lockout());
        for (String[] bad : new String[][]{{"--auth-max-failures", "0"}, {"--auth-lockout", "0"}, {"--auth-lockout", "999999"}}) {
            CommandLine b = MtaMain.commandLine(bad);
            b.parseArgs(bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ((MtaMain) b.getCommand()).auth.lockout());
            assertTrue(e.getMessage().startsWith(bad[0].substring(2) + " must be"), e.getMessage());
        }
    }

    private static MtaMain mtaMain(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        return (MtaMain) cmd.getCommand();
    }

    @Test
    void bareNewlineFlag() throws Exception {
        assertEquals(BareNewline.REJECT, mtaMain().bareNewline.mode(), "strict by default");
        assertEquals(BareNewline.REJECT, BareNewlineOptions.parse(Defaults.BARE_NEWLINE));
        assertEquals(BareNewline.NORMALIZE, mtaMain("--bare-newline", "normalize").bareNewline.mode());
        assertEquals(BareNewline.REJECT, mtaMain("--bare-newline", "REJECT").bareNewline.mode());
        Path file = Files.writeString(dir.resolve("bare.properties"), "bare-newline = normalize\n");
        assertEquals(BareNewline.NORMALIZE, mtaMain("--config", file.toString()).bareNewline.mode());
        assertEquals(BareNewline.REJECT, mtaMain("--config", file.toString(), "--bare-newline", "reject")
                .bareNewline.mode(), "the flag wins over the file");
    }

    @Test
    void aBadBareNewlineValueIsOneLineNamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("bad-bare.properties"), "bare-newline = allow\n");
        for (String[] args : new String[][]{{"--bare-newline", "lenient"}, {"--config", file.toString()}}) {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                    "--spool", dir.resolve("spool").toString(), "--smtp-listen", "127.0.0.1:0")).toArray(String[]::new);
            StringWriter err = new StringWriter();
            CommandLine cmd = MtaMain.commandLine(all);
            cmd.setErr(new PrintWriter(err));
            assertEquals(2, cmd.execute(all), err::toString);
            String text = err.toString().strip();
            assertFalse(text.contains("\n"), text);
            assertTrue(text.startsWith("mta: bare-newline must be reject or normalize, not "), text);
            assertFalse(Files.exists(dir.resolve("spool")), "nothing started");
        }
    }

    @Test
    void clientLimitFlags() {
        dev.mta.server.admission.ClientLimits d = clientLimits();
        assertEquals(Defaults.MAX_CONNECTIONS_PER_CLIENT, d.maxConnectionsPerClient());
        assertEquals(Defaults.MAX_CONNECTION_RATE, d.connectionsPerMinute());
        assertEquals(RelayControl.networks(Defaults.MYNETWORKS), d.exceptions(), "the relay networks by default");
        assertEquals(Duration.ZERO, d.greetPause());
        dev.mta.server.admission.ClientLimits c = clientLimits("--max-connections-per-client", "3",
                "--max-connection-rate", "0", "--greet-pause", "0.5", "--mynetworks", "192.0.2.0/24");
        assertEquals(3, c.maxConnectionsPerClient());
        assertEquals(0, c.connectionsPerMinute());
        assertEquals(Duration.ofMillis(500), c.greetPause());
        assertEquals(RelayControl.networks("192.0.2.0/24"), c.exceptions(), "following --mynetworks");
        assertEquals(List.of(), clientLimits("--client-limit-exceptions", "none").exceptions());
        assertEquals(RelayControl.networks("10.0.0.0/8"), clientLimits("--client-limit-exceptions", "10.0.0.0/8").exceptions());
        for (String[] bad : new String[][]{{"--max-connections-per-client", "-1"}, {"--max-connection-rate", "-5"},
                {"--greet-pause", "soon"}, {"--greet-pause", "61"}, {"--greet-pause", "-1"},
                {"--client-limit-exceptions", "10.0.0.0/33"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clientLimits(bad));
            assertTrue(e.getMessage().startsWith(bad[0].substring(2)), e.getMessage());
        }
    }

    private static dev.mta.server.admission.ClientLimits clientLimits(String... args) {
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        MtaMain main = (MtaMain) cmd.getCommand();
        return main.clientLimits.clientLimits(main.toConfig().relayControl());
    }

    @Test
    void relayControlFlags() throws Exception {
        Path table = Files.writeString(dir.resolve("relay-recipients"), "# known\nalice@ourdomain.example\n@b.example\n");
        ServerConfig c = parse("--mynetworks", "192.0.2.0/24, 2001:db8::/32", "--relay-domains", "ourdomain.example,.b.example",
                "--local-domains", "here.example", "--relay-recipients", table.toString());
        RelayControl rc = c.relayControl();
        assertEquals(RelayControl.networks("192.0.2.0/24,2001:db8::/32"), rc.mynetworks());
        assertTrue(rc.relayDomains().matches("OURDOMAIN.example") && rc.relayDomains().matches("x.b.example"));
        assertTrue(rc.localDomains().matches("here.example"));
        assertEquals(table, rc.recipientsFile());
        Path file = Files.writeString(dir.resolve("relay.properties"), "mynetworks = 10.0.0.0/8\nrelay-domains = a.example\n");
        assertEquals(RelayControl.networks("10.0.0.0/8"), parse("--config", file.toString()).relayControl().mynetworks());
        assertEquals(RelayControl.networks(""), parse("--mynetworks", "").relayControl().mynetworks());
    }

    @Test
    void badRelayControlValuesNameTheirKey() {
        for (String[] bad : new String[][]{{"--mynetworks", "10.0.0.0/33"}, {"--mynetworks", "example.com"},
                {"--mynetworks", "10.1.0.0/8"}, {"--relay-domains", "example.com."}, {"--local-domains", "[192.0.2.1]"},
                {"--relay-recipients", dir.resolve("missing").toString()}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad));
            String key = bad[0].substring(2);
            assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        }
    }

    @Test
    void recipientVerificationFlags() {
        RecipientVerification none = parse().verification();
        assertEquals(RecipientVerification.NONE, none);
        assertEquals("double-bounce@mx.example.org", none.sender("mx.example.org"));
        assertEquals(Duration.ofDays(1), none.positiveTtl());
        assertEquals(Duration.ofHours(1), none.negativeTtl());
        RecipientVerification v = parse("--relay-verify", "callahead", "--relay-domains", "Example.com, .example.net",
                "--verify-sender", "probe@mx.example.org", "--verify-positive-ttl", "2h",
                "--verify-negative-ttl", "5m").verification();
        assertTrue(v.enabled());
        assertEquals(List.of("example.com", ".example.net"), v.relayDomains());
        assertTrue(v.isRelayDomain("example.com") && v.isRelayDomain("mx.example.net"));
        assertTrue(!v.isRelayDomain("other.com") && !v.isRelayDomain("example.net"));
        assertEquals("probe@mx.example.org", v.sender("ignored"));
        assertEquals(Duration.ofHours(2), v.positiveTtl());
        assertEquals(Duration.ofMinutes(5), v.negativeTtl());
        assertEquals("", parse("--relay-verify", "callahead", "--relay-domains", "example.com", "--verify-sender", "")
                .verification().settings("mx").sender(), "an empty sender probes with <>");
        assertThrows(IllegalArgumentException.class, () -> parse("--relay-verify", "maybe"));
        assertThrows(IllegalArgumentException.class, () -> parse("--relay-verify", "callahead"));
        assertThrows(IllegalArgumentException.class, () -> parse("--relay-verify", "callahead", "--relay-domains",
                "example.com", "--verify-sender", "no spaces@example.com"));
    }

    @Test
    void hostPortForms() {
        assertEquals(new InetSocketAddress("127.0.0.1", 25), HostPort.parse("127.0.0.1:25"));
        assertEquals(new InetSocketAddress("::1", 25), HostPort.parse("[::1]:25"));
        assertEquals("[::1]:25", HostPort.format(new InetSocketAddress("::1", 25)));
        assertEquals("[2001:db8::1]:587", HostPort.format(new InetSocketAddress("2001:db8:0:0:0:0:0:1", 587)));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:25"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:99999"));
    }
}
