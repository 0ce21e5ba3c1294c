package dev.mta.queue;

import dev.mta.queue.model.StorageFullException;

import dev.mta.queue.model.Outcome;

import dev.mta.queue.schedule.RetrySchedule;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index of envelopes lives on the heap: past its share new mail is refused as storage full, never the heap. */
class QueueFullTest {
    @TempDir
    Path dir;

    private static IncomingMessage message(DurableQueue q, int recipients) {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rcpts.add("recipient-" + i + "@d.example");
        }
        IncomingMessage m = q.receive(Envelopes.of("s@example.com", "", rcpts, "192.0.2.1", "c.test", "ESMTP"));
        m.write(Unpooled.wrappedBuffer("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        return m;
    }

    @Test
    void pastItsShareTheQueueRefusesNewMailUntilDeliveriesMakeRoom() throws Exception {
        QueueConfig c = new QueueConfig(dir, 1 << 20, QueueConfig.DEFAULT_INLINE_LIMIT, RetrySchedule.DEFAULT)
                .withMaxIndexBytes(100_000);
        try (DurableQueue q = DurableQueue.open(c)) {
            int accepted = 0;
            while (q.hasRoom()) {
                message(q, 100).commit().get();
                accepted++;
            }
            assertTrue(accepted >= 5 && accepted <= 20, "100-recipient messages that fit in 100 kB: " + accepted);
            ExecutionException full = assertThrows(ExecutionException.class, () -> message(q, 100).commit().get());
            assertInstanceOf(StorageFullException.class, full.getCause(), "answered 452 4.3.1 like a full disk");

            DeliveryJob job;
            while ((job = q.poll(System.currentTimeMillis())) != null) {
                q.report(job, Collections.nCopies(job.recipients().size(), Outcome.delivered("250"))).get();
            }
            assertTrue(q.hasRoom());
            message(q, 100).commit().get();
        }
        try (DurableQueue q = DurableQueue.open(c)) {
            assertFalse(q.list().isEmpty(), "what was accepted is there after a restart");
        }
    }
}
