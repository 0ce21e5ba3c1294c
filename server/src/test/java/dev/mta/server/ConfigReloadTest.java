package dev.mta.server;

import dev.mta.server.support.LogFile;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGHUP in the real process: the --config file is read again, a changed route is in force for the next delivery
 * (mail for a domain moves from one Postfix smtp-sink to another), an SMTP session open across the reload goes on,
 * relay rules and log levels change with it, and a bad edit keeps everything in force and says why.
 */
class ConfigReloadTest {
    @TempDir
    Path dir;

    private static String conf(SmtpSink sink, String... more) {
        return "# written by ConfigReloadTest\n"
                + "transport-map = reload.test=127.0.0.1:" + sink.address().getPort() + "\n"
                // smtp-sink writes a message out when its connection closes: close idle ones soon.
                + "outbound-idle-timeout = 1\n"
                + "relay-tls-policy = *=none\n"
                + String.join("\n", more) + "\n";
    }

    private static void hangUp(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
    }

    /** Sends one message over an open session. */
    private static void send(SmtpTestClient c, String to, String subject) throws IOException {
        c.command("MAIL FROM:<sender@example.com>").assertCode(250);
        c.command("RCPT TO:<" + to + ">").assertCode(250);
        c.command("DATA").assertCode(354);
        c.send("Subject: " + subject + "\r\n\r\nbody\r\n.\r\n");
        TestMta.queueId(c.read());
    }

    @Test
    void sighupMovesARouteWithoutDroppingASessionAndABadEditChangesNothing() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        try (SmtpSink a = SmtpSink.start(dir.resolve("a")); SmtpSink b = SmtpSink.start(dir.resolve("b"))) {
            Path conf = Files.writeString(dir.resolve("mta.conf"), conf(a));
            Path log = dir.resolve("mta.log");
            int port = MtaProcess.freePort();
            // The production logging (INFO), not the tests' (WARN): the reload's lines are INFO.
            Process p = MtaProcess.start(port, dir.resolve("spool"), log,
                    List.of("-Xmx256m", "-Dlogback.configurationFile=logback.xml"), List.of("--config", conf.toString()));
            try {
                MtaProcess.awaitListening(port);
                InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
                try (SmtpTestClient open = SmtpTestClient.greeted(at)) {
                    send(open, "one@reload.test", "before");
                    assertTrue(a.awaitComplete(1, 20_000).get(0).contains("Subject: before"));

                    // The route moves to b, and a domain becomes ours to take from anyone; a STARTTLS before the
                    // reload logs nothing at debug level, one after it does.
                    try (SmtpTestClient tls = SmtpTestClient.greeted(at)) {
                        tls.command("STARTTLS").assertCode(220);
                        tls.startTls();
                        tls.command("EHLO client.test").assertCode(250);
                    }
                    // Loopback no longer relays anywhere: only to the relay domains.
                    Files.writeString(conf, conf(b, "relay-domains = reload.test, taken.example",
                            "mynetworks = 192.0.2.0/24", "log-level = dev.mta.server.smtp=debug",
                            "max-recipients = 7"));
                    int before = LogFile.lines(log).size();
                    hangUp(p);
                    String done = LogFile.awaitLine(log, "configuration reloaded from " + conf, before);
                    assertTrue(done.endsWith(": 4 changes in force"), done);
                    assertTrue(LogFile.awaitLine(log, "reload: transport-map: ", before).endsWith(
                            "reload: transport-map: reload.test=127.0.0.1:" + a.address().getPort()
                                    + " -> reload.test=127.0.0.1:" + b.address().getPort()));
                    assertTrue(LogFile.awaitLine(log, "reload: relay-domains: ", before)
                            .endsWith("reload: relay-domains: (none) -> reload.test, taken.example"));
                    assertTrue(LogFile.awaitLine(log, "reload: mynetworks: ", before)
                            .endsWith("reload: mynetworks: 127.0.0.0/8,::1/128 -> 192.0.2.0/24"));
                    assertTrue(LogFile.awaitLine(log, "reload: max-recipients: ", before).endsWith(
                            "reload: max-recipients: 1000 -> 7 takes effect at the next start; until then 1000 stays"));
                    List<String> upToReload = LogFile.lines(log);
                    assertFalse(upToReload.stream().anyMatch(l -> l.contains("SmtpSession - TLS with ")), "no debug line before");
                    try (SmtpTestClient tls = SmtpTestClient.greeted(at)) {
                        tls.command("STARTTLS").assertCode(220);
                        tls.startTls();
                        tls.command("EHLO client.test").assertCode(250);
                    }
                    assertTrue(LogFile.awaitLine(log, "SmtpSession - TLS with ").contains("TLSv1"), "debug now");

                    // The session opened before the reload goes on under the new relay rules, and its next message
                    // takes the new route.
                    open.command("MAIL FROM:<sender@example.com>").assertCode(250);
                    open.command("RCPT TO:<anyone@elsewhere.example>").assertReply(554, "5.7.1");
                    open.command("RCPT TO:<anyone@taken.example>").assertReply(250, "2.1.5");
                    open.command("RSET").assertCode(250);
                    send(open, "two@reload.test", "after");
                    assertTrue(b.awaitComplete(1, 20_000).get(0).contains("Subject: after"));
                    assertEquals(1, a.count(), "nothing more to the old route");

                    // A bad edit: nothing changes, and the log says why in one line naming the key.
                    Files.writeString(conf, conf(a, "relay-domains = taken.example", "transport-map-typo = x"));
                    before = LogFile.lines(log).size();
                    hangUp(p);
                    String refused = LogFile.awaitLine(log, "configuration not reloaded", before);
                    assertTrue(refused.endsWith("configuration not reloaded, the settings in force stay: config: "
                            + "unknown key 'transport-map-typo' in " + conf), refused);
                    Files.writeString(conf, conf(a).replace("transport-map = reload.test=", "transport-map = reload.test"));
                    before = LogFile.lines(log).size();
                    hangUp(p);
                    assertTrue(LogFile.awaitLine(log, "configuration not reloaded", before)
                            .contains("the settings in force stay: transport-map: "));
                    send(open, "three@reload.test", "still b");
                    assertEquals(2, b.awaitComplete(2, 20_000).size(), "the route in force stayed");
                    assertEquals(1, a.count());
                    open.command("NOOP").assertCode(250);
                }
                assertTrue(p.isAlive(), "SIGHUP does not end the MTA");
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
