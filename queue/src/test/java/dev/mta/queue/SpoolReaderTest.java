package dev.mta.queue;

import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.QueueEntry;
import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue tool's read of a stopped server's spool: it shows what the server's recovery would find, and changes
 * nothing on disk, not even for damage the server would repair (a torn tail, a damaged segment).
 */
class SpoolReaderTest {
    @TempDir
    Path dir;

    private static String enqueue(DurableQueue q, String marker, String... rcpts) throws Exception {
        IncomingMessage m = q.receive(Envelopes.of("sender@example.com", "BODY=8BITMIME", List.of(rcpts), "192.0.2.1",
                "client.test", "ESMTP"));
        StringBuilder body = new StringBuilder("Subject: " + marker + "\r\n\r\n" + marker + "\r\n");
        while (body.length() < 2000) {
            body.append("filler line ").append(body.length()).append("\r\n");
        }
        m.write(Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.US_ASCII)));
        return m.commit().get(10, TimeUnit.SECONDS);
    }

    /** Every file under {@code root} with its bytes: what "changes nothing" is checked against. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                all.put(root.relativize(p).toString() + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return all;
    }

    private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet(), "no file created or removed");
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name + " unchanged");
        }
    }

    private static List<String> summary(List<QueueEntry> entries) {
        List<String> out = new ArrayList<>();
        for (QueueEntry e : entries) {
            out.add(e.id() + " held=" + e.held() + " " + e.recipients().stream()
                    .map(r -> r.address() + "/" + r.attempts() + "/" + r.lastError()).collect(Collectors.toList()));
        }
        return out;
    }

    @Test
    void showsWhatTheServerWouldFindAndWritesNothingEvenOverDamage() throws Exception {
        Path spool = dir.resolve("spool");
        QueueConfig config = new QueueConfig(spool, 64 * 1024, QueueConfig.DEFAULT_INLINE_LIMIT, RetrySchedule.DEFAULT);
        List<String> ids = new ArrayList<>();
        try (DurableQueue q = DurableQueue.open(config)) {
            for (int i = 0; i < 80; i++) {
                ids.add(enqueue(q, String.format("MARKER-%03d", i), "a" + i + "@one.example", "b" + i + "@two.example"));
            }
            DeliveryJob job = q.poll(System.currentTimeMillis());
            q.report(job, List.of(Outcome.deferred("451 4.3.0 try later"))).get();
            assertTrue(q.admin().hold(ids.get(1)).get(10, TimeUnit.SECONDS));
            assertTrue(q.admin().delete(ids.get(2)).get(10, TimeUnit.SECONDS));
        }
        assertTrue(SegmentFiles.segments(spool).size() >= 2, "several segments");
        // Damage the server would repair: a byte of an early message's body, and a torn tail on the last segment.
        SegmentFiles.Record damaged = SegmentFiles.containing(spool, "MARKER-010");
        SegmentFiles.flip(damaged.segment(), SegmentFiles.offsetOf(damaged.segment(), "MARKER-010") + 2);
        List<Path> segments = SegmentFiles.segments(spool);
        Files.write(segments.get(segments.size() - 1), new byte[]{0x4D, 0x54, 0x41, 0x51, 1, 2, 3},
                StandardOpenOption.APPEND);
        Map<String, byte[]> before = files(dir);

        List<QueueEntry> read;
        QueueAdmin.MessageDetails shown;
        try (SpoolReader reader = SpoolReader.open(spool)) {
            read = reader.list();
            shown = reader.show(ids.get(0)).orElseThrow();
            assertTrue(reader.recovery().foundDamage(), "the damage is reported");
            assertTrue(reader.recovery().tornTailBytes() > 0, "the torn tail is seen");
            assertEquals(0, reader.recovery().setAside(), "nothing set aside");
            assertTrue(reader.find(ids.get(2)).isEmpty(), "deleted");
            assertTrue(reader.find(ids.get(1)).orElseThrow().held(), "held");
            assertTrue(reader.find(ids.get(10)).isEmpty(), "its record is damaged: lost, as the server would find");
            assertTrue(reader.show("not an id").isEmpty());
        }
        assertSameFiles(before, files(dir));
        assertFalse(Files.exists(spool.resolve("corrupt")));

        assertEquals(List.of("a0@one.example", "b0@two.example"),
                Envelopes.addresses(shown.envelope().recipients()));
        assertEquals(1, shown.entry().recipients().stream().filter(r -> r.attempts() == 1).count(),
                "one recipient tried once");
        assertTrue(summary(read).get(0).contains("/1/451 4.3.0 try later"), summary(read).get(0));

        // The server, opening the same spool, finds the same queue (and repairs what the reader left alone).
        try (DurableQueue q = DurableQueue.open(config)) {
            assertEquals(summary(q.list()), summary(read));
            assertTrue(Files.exists(spool.resolve("corrupt")), "the server sets the damaged segment aside");
        }
    }

    @Test
    void aMissingSpoolIsNotCreated() {
        Path missing = dir.resolve("nothing-here");
        assertThrows(NoSuchFileException.class, () -> SpoolReader.open(missing));
        assertFalse(Files.exists(missing));
    }
}
