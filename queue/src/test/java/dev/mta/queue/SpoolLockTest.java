package dev.mta.queue;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One queue per spool: a second one is refused before it reads or writes anything. */
class SpoolLockTest {
    @TempDir
    Path dir;

    private static Map<String, String> listing(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                FileTime t = Files.getLastModifiedTime(p);
                out.put(p.getFileName().toString(), Files.size(p) + "@" + t.toMillis());
            }
        }
        return out;
    }

    @Test
    void aSecondQueueOnALockedSpoolIsRefusedAndTouchesNothing() throws Exception {
        try (DurableQueue first = DurableQueue.open(QueueConfig.defaults(dir))) {
            IncomingMessage m = first.receive(Envelopes.of("", "", List.of("a@d.example"), "192.0.2.1", "h", "ESMTP"));
            m.write(Unpooled.wrappedBuffer("x\r\n".getBytes(StandardCharsets.US_ASCII)));
            String id = m.commit().get();
            Map<String, String> before = listing(dir);

            SpoolInUseException e = assertThrows(SpoolInUseException.class, () -> DurableQueue.open(QueueConfig.defaults(dir)));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(before, listing(dir));
            assertTrue(first.find(id).isPresent());
        }
        try (DurableQueue again = DurableQueue.open(QueueConfig.defaults(dir))) {
            assertEquals(1, again.size(), "the lock goes with the queue");
        }
    }
}
