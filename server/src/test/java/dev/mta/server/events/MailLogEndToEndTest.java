package dev.mta.server.events;

import dev.mta.relay.RelaySettings;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.LogCapture;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.SmtpSink;
import dev.mta.testkit.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The mail log of real mail over real sockets: a client's message from connect to removal, delivered through the
 * MX (a loopback DNS server) to Postfix's smtp-sink; a next hop that defers; one that refuses, and the bounce.
 */
@ExtendWith(LeakGuard.class)
class MailLogEndToEndTest {
    /** Seconds as the mail log writes them. */
    private static final String S = "(\\d+(?:\\.\\d+)?)";
    private static final String DELAYS = "delay=" + S + ", delays=" + S + "/" + S + "/" + S + "/" + S;

    @TempDir
    Path dir;

    private static RelaySettings viaMx(TestDnsServer dns, int port) {
        return new RelaySettings(true, "", dns.address(), port, 10, 5, Duration.ofSeconds(1), 50);
    }

    @Test
    void oneMessageFromConnectToRemoval() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             TestDnsServer dns = new TestDnsServer().mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
             LogCapture log = LogCapture.lines(MailLog.LOGGER);
             TestMta mta = TestMta.start(dir.resolve("spool"),
                     c -> c.withRelay(viaMx(dns, sink.address().getPort())))) {
            String content = "Message-ID: <e2e-1@sender.test>\r\nSubject: the mail log\r\n\r\nhello\r\n";
            String id;
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
                c.command("RCPT TO:<bob@dest.test>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send(content + ".\r\n");
                id = TestMta.queueId(c.read());
                // The session stays open until the message has gone, so its disconnect line comes last.
                Await.until(() -> log.lines().contains(id + ": removed"), "the message delivered and removed");
                c.command("QUIT").assertCode(221);
            }
            Await.until(() -> log.lines().stream().anyMatch(l -> l.startsWith("disconnect from")), "disconnect");
            List<String> lines = log.lines();
            System.out.println("The mail log of one message:\n  " + String.join("\n  ", lines));
            int port = sink.address().getPort();
            expect(lines,
                    "connect from unknown\\[127\\.0\\.0\\.1\\]",
                    id + ": client=unknown\\[127\\.0\\.0\\.1\\]",
                    id + ": message-id=<e2e-1@sender\\.test>",
                    id + ": from=<alice@sender\\.test>, size=" + content.length() + ", nrcpt=1 \\(queue active\\)",
                    id + ": to=<bob@dest\\.test>, relay=mx\\.dest\\.test\\[127\\.0\\.0\\.1\\]:" + port + ", " + DELAYS
                            + ", dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 .*\\)",
                    id + ": removed",
                    "disconnect from unknown\\[127\\.0\\.0\\.1\\] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5");
            delaysAddUp(lines.get(4));
        }
    }

    @Test
    void aDeferralShowsTheNextHopsReplyAndStatus() throws Exception {
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer();
             TestDnsServer dns = new TestDnsServer().mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1");
             LogCapture log = LogCapture.lines(MailLog.LOGGER);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(viaMx(dns, mx.address().getPort())))) {
            mx.rcptReply = r -> "450 4.2.1 mailbox busy";
            String id = send(mta, "<deferred@sender.test>", "bob@dest.test");
            Await.until(() -> linesOf(log, id).stream().anyMatch(l -> l.contains(" to=")), "the attempt");
            List<String> mine = linesOf(log, id);
            System.out.println("A deferral:\n  " + String.join("\n  ", mine));
            expect(mine,
                    id + ": client=unknown\\[127\\.0\\.0\\.1\\]",
                    id + ": message-id=<deferred@sender\\.test>",
                    id + ": from=<alice@sender\\.test>, size=\\d+, nrcpt=1 \\(queue active\\)",
                    id + ": to=<bob@dest\\.test>, relay=mx\\.dest\\.test\\[127\\.0\\.0\\.1\\]:" + mx.address().getPort()
                            + ", " + DELAYS + ", dsn=4\\.2\\.1, status=deferred \\(450 4\\.2\\.1 mailbox busy\\)");
            assertEquals(1, mta.queuedCount(), "a deferred message stays");
        }
    }

    @Test
    void aBounceShowsTheRefusalAndTheDsnsOwnLines() throws Exception {
        try (ScriptedSmtpServer mx = new ScriptedSmtpServer();
             TestDnsServer dns = new TestDnsServer().mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                     .mx("sender.test", 10, "mx.dest.test");
             LogCapture log = LogCapture.lines(MailLog.LOGGER);
             TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(viaMx(dns, mx.address().getPort())))) {
            mx.rcptReply = r -> r.startsWith("bob@") ? "550 5.1.1 <bob@dest.test>: no such user" : "250 2.1.5 ok";
            String id = send(mta, null, "bob@dest.test");
            Await.until(() -> log.lines().contains(id + ": removed") && mta.queuedCount() == 0,
                    "the bounce delivered and both messages removed");
            List<String> mine = linesOf(log, id);
            String notice = mine.stream().filter(l -> l.contains("sender non-delivery notification: "))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElseThrow(() -> new AssertionError(mine));
            Await.until(() -> log.lines().contains(notice + ": removed"), "the bounce removed");
            List<String> dsn = linesOf(log, notice);
            System.out.println("A bounce:\n  " + String.join("\n  ", mine) + "\n  " + String.join("\n  ", dsn));
            expect(mine,
                    id + ": client=unknown\\[127\\.0\\.0\\.1\\]",
                    id + ": message-id=<>",
                    id + ": from=<alice@sender\\.test>, size=\\d+, nrcpt=1 \\(queue active\\)",
                    id + ": to=<bob@dest\\.test>, relay=mx\\.dest\\.test\\[127\\.0\\.0\\.1\\]:" + mx.address().getPort()
                            + ", " + DELAYS + ", dsn=5\\.1\\.1, status=bounced \\(550 5\\.1\\.1 <bob@dest\\.test>: no such user\\)",
                    id + ": sender non-delivery notification: " + notice,
                    id + ": removed");
            // The DSN is a message of its own, made here: no client, the null sender, its own Message-ID.
            expect(dsn,
                    notice + ": message-id=<" + id + "\\..*\\.dsn@" + Pattern.quote(TestMta.HOSTNAME) + ">",
                    notice + ": from=<>, size=\\d+, nrcpt=1 \\(queue active\\)",
                    notice + ": to=<alice@sender\\.test>, relay=mx\\.dest\\.test\\[127\\.0\\.0\\.1\\]:"
                            + mx.address().getPort() + ", " + DELAYS + ", dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 accepted\\)",
                    notice + ": removed");
        }
    }

    /** One message from alice@sender.test to {@code to}, with {@code messageId} (none when null); its queue id. */
    private static String send(TestMta mta, String messageId, String to) throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            c.command("MAIL FROM:<alice@sender.test>").assertCode(250);
            c.command("RCPT TO:<" + to + ">").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send((messageId == null ? "" : "Message-ID: " + messageId + "\r\n") + "Subject: x\r\n\r\nhello\r\n.\r\n");
            String id = TestMta.queueId(c.read());
            c.command("QUIT").assertCode(221);
            return id;
        }
    }

    private static List<String> linesOf(LogCapture log, String id) {
        return log.lines().stream().filter(l -> l.startsWith(id + ": ")).collect(Collectors.toList());
    }

    /** The lines are exactly these, in this order (each a regular expression for the whole line). */
    private static void expect(List<String> lines, String... patterns) {
        if (lines.size() != patterns.length) {
            fail("expected " + patterns.length + " lines, got " + lines.size() + ":\n" + String.join("\n", lines));
        }
        for (int i = 0; i < patterns.length; i++) {
            assertTrue(lines.get(i).matches(patterns[i]),
                    "line " + (i + 1) + ":\n  " + lines.get(i) + "\ndoes not match\n  " + patterns[i]);
        }
    }

    /** a+b+c+d is the delay, each cut to Postfix's precision (under ten seconds: within a tenth each). */
    private static void delaysAddUp(String line) {
        Matcher m = Pattern.compile(DELAYS).matcher(line);
        assertTrue(m.find(), line);
        double delay = Double.parseDouble(m.group(1));
        double sum = 0;
        for (int g = 2; g <= 5; g++) {
            sum += Double.parseDouble(m.group(g));
        }
        if (delay < 10) {
            assertTrue(sum <= delay + 0.1 && sum >= delay - 0.5, "delays add up to the delay: " + line);
        }
    }
}
