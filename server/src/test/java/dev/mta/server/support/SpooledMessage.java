package dev.mta.server.support;

import dev.mta.queue.Envelope;

/** A queued message read back whole, for assertions: its envelope as received and its body. */
public record SpooledMessage(String id, Envelope envelope, byte[] body) {
}
