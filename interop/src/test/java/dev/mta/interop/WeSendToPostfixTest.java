package dev.mta.interop;

import dev.mta.server.auth.PasswordHash;
import dev.mta.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This MTA relaying into Postfix, which delivers to Maildirs in its container: over STARTTLS at the {@code verify}
 * level against the test CA (and refused for a next hop found under a name its certificate does not carry); a
 * recipient Postfix refuses gives our DSN; a bounce Postfix makes comes back to our local user; a loop between the
 * two is caught by us (5.4.6), not by Postfix.
 */
@Tag("slow")
@Tag("containers")
class WeSendToPostfixTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SENDER = "carol@us.test";

    @TempDir
    static Path dir;
    private static TestDnsServer dns;
    private static OurMta mta;
    private static PostfixContainer postfix;

    @BeforeAll
    static void start() throws Exception {
        Docker.require();
        TestCa ca = TestCa.create(dir);
        Path mxCert = ca.issue(OurMta.HOSTNAME);
        int postfixPort = Ports.free();
        int ourPort = Ports.free();
        // Both names lead to Postfix; its certificate carries only postfix.test.
        dns = new TestDnsServer().a(PostfixContainer.HOSTNAME, "127.0.0.1").a("wrongname.test", "127.0.0.1");
        Path users = Files.writeString(dir.resolve("users"), "carol:"
                + PasswordHash.create("BLF-CRYPT", "secret".toCharArray()).encoded() + "\n");
        Path aliases = Files.writeString(dir.resolve("aliases"), "postmaster: carol\n");
        String next = PostfixContainer.HOSTNAME + ":" + postfixPort;
        mta = OurMta.start(dir, ourPort, List.of("--local-domains", "us.test", "--users", users.toString(),
                "--aliases", aliases.toString(), "--mail-root", dir.resolve("mail").toString(),
                "--transport-map", "pf.test=" + next + ", loop.test=" + next + ", wrong.test=wrongname.test:" + postfixPort,
                "--dns-server", "127.0.0.1:" + dns.address().getPort(),
                "--relay-tls-policy", "*=may, pf.test=verify, wrong.test=verify", "--relay-tls-ca", ca.caFile().toString(),
                "--tls-cert", mxCert.toString(), "--tls-key", TestCa.keyOf(mxCert).toString(), "--retry-delays", "30s"));
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("relayhost", "[" + OurMta.HOSTNAME + "]:" + ourPort);
        cf.put("smtpd_tls_cert_file", "/certs/server.pem");
        cf.put("smtpd_tls_key_file", "/certs/server.key");
        cf.put("smtpd_tls_security_level", "may");
        cf.put("smtpd_tls_received_header", "yes");
        cf.put("smtp_tls_security_level", "may");
        // Above our limit of 50 Received headers, so that the loop is ours to catch.
        cf.put("hopcount_limit", "100");
        postfix = new PostfixContainer(postfixPort, cf, List.of(OurMta.HOSTNAME))
                .withCertificates(ca.issue(PostfixContainer.HOSTNAME), ca.caFile());
        postfix.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            postfix.stop();
        }
        if (mta != null) {
            mta.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void messagesReachPostfixMaildirsOverVerifiedTls() throws Exception {
        List<String> to = List.of("alice@pf.test");
        byte[] plain = TestMessages.plain("pf-plain", SENDER, to);
        byte[] eightBit = TestMessages.eightBit("pf-8bit", SENDER, to);
        byte[] utf8 = TestMessages.international("pf-utf8", "jörg@us.test", to);
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            s.send(SENDER, "", to, plain);
            s.send(SENDER, " BODY=8BITMIME", to, eightBit);
            s.send("jörg@us.test", " BODY=8BITMIME SMTPUTF8", to, utf8);
        }
        List<byte[]> box = Maildirs.await(() -> postfix.maildir("alice"), 3, WAIT, this::logs);
        for (var e : Map.of("pf-plain", plain, "pf-8bit", eightBit, "pf-utf8", utf8).entrySet()) {
            byte[] file = only(box, e.getKey());
            TestMessages.assertSentBelowTrace(e.getValue(), file, true);
            String head = TestMessages.headers(file);
            // Postfix's own Received line: from us, over TLS (smtpd_tls_received_header).
            assertTrue(Pattern.compile("Received: from " + Pattern.quote(OurMta.HOSTNAME)
                    + " [^\\n]*\\n(?:[ \\t][^\\n]*\\n)*?[ \\t]*\\(using TLS", Pattern.DOTALL).matcher(head).find(), head);
        }
    }

    @Test
    void verifyRefusesANextHopFoundUnderAnotherName() throws Exception {
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            s.send(SENDER, "", List.of("alice@wrong.test"), TestMessages.plain("pf-wrong", SENDER,
                    List.of("alice@wrong.test")));
        }
        String line = awaitLogLine("to=<alice@wrong.test>");
        assertTrue(line.contains("relay=wrongname.test[") && line.contains("status=deferred") && line.contains("TLS"),
                line);
        // Not a byte of it reached Postfix, not even over a connection kept from a route verified for postfix.test.
        assertTrue(!postfix.getLogs().contains("<pf-wrong@client.test>"), postfix::getLogs);
    }

    @Test
    void aRecipientPostfixRefusesGivesOurDsn() throws Exception {
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            s.send(SENDER, "", List.of("nosuchuser@pf.test"), TestMessages.plain("pf-refused", SENDER,
                    List.of("nosuchuser@pf.test")));
        }
        String dsn = awaitOurMail("Final-Recipient: rfc822; nosuchuser@pf.test");
        assertTrue(dsn.contains("report-type=delivery-status"), dsn);
        assertTrue(dsn.contains("Reporting-MTA: dns; " + OurMta.HOSTNAME), dsn);
        assertTrue(dsn.contains("Action: failed"), dsn);
        assertTrue(dsn.contains("Status: 5.1.1"), dsn);
        assertTrue(dsn.contains("Remote-MTA: dns; " + PostfixContainer.HOSTNAME), dsn);
        assertTrue(Pattern.compile("Diagnostic-Code: smtp; 550 5\\.1\\.1 .*nosuchuser@pf\\.test").matcher(dsn).find(), dsn);
        assertTrue(dsn.contains("X-Interop-Id: pf-refused"), dsn);
    }

    @Test
    void aBouncePostfixMakesComesBackToOurUser() throws Exception {
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            // Postfix takes it (an alias) and fails it at local delivery: exit 67, EX_NOUSER.
            s.send(SENDER, "", List.of("broken@pf.test"), TestMessages.plain("pf-broken", SENDER,
                    List.of("broken@pf.test")));
        }
        String dsn = awaitOurMail("Final-Recipient: rfc822; broken@pf.test");
        assertTrue(dsn.startsWith("Return-Path: <>"), dsn);
        assertTrue(dsn.contains("Reporting-MTA: dns; " + PostfixContainer.HOSTNAME), dsn);
        assertTrue(dsn.contains("Status: 5.1.1") || dsn.contains("Status: 5.3.0"), dsn);
        assertTrue(dsn.contains("Action: failed"), dsn);
        assertTrue(dsn.contains("X-Interop-Id: pf-broken"), dsn);
    }

    @Test
    void aLoopThroughPostfixIsCaughtByUs() throws Exception {
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            s.send(SENDER, "", List.of("round@loop.test"), TestMessages.plain("pf-loop", SENDER,
                    List.of("round@loop.test")));
        }
        String dsn = awaitOurMail("Final-Recipient: rfc822; round@loop.test");
        assertTrue(dsn.contains("Reporting-MTA: dns; " + OurMta.HOSTNAME), dsn);
        assertTrue(dsn.contains("Status: 5.4.6"), dsn);
        assertTrue(dsn.contains("Action: failed"), dsn);
        // The copy it returns went round: Postfix's and our Received lines, more than 50 of them.
        long received = dsn.lines().filter(l -> l.startsWith("Received: ")).count();
        assertTrue(received > 50, "only " + received + " Received lines in\n" + dsn);
        assertTrue(!postfix.getLogs().contains("too many hops"), postfix::getLogs);
    }

    private static byte[] only(List<byte[]> box, String id) {
        List<byte[]> of = box.stream().filter(b -> TestMessages.isOf(b, id)).toList();
        assertEquals(1, of.size(), () -> id + ": " + of.size() + " copies");
        return of.get(0);
    }

    /** The first message in carol's Maildir that contains {@code marker}, as text. */
    private String awaitOurMail(String marker) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (byte[] m : OurMailbox.read(dir.resolve("mail"), "carol")) {
                String text = new String(m, StandardCharsets.UTF_8);
                if (text.contains(marker)) {
                    return text;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail for carol with " + marker + "; " + logs());
            }
            Thread.sleep(200);
        }
    }

    private String awaitLogLine(String marker) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String l : mta.log().split("\n")) {
                if (l.contains(marker)) {
                    return l;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with " + marker + "; " + logs());
            }
            Thread.sleep(200);
        }
    }

    private String logs() {
        return "our log:\n" + mta.log() + "\nPostfix's log:\n" + postfix.getLogs();
    }
}
