package dev.mta.server.smtp;

import dev.mta.server.Mta;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RelayControl;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay control over real sockets. The tests' client is 127.0.0.1; with --mynetworks 192.0.2.0/24 it is a
 * stranger, which may only reach the relay domain ourdomain.example.
 */
@ExtendWith(LeakGuard.class)
class RelayControlTest {
    private static final String DENIED = "554 5.7.1 Relay access denied";

    @TempDir
    Path dir;

    private static RelayControl strangers(Path recipientsFile) {
        return new RelayControl(RelayControl.networks("192.0.2.0/24"), DomainList.parse("ourdomain.example"),
                DomainList.parse("local.example"), recipientsFile);
    }

    private TestMta start(RelayControl control) throws Exception {
        return TestMta.start(dir.resolve("spool"), c -> c.withRelayControl(control));
    }

    private static void assertDenied(Reply r, String what) {
        assertEquals(554, r.code(), what + ": " + r);
        assertEquals("5.7.1", r.status(), what + ": " + r);
        assertEquals(List.of("5.7.1 Relay access denied"), r.lines(), what + ": " + r);
    }

    @Test
    void aStrangerReachesOnlyOurDomains() throws Exception {
        try (TestMta mta = start(strangers(null));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            // A sender in our own domain grants nothing.
            c.command("MAIL FROM:<someone@ourdomain.example>").assertReply(250, "2.1.0");
            for (String odd : List.of("<victim@elsewhere.example>",
                    "<victim%elsewhere.example@ourdomain.example>",          // the percent hack
                    "<elsewhere.example!victim@ourdomain.example>",          // a bang path
                    "<\"victim@elsewhere.example\"@ourdomain.example>",      // a quoted local part holding '@'
                    "<@ourdomain.example:victim@elsewhere.example>",         // a source route: the final mailbox counts
                    "<victim@[192.0.2.1]>", "<victim@[IPv6:2001:db8::1]>",  // address literals
                    "<victim@ourdomain.example.evil.example>", "<victim@xourdomain.example>",
                    "<victim@sub.ourdomain.example>", "<victim@OURDOMAIN.EXAMPLE.evil.example>",
                    "<victim@" + TestMta.HOSTNAME + ">")) {
                assertDenied(c.command("RCPT TO:" + odd), odd);
            }
            // A trailing dot is not a domain at all: the grammar refuses it before any policy.
            c.command("RCPT TO:<victim@ourdomain.example.>").assertReply(501, "5.1.3");
            // Our domains are taken from anyone, in any case, also behind a source route.
            c.command("RCPT TO:<alice@ourdomain.example>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<Bob@OurDomain.Example>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<@hop1.example,@hop2.example:carol@ourdomain.example>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<dave@local.example>").assertReply(550, "5.1.1"); // no such local user
            c.command("RCPT TO:<postmaster@local.example>").assertReply(250, "2.1.5");
            c.command("RCPT TO:<Postmaster>").assertReply(250, "2.1.5"); // RFC 5321 4.5.1
            c.command("DATA").assertCode(354);
            c.send("Subject: in\r\n\r\nfor us\r\n.\r\n");
            String id = TestMta.queueId(c.read());
            assertEquals(List.of("alice@ourdomain.example", "Bob@OurDomain.Example", "carol@ourdomain.example",
                    "postmaster@local.example", "Postmaster@" + TestMta.HOSTNAME), mta.queued(id).envelope().recipients());
            // Refusals are not errors: the session goes on as long as the client likes.
            for (int i = 0; i < 30; i++) {
                c.command("MAIL FROM:<>").assertCode(250);
                assertDenied(c.command("RCPT TO:<victim@elsewhere.example>"), "again");
                c.command("RSET").assertCode(250);
            }
            c.command("QUIT").assertCode(221);
        }
    }

    @Test
    void fromMynetworksAnythingIsRelayed() throws Exception {
        RelayControl loopbackTrusted = new RelayControl(RelayControl.networks("192.0.2.0/24, 127.0.0.0/8"),
                DomainList.parse("ourdomain.example"), DomainList.NONE, null);
        try (TestMta mta = start(loopbackTrusted);
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<me@example.net>").assertCode(250);
            for (String any : List.of("<victim@elsewhere.example>", "<victim%elsewhere.example@ourdomain.example>",
                    "<\"a@b\"@elsewhere.example>", "<x@[192.0.2.1]>", "<y@ourdomain.example>")) {
                c.command("RCPT TO:" + any).assertReply(250, "2.1.5");
            }
        }
    }

