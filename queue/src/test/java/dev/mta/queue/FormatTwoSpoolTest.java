package dev.mta.queue;

import dev.mta.queue.model.QueueEntry;

import dev.mta.protocol.command.BodyType;
import dev.mta.queue.log.NewerFormatException;
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
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A spool written by the build before the typed records (test resource spool-v2, segment format 2: six messages
 * over two segments; r0 and a2 delivered, b2 deferred with "451 4.3.0 try later", r1, r3 and r4 deferred with
 * "421 4.4.2 not now", r3's body written ahead as chunks, r5 deleted) is read and drained after the upgrade, and
 * new records go to format-4 segments only. A segment of a format newer than this build refuses the whole spool.
 */
class FormatTwoSpoolTest {
    @TempDir
    Path dir;

    private void copyFixture() throws Exception {
        for (String name : List.of("0000000000000001.seg", "0000000000000002.seg")) {
            try (InputStream in = getClass().getResourceAsStream("/spool-v2/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static int version(Path seg) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(seg), 8, 4).getInt();
    }

    @Test
    void aFormatTwoSpoolIsReadAndDrained() throws Exception {
        copyFixture();
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            Map<String, QueueEntry> byRcpt = new TreeMap<>();
            for (QueueEntry e : q.list()) {
                e.recipients().forEach(r -> byRcpt.put(r.address(), e));
            }
            assertEquals(List.of("b2@two.example", "r1@one.example", "r3@one.example", "r4@one.example"),
                    new ArrayList<>(byRcpt.keySet()));
            QueueEntry two = byRcpt.get("b2@two.example");
            assertEquals(1, two.recipients().get(0).attempts());
            assertEquals("451 4.3.0 try later", two.recipients().get(0).lastError());
            // Typed again on the way in: an expiry after the upgrade reports 4.3.0 and the reply, not "unknown".
            assertEquals(451, two.recipients().get(0).lastOutcome().replyCode());
            assertEquals("4.3.0", two.recipients().get(0).lastOutcome().status().toString());
            assertEquals("s2@src.example", two.sender().address());
            assertEquals(List.of("a2@one.example", "b2@two.example"),
                    Envelopes.addresses(q.envelope(two.id()).orElseThrow().recipients()));
            QueueEntry one = byRcpt.get("r1@one.example");
            assertEquals(BodyType.EIGHT_BIT_MIME, one.parameters().body());
            assertEquals("BODY=8BITMIME", one.mailParameters());
            assertEquals("421 4.4.2 not now", one.recipients().get(0).lastError());

            String chunked = new String(q.body(byRcpt.get("r3@one.example").id()).orElseThrow().readAll(),
                    StandardCharsets.US_ASCII);
            assertTrue(chunked.startsWith("Subject: fixture 3\r\n\r\nline of message 3 at "), chunked);
            assertTrue(chunked.length() >= 4900, "the whole body, chunks included: " + chunked.length());
            assertEquals("client4.example", q.envelope(byRcpt.get("r4@one.example").id()).orElseThrow().heloName());

            q.flush();
            DeliveryJob job;
            int jobs = 0;
            while ((job = q.poll(System.currentTimeMillis())) != null) {
                jobs++;
                q.report(job, java.util.Collections.nCopies(job.recipients().size(), Outcome.delivered("250 ok"))).get();
            }
            assertEquals(4, jobs);
            assertEquals(0, q.size());
            IncomingMessage m = q.receive(Envelopes.of("", "", List.of("x@y.example"), "192.0.2.9", "h", "ESMTP"));
            m.write(io.netty.buffer.Unpooled.wrappedBuffer("new\r\n".getBytes(StandardCharsets.US_ASCII)));
            m.commit().get();
        }
        List<Path> left = SegmentFiles.segments(dir);
        assertFalse(left.isEmpty());
        for (Path seg : left) {
            assertEquals(4, version(seg), seg + " is format 4: older formats are never written");
        }
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(dir))) {
            assertEquals(1, q.size());
            assertNull(q.list().get(0).recipients().get(0).lastOutcome());
        }
    }

    @Test
    void aSegmentOfANewerFormatRefusesTheSpoolAndTouchesNothing() throws Exception {
        copyFixture();
        Path seg = dir.resolve("0000000000000002.seg");
        byte[] bytes = Files.readAllBytes(seg);
        for (int at : new int[]{0, 4096}) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.putInt(at + 8, 5);
            CRC32C crc = new CRC32C();
            crc.update(bytes, at, 8 + 4 + 8 + 16);
            b.putInt(at + 8 + 4 + 8 + 16, (int) crc.getValue());
        }
        Files.write(seg, bytes);
        byte[] first = Files.readAllBytes(dir.resolve("0000000000000001.seg"));

        NewerFormatException e = assertThrows(NewerFormatException.class,
                () -> DurableQueue.open(QueueConfig.defaults(dir)));
        assertTrue(e.getMessage().contains("0000000000000002.seg is in queue format 5"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(seg));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("0000000000000001.seg")));
        assertEquals(List.of("0000000000000001.seg", "0000000000000002.seg"),
                SegmentFiles.segments(dir).stream().map(p -> p.getFileName().toString()).sorted().toList());
        assertFalse(Files.exists(dir.resolve("corrupt")));
    }
}
