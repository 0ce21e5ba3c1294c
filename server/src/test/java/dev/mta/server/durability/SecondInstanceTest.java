package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two MTAs on one spool: the second refuses to start, touching nothing, and the first loses nothing. */
class SecondInstanceTest {
    @TempDir
    Path dir;

    private static List<String> send(int port, int count, String tag) throws Exception {
        List<String> ids = new ArrayList<>();
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            for (int i = 0; i < count; i++) {
                c.command("MAIL FROM:<a@example.com>").assertCode(250);
                c.command("RCPT TO:<" + tag + i + "@example.net>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: " + tag + i + "\r\n\r\nhello\r\n.\r\n");
                ids.add(TestMta.queueId(c.read()));
            }
        }
        return ids;
    }

    @Test
    void aSecondInstanceOnALockedSpoolRefusesToStart() throws Exception {
        Path spool = dir.resolve("spool");
        int port = MtaProcess.freePort();
        Process first = MtaProcess.start(port, spool, dir.resolve("first.log"), List.of("--no-relay"));
        List<String> ids = new ArrayList<>();
        try {
            MtaProcess.awaitListening(port);
            ids.addAll(send(port, 3, "before"));

            int port2 = MtaProcess.freePort();
            Process second = MtaProcess.start(port2, spool, dir.resolve("second.log"), List.of("--no-relay"));
            assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the second instance exits by itself");
            assertNotEquals(0, second.exitValue());
            String out = Files.readString(dir.resolve("second.log"));
            assertTrue(out.contains("mta: spool " + spool + " is in use by another process"), out);
            assertTrue(!out.contains("\tat "), "one line, no stack trace: " + out);

            ids.addAll(send(port, 3, "after"));
        } finally {
            first.destroy(); // SIGTERM: a clean stop
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        }
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(spool))) {
            assertEquals(6, q.size());
            for (String id : ids) {
                assertTrue(q.find(id).isPresent(), id + " lost");
            }
        }
    }
}
