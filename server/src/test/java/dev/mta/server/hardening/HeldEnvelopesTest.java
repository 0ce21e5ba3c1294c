package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients each send MAIL and 1,000 long recipients and then wait, never sending DATA, to a server with a 64 MB heap.
 * A session holds its recipients until its transaction ends, so all sessions together are bounded: past the bound
 * a further recipient gets 452 4.3.1, the server stays up, an ordinary message from someone else still goes through
 * (the bound is shared fairly), and once the waiting clients go their share comes back.
 * (Before: the heap ran out after 89 such sessions and the process died.)
 */
class HeldEnvelopesTest {
    private static final int CLIENTS = 300;
    private static final String DOMAIN = "dddddddd.".repeat(19) + "example";

    @TempDir
    Path dir;

    @Test
    void recipientsHeldBySessionsAreBounded() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = MtaProcess.start(port, dir.resolve("spool"), log, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--no-relay"));
        List<Socket> holders = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        try {
            MtaProcess.awaitListening(port);
            for (int c = 0; c < CLIENTS && mta.isAlive(); c++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(30_000);
                holders.add(s);
                StringBuilder batch = new StringBuilder("EHLO h" + c + ".test\r\nMAIL FROM:<a@example.com>\r\n");
                for (int i = 0; i < 1000; i++) {
                    batch.append("RCPT TO:<").append(String.format("c%04dr%04d", c, i)).append("u".repeat(54))
                            .append('@').append(DOMAIN).append(">\r\n");
                }
                s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                in.readLine(); // 220
                String line;
                while ((line = in.readLine()).startsWith("250-")) {
                    // EHLO
                }
                assertTrue(in.readLine().startsWith("250 "), "MAIL");
                for (int i = 0; i < 1000; i++) {
                    String r = in.readLine();
                    if (r.startsWith("250 ")) {
                        accepted++;
                    } else {
                        assertTrue(r.startsWith("452 4.3.1 "), r);
                        refused++;
                    }
                }
            }
            assertTrue(mta.isAlive(), "the server is alive after " + accepted + " held recipients");
            assertTrue(refused > 0, "the bound was reached: " + accepted + " held");
            // Shared fairly: with the pool taken, an ordinary message still goes through.
            try (SmtpTestClient fresh = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
                fresh.command("MAIL FROM:<x@example.com>").assertCode(250);
                for (int i = 0; i < 20; i++) {
                    fresh.command("RCPT TO:<someone" + i + "@example.net>").assertReply(250, "2.1.5");
                }
                fresh.command("DATA").assertCode(354);
                fresh.send("Subject: ordinary\r\n\r\nx\r\n.\r\n");
                TestMta.queueId(fresh.read());
            }
            for (Socket s : holders) {
                s.close();
            }
            holders.clear();
            Thread.sleep(500); // the server sees the closes and gives their share back
            try (SmtpTestClient fresh = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
                fresh.command("MAIL FROM:<x@example.com>").assertCode(250);
                for (int i = 0; i < 1000; i++) {
                    fresh.command("RCPT TO:<" + String.format("f%04d", i) + "u".repeat(59) + "@" + DOMAIN + ">")
                            .assertReply(250, "2.1.5");
                }
                fresh.command("DATA").assertCode(354);
                fresh.send("Subject: x\r\n\r\nx\r\n.\r\n");
                TestMta.queueId(fresh.read());
            }
            System.out.printf("held envelopes: %d recipients held, %d refused with 452 4.3.1%n", accepted, refused);
        } finally {
            for (Socket s : holders) {
                s.close();
            }
            mta.destroy();
            mta.waitFor(20, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }
}
