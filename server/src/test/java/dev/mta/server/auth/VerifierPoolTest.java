package dev.mta.server.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker threads fit the heap: checks of the largest Argon2id cost at once take at most half of it. */
class VerifierPoolTest {
    private static final long MIB = 1L << 20;

    @Test
    void threadsFitHalfTheHeap() {
        try (VerifierPool small = VerifierPool.forHeap(65536, 128 * MIB)) {
            assertEquals(1, small.threads(), "one 64 MiB check at a time in a 128 MB heap");
        }
        try (VerifierPool big = VerifierPool.forHeap(65536, 1024 * MIB)) {
            assertEquals(VerifierPool.DEFAULT_THREADS, big.threads());
        }
        try (VerifierPool cheap = VerifierPool.forHeap(1024, 64 * MIB)) {
            assertEquals(VerifierPool.DEFAULT_THREADS, cheap.threads());
        }
    }

    @Test
    void aCostThatDoesNotFitIsBadConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerifierPool.forHeap(65536, 100 * MIB));
        assertTrue(e.getMessage().startsWith("auth-max-argon2-memory (65536 KiB) does not fit in half the heap"),
                e.getMessage());
    }
}
