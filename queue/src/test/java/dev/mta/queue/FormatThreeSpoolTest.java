package dev.mta.queue;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.QueueEntry;
import dev.mta.testkit.LeakGuard;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spool written by the build before header prefixes (test resource spool-v3, segment format 3: one segment; r1's
 * message inline, r2's written ahead as chunks, both deferred once with "451 4.3.0 try later") is read and drained
 * after the upgrade, and new records, a prefixed message among them, go to format-4 segments only.
 */
@ExtendWith(LeakGuard.class)
class FormatThreeSpoolTest {
    @TempDir
    Path dir;

    private static int version(Path seg) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(seg), 8, 4).getInt();
    }

    @Test
    void aFormatThreeSpoolIsReadAndDrained() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/spool-v3/0000000000000001.seg")) {
            Files.copy(in, dir.resolve("0000000000000001.seg"));
        }
        assertEquals(3, version(dir.resolve("0000000000000001.seg")));
        String prefixed;
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            Map<String, QueueEntry> byRcpt = new TreeMap<>();
            for (QueueEntry e : q.list()) {
                e.recipients().forEach(r -> byRcpt.put(r.address(), e));
            }
            assertEquals(List.of("r1@one.example", "r2@two.example"), List.copyOf(byRcpt.keySet()));
            QueueEntry one = byRcpt.get("r1@one.example");
            assertEquals("451 4.3.0 try later", one.recipients().get(0).lastError());
            assertEquals(451, one.recipients().get(0).lastOutcome().replyCode());
            assertEquals("Subject: fixture 1\r\n\r\ninline body 1\r\n",
                    new String(q.body(one.id()).orElseThrow().readAll(), StandardCharsets.US_ASCII));
            assertEquals("client1.example", q.envelope(one.id()).orElseThrow().heloName());
            QueueEntry two = byRcpt.get("r2@two.example");
            String chunked = new String(q.body(two.id()).orElseThrow().readAll(), StandardCharsets.US_ASCII);
            assertTrue(chunked.startsWith("Subject: fixture 2\r\n\r\nline of message 2 at 0 "), chunked);
            assertTrue(chunked.endsWith("line of message 2 at 99 padding padding padding\r\n"), chunked);
            assertEquals(chunked.length(), two.bodyLength());

            q.flush();
            DeliveryJob job;
            int jobs = 0;
            while ((job = q.poll(System.currentTimeMillis())) != null) {
                jobs++;
                q.report(job, List.of(Outcome.delivered("250 ok"))).get();
            }
            assertEquals(2, jobs);
            assertEquals(0, q.size());
            IncomingMessage m = q.receive(Envelopes.of("", "", List.of("x@y.example"), "192.0.2.9", "h", "ESMTP"));
            m.write(Unpooled.copiedBuffer("new\r\n", StandardCharsets.US_ASCII));
            prefixed = m.commit(Unpooled.copiedBuffer("X-Prefix: 1\r\n", StandardCharsets.US_ASCII)).get();
        }
        for (Path seg : SegmentFiles.segments(dir)) {
            assertEquals(4, version(seg), seg + " is format 4: older formats are never written");
        }
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            assertEquals(1, q.size());
            assertEquals("X-Prefix: 1\r\nnew\r\n",
                    new String(q.body(prefixed).orElseThrow().readAll(), StandardCharsets.US_ASCII));
        }
    }
}
