package dev.mta.server.auth;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed SMTP AUTH attempts per client address: {@code limit} failures within {@code window} lock the address out
 * for {@code window} (refused at connect, {@code 421 4.7.0}). A small table in memory, bounded: past
 * {@code maxEntries} addresses the least recently touched is forgotten. Shared by all sessions (thread-safe; each
 * call is a few map operations, fit for an event loop).
 */
public final class AuthFailures {
    /** The defaults: 5 failures within 10 minutes lock an address out for 10 minutes; 10,000 addresses remembered. */
    public static final int DEFAULT_LIMIT = 5;
    public static final long DEFAULT_WINDOW_NANOS = 10L * 60 * 1_000_000_000L;
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private static final class Entry {
        long windowStart;
        int failures;
        long lockedUntil;
        boolean locked;
        /** Checks begun and not yet ended: they count toward the limit, so parallel guesses cannot outrun it. */
        int inFlight;
    }

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Entry> table;

    public AuthFailures(int limit, long windowNanos, int maxEntries, LongSupplier nanoTime) {
        if (limit < 1 || windowNanos <= 0 || maxEntries < 1) {
            throw new IllegalArgumentException("limit, window and size must be positive");
        }
        this.limit = limit;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.table = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public AuthFailures() {
        this(DEFAULT_LIMIT, DEFAULT_WINDOW_NANOS, DEFAULT_MAX_ENTRIES, System::nanoTime);
    }

    /**
     * A password check from {@code address} is about to begin: true when it may, false when the failures so far and
     * the checks already under way reach the limit (or the address is locked out). Each true must be followed by
     * one {@link #failed} or {@link #ended}.
     */
    public synchronized boolean tryBegin(InetAddress address) {
        if (address == null) {
            return true;
        }
        if (lockedOut(address)) {
            return false;
        }
        Entry e = table.computeIfAbsent(address, a -> new Entry());
        long now = nanoTime.getAsLong();
        if (e.failures > 0 && now - e.windowStart > windowNanos) {
            e.failures = 0;
        }
        if (e.failures + e.inFlight >= limit) {
            return false;
        }
        e.inFlight++;
        return true;
    }

    /** A check begun with {@link #tryBegin} ended without a failure (it succeeded, or could not run). */
    public synchronized void ended(InetAddress address) {
        Entry e = address == null ? null : table.get(address);
        if (e != null && e.inFlight > 0) {
            e.inFlight--;
        }
    }

    /**
     * A check begun with {@link #tryBegin} failed: counts a failure from {@code address}; true when that reaches
     * the limit (the address is locked out now).
     */
    public synchronized boolean failed(InetAddress address) {
        if (address == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        Entry e = table.computeIfAbsent(address, a -> new Entry());
        if (e.inFlight > 0) {
            e.inFlight--;
        }
        if (e.failures == 0 || now - e.windowStart > windowNanos) {
            e.windowStart = now;
            e.failures = 0;
        }
        if (++e.failures >= limit) {
            e.locked = true;
            e.lockedUntil = now + windowNanos;
            e.failures = 0;
            return true;
        }
        return false;
    }

    /** Whether {@code address} is locked out now. */
    public synchronized boolean lockedOut(InetAddress address) {
        if (address == null) {
            return false;
        }
        Entry e = table.get(address);
        if (e == null || !e.locked) {
            return false;
        }
        if (nanoTime.getAsLong() - e.lockedUntil >= 0) {
            e.locked = false;
            return false;
        }
        return true;
    }

    /** Addresses remembered now (tests). */
    public synchronized int size() {
        return table.size();
    }
}
