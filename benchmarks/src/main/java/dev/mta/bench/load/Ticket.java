package dev.mta.bench.load;

/** One message to send: its sequence number and when it was due (the start of its latency), in nanoTime. */
record Ticket(long seq, long dueNanos) {
}
