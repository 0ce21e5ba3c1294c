package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.queue.model.Outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spool written by the build before segment format 2 (test resource spool-v1: six messages over three 4 KB
 * segments; r0 delivered, r5 removed, b2 deferred after a2 was delivered, r3's body written ahead as chunks) is
 * read and drained, and new records go to segments of the format written now only.
 */
class FormatOneSpoolTest {
    @TempDir
    Path dir;

    private void copyFixture() throws Exception {
        for (String name : List.of("0000000000000001.seg", "0000000000000002.seg", "0000000000000003.seg")) {
            try (InputStream in = getClass().getResourceAsStream("/spool-v1/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static long magic(Path seg) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(seg), 0, 8).getLong();
    }

    @Test
    void aFormatOneSpoolIsReadAndDrained() throws Exception {
        copyFixture();
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            Map<String, QueueEntry> byRcpt = new TreeMap<>();
            for (QueueEntry e : q.list()) {
                e.recipients().forEach(r -> byRcpt.put(r.address(), e));
            }
            assertEquals(List.of("b2@two.example", "r1@one.example", "r3@one.example", "r4@one.example"),
                    new ArrayList<>(byRcpt.keySet()));
            QueueEntry two = byRcpt.get("b2@two.example");
            assertEquals(1, two.recipients().size());
            assertEquals(1, two.recipients().get(0).attempts());
            assertEquals("451 4.3.0 try later", two.recipients().get(0).lastError());
            assertEquals(List.of("a2@one.example", "b2@two.example"), Envelopes.addresses(q.envelope(two.id()).orElseThrow().recipients()));
            assertEquals("BODY=8BITMIME", byRcpt.get("r1@one.example").mailParameters());

            String chunked = new String(q.body(byRcpt.get("r3@one.example").id()).orElseThrow().readAll(),
                    StandardCharsets.US_ASCII);
            assertEquals(5004, chunked.length());
            assertTrue(chunked.startsWith("Subject: fixture 3\r\n\r\nline of message 3 at "));
            assertTrue(chunked.endsWith("\r\n"));
            assertEquals("client4.example", q.envelope(byRcpt.get("r4@one.example").id()).orElseThrow().heloName());

            // Drain: deliver everything; the old segments go once nothing pins them.
            q.flush(); // their back-off may or may not have passed since the fixture was made
            DeliveryJob job;
            while ((job = q.poll(System.currentTimeMillis())) != null) {
                q.report(job, java.util.Collections.nCopies(job.recipients().size(), Outcome.delivered("250 ok"))).get();
            }
            assertEquals(0, q.size());
            IncomingMessage m = q.receive(Envelopes.of("", "", List.of("x@y.example"), "192.0.2.9", "h", "ESMTP"));
            m.write(io.netty.buffer.Unpooled.wrappedBuffer("new\r\n".getBytes(StandardCharsets.US_ASCII)));
            m.commit().get();
        }
        List<Path> left = SegmentFiles.segments(dir);
        assertFalse(left.isEmpty());
        for (Path seg : left) {
            assertEquals(0x4D5441512D534547L, magic(seg), seg + " is format 2: format 1 is never written");
        }
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            assertEquals(List.of("x@y.example"), q.list().stream().flatMap(e -> e.recipients().stream())
                    .map(QueueEntry.Recipient::address).collect(Collectors.toList()));
        }
    }
}
