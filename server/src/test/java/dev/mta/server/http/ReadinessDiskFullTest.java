package dev.mta.server.http;

import dev.mta.server.Mta;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmallTmpfs;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness on a small tmpfs this test mounts and fills for real: 503 while the disk is full (the spool probe finds
 * it before any mail does), mail meanwhile gets 452 and is counted, and 200 again once space returns, with no mail
 * needed to find that out. Needs root for the mount, as {@code DiskFullTest}.
 */
@ExtendWith(LeakGuard.class)
class ReadinessDiskFullTest {
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

    /** Writes {@code file} until the file system has no room left. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < (FS_BYTES / chunk.length) * 2; i++) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(full.getMessage().contains("No space left"), full.toString());
            return;
        }
        throw new AssertionError("the tmpfs never filled up");
    }

    private static HttpResponse<String> ready(InetSocketAddress at) {
        try {
            return MetricsHttp.get(at, "/health/ready");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static int send(SmtpTestClient c) throws IOException {
        c.command("MAIL FROM:<a@example.com>").assertCode(250);
        c.command("RCPT TO:<b@example.org>").assertCode(250);
        c.command("DATA").assertCode(354);
        c.send("Subject: big\r\n\r\n" + ("filler line of a message that needs room\r\n").repeat(2500) + ".\r\n");
        return c.read().code();
    }

    @Test
    void notReadyWhileTheDiskIsFullAndReadyAgainWhenSpaceReturns() throws Exception {
        Path filler = mount.resolve("filler");
        try (Mta mta = MetricsEndpointTest.start(mount.resolve("spool"), c -> c.withQueueSegmentSize(1 << 20),
                Duration.ofMillis(200))) {
            InetSocketAddress at = mta.metricsAddress();
            assertEquals(200, ready(at).statusCode(), ready(at).body());

            fill(filler);
            Await.until(() -> ready(at).statusCode() == 503, "readiness 503 on a full disk");
            assertTrue(ready(at).body().startsWith("disk full: "), ready(at).body());
            assertEquals(200, MetricsHttp.get(at, "/health/live").statusCode(), "still live");

            try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
                assertEquals(452, send(c), "mail meets the full disk");
                Exposition e = MetricsHttp.scrape(at);
                assertTrue(e.value("mta_queue_write_failures_total", "reason", "disk_full") >= 1, e.text());
                assertEquals(0.0, e.value("mta_queue_write_failures_total", "reason", "error"));
                assertEquals(1.0, e.value("mta_smtp_messages_rejected_total", "reason", "storage_full"));
                assertEquals(0.0, e.value("mta_ready"));

                // Space comes back: ready again by the probe alone, before any mail is tried.
                Files.delete(filler);
                Await.until(() -> ready(at).statusCode() == 200, "readiness 200 once space returns");
                assertEquals("ready\n", ready(at).body());
                assertEquals(250, send(c), "and mail is queued again");
                assertEquals(1.0, MetricsHttp.scrape(at).value("mta_queue_messages", "state", "active"));
            }
        }
    }
}
