package dev.mta.queue.spool;

import dev.mta.queue.Envelope;

/** A message read back from the spool: for tests and tools; bodies are not held like this on the hot path. */
public record SpooledMessage(String id, long arrivalMillis, Envelope envelope, byte[] body) {
}
