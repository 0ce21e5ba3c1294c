package dev.mta.server.pop3;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole MTA as an operator starts it ({@code mta --users ... --pop3-listen ... --pop3s-listen ...}): POP3 is
 * wired in, {@code openssl s_client -starttls pop3} logs in under TLS, and the log says who logged in and out.
 */
class Pop3MtaProcessTest {
    @TempDir
    Path dir;
    private Process mta;

    @AfterEach
    void stop() throws Exception {
        if (mta != null) {
            mta.destroy();
            mta.waitFor();
        }
    }

    private static void awaitGreeting(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Pop3Client c = Pop3Client.greeted(new InetSocketAddress("127.0.0.1", port))) {
                c.cmd("QUIT");
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no POP3 greeting on " + port);
    }

    @Test
    void openSslLogsInOverStlsAndTheLogTellsIt() throws Exception {
        String openssl = Peers.require("openssl");
        Path users = Files.writeString(dir.resolve("users"), "alice:" + Pop3Fixture.HASH + "\n");
        Path mailRoot = dir.resolve("mail");
        Files.createDirectories(mailRoot.resolve("alice/Maildir/new"));
        Files.writeString(mailRoot.resolve("alice/Maildir/new/1700000000.M1P1Q1.test,S=14,W=17"), "Subject: x\n\nx\n");
        int smtp = MtaProcess.freePort();
        int pop = MtaProcess.freePort();
        int pops = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        // The production logging configuration: its INFO lines are what operators grep.
        mta = MtaProcess.start(smtp, dir.resolve("spool"), log, List.of("-Xmx256m",
                "-Dlogback.configurationFile=logback.xml"), List.of("--users", users.toString(),
                "--mail-root", mailRoot.toString(), "--pop3-listen", "127.0.0.1:" + pop,
                "--pop3s-listen", "127.0.0.1:" + pops, "--no-relay"));
        awaitGreeting(pop);
        ProcessRunner.Result r = ProcessRunner.run(List.of(openssl, "s_client", "-starttls", "pop3", "-connect",
                "127.0.0.1:" + pop, "-quiet", "-ign_eof", "-crlf"),
                "USER alice\nPASS " + Pop3Fixture.PASSWORD + "\nSTAT\nRETR 1\nQUIT\n", 60);
        assertTrue(r.output().contains("+OK Logged in, 1 messages (17 octets)"), r.output());
        assertTrue(r.output().contains("+OK 1 17"), r.output());
        assertTrue(r.output().contains("+OK Bye"), r.output());
        try (Pop3Client c = Pop3Client.greetedTls(new InetSocketAddress("127.0.0.1", pops))) {
            assertTrue(c.login("alice").startsWith("+OK"));
            assertTrue(c.cmd("QUIT").startsWith("+OK"));
        }
        mta.destroy(); // the log's last lines are out once it has stopped
        assertEquals(0, mta.waitFor());
        String text = Files.readString(log);
        assertTrue(text.contains("POP3 listening on 127.0.0.1:" + pop + " (STLS offered)"), text);
        assertTrue(text.contains("pop3 login user=alice client=127.0.0.1 tls=yes messages=1 octets=17"), text);
        assertTrue(text.contains("pop3 logout user=alice client=127.0.0.1 retr=1/17 del=0 (quit)"), text);
    }
}