    @Test
    void theRecipientTableDecidesForRelayDomainsAndIsReloaded() throws Exception {
        Path table = Files.writeString(dir.resolve("relay-recipients"),
                "# who exists at ourdomain.example\nalice@ourdomain.example\nBob@ourdomain.example  # since May\n");
        try (TestMta mta = start(strangers(table))) {
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<me@example.net>").assertCode(250);
                c.command("RCPT TO:<alice@ourdomain.example>").assertReply(250, "2.1.5");
                c.command("RCPT TO:<bob@OURDOMAIN.example>").assertReply(250, "2.1.5");
                Reply r = c.command("RCPT TO:<carol@ourdomain.example>");
                assertEquals(550, r.code(), r.toString());
                assertEquals(List.of("5.1.1 <carol@ourdomain.example>: Recipient address rejected: User unknown in "
                        + "relay recipient table"), r.lines());
                // Local domains are not in the relay table (their users are); strangers still cannot relay.
                c.command("RCPT TO:<postmaster@local.example>").assertReply(250, "2.1.5");
                assertDenied(c.command("RCPT TO:<alice@elsewhere.example>"), "elsewhere");
            }
            // Changed file, reloaded (what SIGHUP does): new sessions and sessions under way see the new table.
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<me@example.net>").assertCode(250);
                Files.writeString(table, "carol@ourdomain.example\n@ourdomain.example\n");
                assertTrue(mta.mta().reloadRelayRecipients());
                c.command("RCPT TO:<carol@ourdomain.example>").assertReply(250, "2.1.5");
                c.command("RCPT TO:<zed@ourdomain.example>").assertReply(250, "2.1.5"); // the catch-all
            }
            // A bad file on reload keeps the table in force and says so.
            Files.writeString(table, "carol@ourdomain.example\nnot an address\n");
            try (LogCapture log = LogCapture.of(Class.forName("dev.mta.server.RelayRecipientsFile"))) {
                assertFalse(mta.mta().reloadRelayRecipients());
                assertEquals(1, log.warningsWith("relay recipients not reloaded", "line 2").size(), log.warnings().toString());
            }
            Files.delete(table);
            assertFalse(mta.mta().reloadRelayRecipients());
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<me@example.net>").assertCode(250);
                c.command("RCPT TO:<zed@ourdomain.example>").assertReply(250, "2.1.5");
            }
        }
    }

    @Test
    void withoutATableRelayDomainRecipientsAreTakenAsBefore() throws Exception {
        try (TestMta mta = start(strangers(null));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<me@example.net>").assertCode(250);
            c.command("RCPT TO:<whoever@ourdomain.example>").assertReply(250, "2.1.5");
            assertFalse(mta.mta().reloadRelayRecipients(), "nothing to reload");
        }
    }

    /** The real process: its start-up line, SIGHUP, and the bad values that stop it. */
    @Test
    void sighupReloadsTheTableInTheRealProcess() throws Exception {
        Path table = Files.writeString(dir.resolve("relay-recipients"), "alice@ourdomain.example\n");
        Path log = dir.resolve("mta.log");
        int port = MtaProcess.freePort();
        // The production logging (INFO), not the tests' (WARN): the start-up and reload lines are INFO.
        Process p = MtaProcess.start(port, dir.resolve("spool"), log, List.of("-Xmx256m",
                "-Dlogback.configurationFile=logback.xml"), List.of("--no-relay", "--mynetworks",
                "192.0.2.0/24", "--relay-domains", "ourdomain.example", "--relay-recipients", table.toString()));
        try {
            MtaProcess.awaitListening(port);
            String started = awaitLine(log, "relay control: ");
            assertTrue(started.contains("relay control: any recipient from mynetworks 192.0.2.0/24;")
                    && started.contains("relay domains ourdomain.example") && started.contains("local domains none")
                    && started.contains("with 1 entries"), started);
            java.net.InetSocketAddress at = new java.net.InetSocketAddress("127.0.0.1", port);
            try (SmtpTestClient c = SmtpTestClient.greeted(at)) {
                c.command("MAIL FROM:<me@example.net>").assertCode(250);
                c.command("RCPT TO:<bob@ourdomain.example>").assertReply(550, "5.1.1");
                assertDenied(c.command("RCPT TO:<bob@elsewhere.example>"), "elsewhere");
                Files.writeString(table, "alice@ourdomain.example\nbob@ourdomain.example\n");
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
                long deadline = System.currentTimeMillis() + 10_000;
                Reply r = c.command("RCPT TO:<bob@ourdomain.example>");
                while (r.code() != 250 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                    r = c.command("RCPT TO:<bob@ourdomain.example>");
                }
                r.assertReply(250, "2.1.5");
            }
            assertTrue(p.isAlive(), "SIGHUP does not end the MTA");
            assertTrue(awaitLine(log, "relay recipients reloaded from").endsWith(": 2 entries"));
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The first line of {@code log} holding {@code text}, waited for (the logging is asynchronous). */
    private static String awaitLine(Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            java.util.Optional<String> line = all.lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get().strip();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no line with '" + text + "' in:\n" + all);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void badValuesAreOneLineNamingTheKey() throws Exception {
        assertOneLine(run("--mynetworks", "10.0.0.0/33"), "mynetworks");
        assertOneLine(run("--relay-recipients", dir.resolve("missing").toString()), "relay-recipients");
    }

    private ProcessRunner.Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Mta.class.getPackageName() + ".MtaMain",
                "--spool", dir.resolve("spool").toString()));
        cmd.addAll(List.of(args));
        return ProcessRunner.run(cmd, 30);
    }

    private void assertOneLine(ProcessRunner.Result r, String key) {
        assertEquals(2, r.exitCode(), r.output());
        String out = r.output().strip();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("mta: " + key + ": "), out);
        assertFalse(Files.exists(dir.resolve("spool")), "the spool is not touched");
    }
}
