package dev.mta.relay.verify;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers remembered by lower-cased address for their TTL; temporary ones never; one probe per address at a time. */
class VerificationCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger probes = new AtomicInteger();
    private final VerificationCache cache = new VerificationCache(Duration.ofHours(24), Duration.ofHours(1), 3, now::get);

    private CompletableFuture<Verification> ask(String address, Verification answer) {
        return cache.get(address, () -> {
            probes.incrementAndGet();
            return CompletableFuture.completedFuture(answer);
        });
    }

    @Test
    void concurrentLookupsShareOneProbe() {
        CompletableFuture<Verification> probe = new CompletableFuture<>();
        CompletableFuture<Verification> first = cache.get("a@x.test", () -> {
            probes.incrementAndGet();
            return probe;
        });
        CompletableFuture<Verification> second = ask("A@X.test", Verification.ofReply(250, "ok"));
        assertSame(first, second, "the lookup under way is shared");
        assertEquals(1, probes.get());
        assertFalse(first.isDone());
        probe.complete(Verification.ofReply(550, "5.1.1 no"));
        assertEquals(Verification.Kind.REJECTED, second.join().kind());
        assertTrue(ask("a@x.test", Verification.ofReply(250, "ok")).isDone());
        assertEquals(1, probes.get(), "remembered");
    }

    @Test
    void positiveForItsTtlNegativeForItsOwnTemporaryNever() {
        ask("good@x.test", Verification.ofReply(250, "ok"));
        ask("bad@x.test", Verification.ofReply(550, "5.1.1 no"));
        ask("busy@x.test", Verification.ofReply(451, "4.3.0 later"));
        assertEquals(3, probes.get());
        ask("busy@x.test", Verification.ofReply(451, "4.3.0 later"));
        assertEquals(4, probes.get(), "a temporary answer is asked again");

        now.addAndGet(Duration.ofMinutes(61).toNanos());
        assertEquals(Verification.Kind.ACCEPTED, ask("good@x.test", Verification.ofReply(550, "x")).join().kind());
        assertEquals(4, probes.get());
        assertEquals(Verification.Kind.ACCEPTED, ask("bad@x.test", Verification.ofReply(250, "ok")).join().kind(),
                "a negative answer is asked again after an hour");
        assertEquals(5, probes.get());

        now.addAndGet(Duration.ofHours(24).toNanos());
        ask("good@x.test", Verification.ofReply(250, "ok"));
        assertEquals(6, probes.get(), "a positive answer is asked again after a day");
    }

    @Test
    void boundedLeastRecentlyUsedFirst() {
        for (String a : new String[]{"a@x.test", "b@x.test", "c@x.test", "d@x.test"}) {
            ask(a, Verification.ofReply(550, "5.1.1 no"));
        }
        assertEquals(3, cache.size());
        ask("a@x.test", Verification.ofReply(550, "5.1.1 no"));
        assertEquals(5, probes.get(), "the oldest was forgotten");
    }

    @Test
    void aFailedProbeIsATemporaryAnswer() {
        Verification v = cache.get("f@x.test", () -> CompletableFuture.failedFuture(new IllegalStateException("boom"))).join();
        assertEquals(Verification.Kind.TEMPORARY, v.kind());
        assertEquals(Verification.Kind.TEMPORARY, Verification.ofReply(421, "4.4.2 bye").kind());
        assertEquals("bad ? text", Verification.ofReply(550, "bad\u00e9text".replace("\u00e9", " \u00e9 ")).text());
    }
}
