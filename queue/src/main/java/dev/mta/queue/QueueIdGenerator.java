package dev.mta.queue;

import dev.mta.queue.model.QueueIds;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes queue ids: the time in milliseconds and a counter, so ids sort by arrival (see {@link QueueIds}). */
public final class QueueIdGenerator {
    private final AtomicInteger counter = new AtomicInteger(new SecureRandom().nextInt());

    /** A new id as a number: 44 bits of milliseconds, 20 of counter. */
    public long nextId() {
        return (System.currentTimeMillis() << 20) | (counter.getAndIncrement() & 0xFFFFF);
    }
}
