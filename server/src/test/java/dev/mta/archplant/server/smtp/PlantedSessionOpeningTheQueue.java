package dev.mta.archplant.server.smtp;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;

import java.io.IOException;
import java.nio.file.Path;

/** Breaks "sessions do not touch the queue's storage": a session that opens the durable queue itself. */
public final class PlantedSessionOpeningTheQueue {
    public static int queued(Path spool) throws IOException {
        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(spool))) {
            return q.size();
        }
    }
}
