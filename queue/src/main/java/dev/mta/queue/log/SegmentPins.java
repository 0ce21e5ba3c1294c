package dev.mta.queue.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many live or in-progress messages began in each segment. Segments go oldest first, and only when nothing
 * pins them, so a record that supersedes another is never deleted before the record it supersedes.
 */
public final class SegmentPins {
    private final ConcurrentHashMap<Long, AtomicInteger> pins = new ConcurrentHashMap<>();

    public void pin(long segment) {
        pins.computeIfAbsent(segment, s -> new AtomicInteger()).incrementAndGet();
    }

    public void release(long segment) {
        AtomicInteger n = pins.get(segment);
        if (n != null && n.decrementAndGet() <= 0) {
            pins.remove(segment, n);
        }
    }

    public boolean isPinned(long segment) {
        AtomicInteger n = pins.get(segment);
        return n != null && n.get() > 0;
    }
}
