package dev.mta.queue.log;

/** Where a record's payload lies: segment number, payload offset in that segment, payload length. */
public record Location(long segment, long offset, int length) {
}
