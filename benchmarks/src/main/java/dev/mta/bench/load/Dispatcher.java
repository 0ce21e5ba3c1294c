package dev.mta.bench.load;

/** Hands sessions the messages to send: at once (closed loop) or on a fixed schedule (open loop). */
interface Dispatcher {
    /** The next message if one is due at {@code nowNanos}, else null; {@link #finished()} says whether any is left. */
    Ticket poll(long nowNanos);

    /** When the next message is due (nanoTime); only meaningful when {@link #poll} returned null and not finished. */
    long nextDueNanos();

    /** True once every message has been handed out (the count or the duration is reached). */
    boolean finished(long nowNanos);

    /** Messages handed out so far. */
    long issued();
}
