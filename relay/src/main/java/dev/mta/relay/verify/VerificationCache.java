package dev.mta.relay.verify;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers remembered by address (lower-cased): accepted ones for the positive TTL, rejected ones for the negative
 * TTL, temporary ones not at all; the least recently used go first past the size bound. Lookups of an address
 * whose probe is under way share that probe. Thread-safe; its one lock is held for work in memory only.
 */
final class VerificationCache {
    private record Entry(Verification answer, long expiresAt) {
    }

    private final long positiveNanos;
    private final long negativeNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> answers;
    private final Map<String, CompletableFuture<Verification>> underWay = new HashMap<>();

    VerificationCache(Duration positiveTtl, Duration negativeTtl, int maxEntries, LongSupplier nanoTime) {
        this.positiveNanos = positiveTtl.toNanos();
        this.negativeNanos = negativeTtl.toNanos();
        this.nanoTime = nanoTime;
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The remembered answer for {@code address}, the probe under way for it, or a new one {@code probe} starts. */
    CompletableFuture<Verification> get(String address, Supplier<CompletableFuture<Verification>> probe) {
        String key = address.toLowerCase(Locale.ROOT);
        CompletableFuture<Verification> started;
        synchronized (this) {
            Entry e = answers.get(key);
            if (e != null) {
                if (e.expiresAt() - nanoTime.getAsLong() > 0) {
                    return CompletableFuture.completedFuture(e.answer());
                }
                answers.remove(key);
            }
            CompletableFuture<Verification> running = underWay.get(key);
            if (running != null) {
                return running;
            }
            started = new CompletableFuture<>();
            underWay.put(key, started);
        }
        // The probe starts outside the lock; its answer is remembered before anyone hears it.
        CompletableFuture<Verification> answer;
        try {
            answer = probe.get();
        } catch (RuntimeException ex) {
            answer = CompletableFuture.failedFuture(ex);
        }
        answer.whenComplete((v, ex) -> {
            Verification result = ex != null ? Verification.temporary("verification failed: " + ex) : v;
            remember(key, result);
            started.complete(result);
        });
        return started;
    }

    private synchronized void remember(String key, Verification v) {
        underWay.remove(key);
        long ttl = switch (v.kind()) {
            case ACCEPTED -> positiveNanos;
            case REJECTED -> negativeNanos;
            case TEMPORARY -> 0;
        };
        if (ttl > 0) {
            answers.put(key, new Entry(v, nanoTime.getAsLong() + ttl));
        }
    }

    /** Answers remembered now (expired ones not yet dropped included). */
    synchronized int size() {
        return answers.size();
    }
}
