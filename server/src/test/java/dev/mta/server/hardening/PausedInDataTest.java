package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
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
 * 900 clients each send 120 KiB of content, just under the point where a message writes ahead, and then wait, to a
 * server with a 64 MB heap. Content waiting in memory is bounded for all sessions together (past it, messages write
 * ahead sooner) and is copied off the read buffers, so neither heap nor direct memory runs out, and a new client is
 * still greeted and queues a message. (Before: 108 MB of content held in read buffers, direct memory exhausted, the
 * event loops stalled in allocation, new clients got no greeting.)
 */
class PausedInDataTest {
    private static final int CLIENTS = 900;
    private static final int CONTENT = 120 << 10;

    @TempDir
    Path dir;

    @Test
    void manySessionsWaitingInDataDoNotExhaustMemory() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = MtaProcess.start(port, dir.resolve("spool"), log, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--no-relay", "--max-connections", String.valueOf(CLIENTS + 100)));
        List<Socket> waiting = new ArrayList<>();
        try {
            MtaProcess.awaitListening(port);
            byte[] content = content();
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(30_000);
                waiting.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("EHLO c" + i + ".test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
            }
            // Each client has sent its 120 KiB and waits; the server holds them all.
            try (SmtpTestClient fresh = SmtpTestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                fresh.setReadTimeout(10_000);
                fresh.expect(220);
                fresh.command("EHLO fresh.test").assertCode(250);
                fresh.command("MAIL FROM:<x@example.com>").assertCode(250);
                fresh.command("RCPT TO:<y@example.net>").assertCode(250);
                fresh.command("DATA").assertCode(354);
                fresh.send("Subject: fresh\r\n\r\nhello\r\n.\r\n");
                TestMta.queueId(fresh.read());
            }
            // And the waiting ones can finish: their content is all there.
            for (Socket s : waiting.subList(0, 20)) {
                s.getOutputStream().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            for (Socket s : waiting.subList(0, 20)) {
                String replies = readUntil(s, " queued as ");
                assertTrue(replies.contains("250 2.0.0 Ok: queued as "), replies);
            }
            assertTrue(mta.isAlive());
        } catch (IOException | AssertionError e) {
            throw new AssertionError(e + "\nalive=" + mta.isAlive() + " log:\n" + Files.readString(log), e);
        } finally {
            for (Socket s : waiting) {
                s.close();
            }
            mta.destroy();
            mta.waitFor(20, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertFalse(out.contains("OutOfMemoryError"), out);
        assertFalse(out.contains("direct buffer memory"), out);
    }

    private static byte[] content() {
        StringBuilder sb = new StringBuilder("Subject: waiting\r\n\r\n");
        while (sb.length() < CONTENT) {
            sb.append("a line of content, eighty characters long or so, to fill the message up to 120 KiB\r\n");
        }
        return sb.substring(0, CONTENT - 2).concat("\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String readUntil(Socket s, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!sb.toString().contains(marker)) {
            int n = s.getInputStream().read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }
}
