package dev.mta.server.local;

import dev.mta.server.support.Await;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.UsersFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * The whole way: a message in over SMTP to a local user, delivered into the Maildir, then fetched over POP3 by
 * Python's poplib, byte for byte what was sent (after POP3's un-stuffing) with the headers delivery added on top.
 */
class SmtpToPop3Test {
    @TempDir
    static Path dir;
    static Process mta;
    static int smtpPort;
    static int pop3Port;

    @BeforeAll
    static void start() throws Exception {
        Path users = UsersFile.write(dir.resolve("users"), Map.of("alice", "alice-pw"));
        Path aliases = Files.writeString(dir.resolve("aliases"), "postmaster: alice\n");
        smtpPort = MtaProcess.freePort();
        pop3Port = MtaProcess.freePort();
        mta = MtaProcess.start(smtpPort, dir.resolve("spool"), dir.resolve("mta.log"), List.of("-Xmx256m"), List.of(
                "--local-domains", "example.net", "--users", users.toString(), "--aliases", aliases.toString(),
                "--mail-root", dir.resolve("mail").toString(), "--pop3-listen", "127.0.0.1:" + pop3Port));
        MtaProcess.awaitListening(smtpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mta != null) {
            mta.destroy();
            if (!mta.waitFor(20, TimeUnit.SECONDS)) {
                mta.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void poplibRetrievesWhatWasSentByteForByte() throws Exception {
        // Lines that POP3 must stuff (a leading dot) and an 8-bit one; the SMTP side is dot-stuffed as sent.
        String content = "From: bob@elsewhere.example\r\nTo: alice@example.net\r\nSubject: over pop3\r\n\r\n"
                + ".a line with a leading dot\r\n..two dots\r\nnot the end: .\r\n\u00e9t\u00e9 8bit\r\nlast\r\n";
        String stuffed = content.replace("\r\n.", "\r\n..");
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", smtpPort))) {
            c.command("MAIL FROM:<bob@elsewhere.example> BODY=8BITMIME").assertCode(250);
            c.command("RCPT TO:<alice@example.net>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send(stuffed.getBytes(StandardCharsets.UTF_8));
            c.send(".\r\n");
            c.expect(250);
        }
        Path inbox = dir.resolve("mail/alice/Maildir/new");
        Await.until(() -> Files.isDirectory(inbox) && count(inbox) == 1, "delivery into alice's Maildir");
        Path script = Files.writeString(dir.resolve("fetch.py"), String.join("\n",
                "import poplib, sys",
                "p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)",
                "p.user('alice')",
                "p.pass_('alice-pw')",
                "count, size = p.stat()",
                "resp, lines, octets = p.retr(1)",
                "print(count, size, octets)",
                "open(sys.argv[2], 'wb').write(b'\\r\\n'.join(lines) + b'\\r\\n')",
                "p.quit()", ""));
        Path fetchedFile = dir.resolve("fetched");
        ProcessRunner.Result r = ProcessRunner.run(List.of("python3", script.toString(), String.valueOf(pop3Port),
                fetchedFile.toString()), 60);
        assertEquals(0, r.exitCode(), r.output());
        String[] stat = r.output().strip().split(" ");
        byte[] fetched = Files.readAllBytes(fetchedFile);
        String text = new String(fetched, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Return-Path: <bob@elsewhere.example>\r\nDelivered-To: alice@example.net\r\nReceived: "), text);
        assertTrue(text.endsWith(content), text);
        assertEquals("1", stat[0]);
        assertEquals(String.valueOf(fetched.length), stat[1], "STAT counts the message with CRLF line ends");
    }

    private static long count(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

}
