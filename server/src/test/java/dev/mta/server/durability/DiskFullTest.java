package dev.mta.server.durability;

import dev.mta.testkit.LeakGuard;
import dev.mta.server.support.SmallTmpfs;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue on a small tmpfs this test mounts, filled until the disk is really full: the client gets 452 4.3.1,
 * the server keeps running, what was queued stays whole, and queuing resumes when space comes back.
 */
@ExtendWith(LeakGuard.class)
class DiskFullTest {
    private static final int FS_BYTES = 8 << 20;

    @TempDir
    Path dir;
    private SmallTmpfs fs;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        fs = SmallTmpfs.mount(dir, FS_BYTES);
        mount = fs.path();
    }

    @AfterEach
    void unmount() throws Exception {
        fs.close();
    }

    private static String send(SmtpTestClient c, String rcpt, byte[] body, Map<String, byte[]> acked) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertCode(250);
        c.command("RCPT TO:<" + rcpt + ">").assertCode(250);
        c.command("DATA").assertCode(354);
        c.send(body);
        c.send(".\r\n");
        Reply r = c.read();
        if (r.code() == 250) {
            acked.put(TestMta.queueId(r), body);
        }
        return r.code() + " " + r.status();
    }

    private static byte[] body(int n, int size) {
        StringBuilder sb = new StringBuilder("Subject: " + n + "\r\n\r\n");
        while (sb.length() < size) {
            sb.append("message ").append(n).append(" filler line ").append(sb.length()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void fullDiskGets452AndQueuingResumesWhenSpaceReturns() throws Exception {
        Path spool = mount.resolve("spool");
        Path filler = mount.resolve("filler");
        Map<String, byte[]> acked = new LinkedHashMap<>();
        try (TestMta mta = TestMta.start(spool, c -> c.withQueueSegmentSize(1 << 20));
             SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
            // Leave about 1.5 MB free, then fill it with 100 KB messages.
            long usable = Files.getFileStore(mount).getUsableSpace();
            try (OutputStream out = Files.newOutputStream(filler)) {
                out.write(new byte[(int) (usable - (3 << 19))]);
            }
            String refused = null;
            for (int n = 0; n < 100 && refused == null; n++) {
                String outcome = send(c, "r" + n + "@example.com", body(n, 100_000), acked);
                if (!outcome.startsWith("250")) {
                    refused = outcome;
                }
            }
            assertTrue(refused != null, "the disk never filled up");
            assertEquals("452 4.3.1", refused, "a full disk is a temporary failure");
            assertTrue(acked.size() >= 3, "some messages fitted first: " + acked.size());

            // The server still works, and what was queued is whole.
            c.command("NOOP").assertCode(250);
            try (SmtpTestClient other = SmtpTestClient.greeted(mta.address())) {
                other.command("NOOP").assertCode(250);
            }
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                assertArrayEquals(e.getValue(), TestMta.withoutReceived(mta.queued(e.getKey()).body()));
            }

            // Space comes back: queuing resumes on the same connection.
            Files.delete(filler);
            assertEquals("250 2.0.0", send(c, "after@example.com", body(1000, 100_000), acked));

            mta.restart();
            assertEquals(acked.size(), mta.queuedCount());
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                assertArrayEquals(e.getValue(), TestMta.withoutReceived(mta.queued(e.getKey()).body()));
            }
        }
    }
}
