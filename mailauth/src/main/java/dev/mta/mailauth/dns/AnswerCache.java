package dev.mta.mailauth.dns;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers kept for their TTL, by question (type and name, without case). A question asked while the same one is in
 * flight shares its future, so a burst of identical lookups sends one query. Answers with no time to live (TEMPFAIL,
 * TTL 0) are dropped once delivered. Bounded: past the maximum, expired answers go first, then arbitrary ones.
 */
final class AnswerCache {
    /** A cached question: the record type's number and the name in lower case without a trailing dot. */
    record Key(int type, String name) {
    }

    /** One question's answer, or the query still under way. */
    private static final class Entry {
        final CompletableFuture<DnsResult<?>> answer = new CompletableFuture<>();
        // Written before the answer completes, read after: a reader that sees the answer done sees its expiry.
        volatile long expiresAt;

        boolean usableAt(long now) {
            return !answer.isDone() || now - expiresAt < 0;
        }
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final int maxEntries;
    private final LongSupplier nanoTime;

    AnswerCache(int maxEntries, LongSupplier nanoTime) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache size must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /**
     * The cached or in-flight answer to {@code key}, or {@code query}'s, started here when there is neither. Each
     * caller gets a copy of the shared future, so completing it does not change what the others see.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <T> CompletableFuture<DnsResult<T>> get(Key key, Supplier<CompletableFuture<TimedResult<T>>> query) {
        long now = nanoTime.getAsLong();
        Entry[] started = new Entry[1];
        Entry entry = entries.compute(key, (k, old) -> {
            if (old != null && old.usableAt(now)) {
                return old;
            }
            started[0] = new Entry();
            return started[0];
        });
        if (started[0] != null) {
            // Started outside compute(): an answer that comes at once must be free to touch the map.
            start(key, started[0], query);
            if (entries.size() > maxEntries) {
                sweep();
            }
        }
        return (CompletableFuture) entry.answer.copy();
    }

    private <T> void start(Key key, Entry entry, Supplier<CompletableFuture<TimedResult<T>>> query) {
        CompletableFuture<TimedResult<T>> answer;
        try {
            answer = query.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(TimedResult.tempfail());
        }
        answer.whenComplete((timed, failure) -> {
            TimedResult<?> t = failure == null ? timed : TimedResult.tempfail();
            entry.expiresAt = nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(t.ttlSeconds());
            if (t.ttlSeconds() <= 0) {
                entries.remove(key, entry); // before anyone hears the answer, so none finds it cached
            }
            entry.answer.complete(t.result());
        });
    }

    /** Expired answers out; if that is not enough, answered ones until a tenth of the room is free again. */
    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return; // another thread is at it
        }
        try {
            long now = nanoTime.getAsLong();
            entries.values().removeIf(e -> !e.usableAt(now));
            int target = maxEntries - Math.max(1, maxEntries / 10);
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && entries.size() > target; ) {
                if (it.next().answer.isDone()) {
                    it.remove();
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    int size() {
        return entries.size();
    }
}
