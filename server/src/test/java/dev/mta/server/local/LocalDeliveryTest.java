package dev.mta.server.local;

import dev.mta.server.support.Await;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.UsersFile;
import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local delivery end to end, the MTA in a process of its own started with the options an operator writes: local
 * domains, users, aliases, a quota, VRFY and EXPN turned on. Mail goes in over SMTP and is read back from the
 * Maildirs on disk; an alias's remote target arrives at a scripted next hop.
 */
class LocalDeliveryTest {
    @TempDir
    static Path dir;
    static Process mta;
    static ScriptedSmtpServer remote;
    static InetSocketAddress smtp;
    static Path mail;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        remote = new ScriptedSmtpServer();
        remote.rcptReply = r -> r.contains("gone@") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        Path users = UsersFile.write(dir.resolve("users"), Map.of("alice", "alice-pw", "bob", "bob-pw"));
        Path aliases = Files.writeString(dir.resolve("aliases"), """
                # the local domains' aliases
                postmaster: alice
                team: alice, bob,
                    carol@remote.example
                owner-team: bob
                self: alice
                """);
        mail = dir.resolve("mail");
        log = dir.resolve("mta.log");
        int port = MtaProcess.freePort();
        mta = MtaProcess.start(port, dir.resolve("spool"), log, List.of("-Xmx256m"), List.of(
                "--local-domains", "example.net, example.org", "--users", users.toString(),
                "--aliases", aliases.toString(), "--mail-root", mail.toString(),
                "--mailbox-quota", "200000", "--vrfy", "local", "--expn", "lists",
                "--transport-map", "remote.example=[127.0.0.1]:" + remote.address().getPort(),
                "--retry-delays", "1s", "--log-level", "dev.mta.mail=info"));
        MtaProcess.awaitListening(port);
        smtp = new InetSocketAddress("127.0.0.1", port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mta != null) {
            mta.destroy();
            if (!mta.waitFor(20, TimeUnit.SECONDS)) {
                mta.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (remote != null) {
            remote.close();
        }
    }

    private static void send(String from, List<String> to, String message) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.greeted(smtp)) {
            c.command("MAIL FROM:<" + from + ">").assertCode(250);
            for (String r : to) {
                c.command("RCPT TO:<" + r + ">").assertCode(250);
            }
            c.command("DATA").assertCode(354);
            c.send(message + ".\r\n");
            c.expect(250);
            c.command("QUIT");
        }
    }

    /** The messages in {@code user}'s Maildir/new holding {@code marker}. */
    private static List<String> messages(String user, String marker) {
        Path n = mail.resolve(user).resolve("Maildir").resolve("new");
        if (!Files.isDirectory(n)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(n)) {
            return s.map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(t -> t.contains(marker)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String awaitOne(String user, String marker) throws InterruptedException {
        Await.until(() -> messages(user, marker).size() == 1, user + " gets " + marker);
        return messages(user, marker).get(0);
    }

    private static boolean logHas(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void anUnknownLocalUserIsRefusedAtRcpt() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(smtp)) {
            c.command("MAIL FROM:<someone@elsewhere.example>").assertCode(250);
            c.command("RCPT TO:<nobody@example.net>").assertReply(550, "5.1.1");
            c.command("RCPT TO:<NOBODY@Example.ORG>").assertReply(550, "5.1.1");
            c.command("RCPT TO:<Alice@EXAMPLE.net>").assertCode(250);
            c.command("RCPT TO:<Postmaster>").assertCode(250);
            c.command("RCPT TO:<postmaster@example.org>").assertCode(250);
            c.command("RCPT TO:<team@example.net>").assertCode(250);
            c.command("RSET").assertCode(250);
        }
    }

    @Test
    void aUsersMailLandsInTheirMaildirWithReturnPathAndDeliveredTo() throws Exception {
        send("sender@elsewhere.example", List.of("Alice@example.org"),
                "Subject: to-alice\r\n\r\n..a stuffed dot\r\nline two\r\n");
        String m = awaitOne("alice", "to-alice");
        assertTrue(m.startsWith("Return-Path: <sender@elsewhere.example>\nDelivered-To: Alice@example.org\nReceived: "), m);
        assertTrue(m.endsWith("\nSubject: to-alice\n\n.a stuffed dot\nline two\n"), m);
        assertTrue(m.indexOf('\r') < 0, "Maildir files have LF line ends");
        Await.until(() -> logHas("to=<Alice@example.org>, relay=local, "), "the mail log's line");
        assertTrue(Files.readString(log).lines().anyMatch(l -> l.contains("to=<Alice@example.org>, relay=local, ")
                && l.contains("dsn=2.0.0, status=sent (2.0.0 delivered to maildir of alice (")), Files.readString(log));
    }

    @Test
    void anAliasFansOutEachTargetItsOwnRecipientAndPostmasterReachesAUser() throws Exception {
        send("sender@elsewhere.example", List.of("team@example.net", "postmaster@example.net"),
                "Subject: to-team\r\n\r\nhello team\r\n");
        Await.until(() -> messages("alice", "to-team").size() == 2, "alice's copy and postmaster's");
        String forAlice = messages("alice", "to-team").stream().filter(m -> m.contains("Delivered-To: team@"))
                .findFirst().orElseThrow();
        awaitOne("bob", "to-team");
        assertTrue(forAlice.contains("Delivered-To: alice@example.net\n"), forAlice);
        assertTrue(forAlice.contains("Delivered-To: team@example.net\n"), forAlice);
        // The list's owner is the sender of the expansion: its bounces go to owner-team.
        assertTrue(forAlice.startsWith("Return-Path: <owner-team@example.net>"), forAlice);
        Await.until(() -> remote.received.stream().anyMatch(r -> r.text().contains("to-team")), "carol gets it");
        ScriptedSmtpServer.Received carol = remote.received.stream().filter(r -> r.text().contains("to-team"))
                .findFirst().orElseThrow();
        assertEquals("owner-team@example.net", carol.mailFrom());
        assertEquals(List.of("carol@remote.example"), carol.rcptTo());
        // postmaster is an alias of alice: the second copy came to her through it.
        assertTrue(messages("alice", "to-team").stream().anyMatch(m -> m.contains("Delivered-To: postmaster@example.net\n")));
    }

    @Test
    void vrfyAndExpnAnswerForTheLocalDomains() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(smtp)) {
            assertEquals(List.of("2.1.5 <alice@example.net>"), c.command("VRFY alice").assertReply(250, "2.1.5").lines());
            c.command("VRFY <bob@example.org>").assertReply(250, "2.1.5");
            c.command("VRFY nobody@example.net").assertReply(550, "5.1.1");
            c.command("VRFY someone@elsewhere.example").assertCode(252);
            assertEquals(List.of("2.1.5 <alice@example.net>", "2.1.5 <bob@example.net>", "2.1.5 <carol@remote.example>"),
                    c.command("EXPN team").assertReply(250, "2.1.5").lines());
            c.command("EXPN nosuchlist").assertReply(550, "5.1.1");
        }
    }

    @Test
    void overQuotaIsDeferredNotLostAndTooBigForTheQuotaFails() throws Exception {
        String line = "x".repeat(998) + "\r\n";
        send("sender@elsewhere.example", List.of("bob@example.net"), "Subject: fits\r\n\r\n" + line.repeat(120));
        Await.until(() -> messages("bob", "fits").size() == 1, "the first fills bob's mailbox past half");
        send("sender@elsewhere.example", List.of("bob@example.net"), "Subject: too-much\r\n\r\n" + line.repeat(120));
        Await.until(() -> logHas("to=<bob@example.net>, relay=local, ") && logHas("dsn=4.2.2, status=deferred"),
                "a deferral with 4.2.2 in the mail log");
        assertEquals(List.of(), messages("bob", "too-much"));
        send("sender@elsewhere.example", List.of("bob@example.net"), "Subject: never-fits\r\n\r\n" + line.repeat(250));
        Await.until(() -> logHas("dsn=5.2.2, status=bounced"), "a message larger than the quota fails at once");
        assertEquals(List.of(), messages("bob", "never-fits"));
    }

    @Test
    void aRemoteFailureBouncesIntoTheLocalSendersMaildir() throws Exception {
        send("alice@example.net", List.of("gone@remote.example"), "Subject: will-bounce\r\n\r\nbye\r\n");
        String dsn = awaitOne("alice", "Undelivered Mail Returned to Sender");
        assertTrue(dsn.startsWith("Return-Path: <>\n"), dsn);
        assertTrue(dsn.contains("gone@remote.example"), dsn);
    }
}
