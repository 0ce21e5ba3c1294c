package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.dns.MxHost;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.mta.mailauth.dkim.TestMessages.ED25519;
import static dev.mta.mailauth.dkim.TestMessages.MESSAGE;
import static dev.mta.mailauth.dkim.TestMessages.RSA;
import static dev.mta.mailauth.dkim.TestMessages.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input and bad luck: malformed and excess signatures, huge headers, failing lookups and workers, mangled
 * messages. Each gets a clear verdict; nothing throws, nothing hangs.
 */
class DkimVerifierRobustnessTest {
    @Test
    void malformedSignaturesAreNeutralAndCostNoLookup() {
        FixtureDns dns = new FixtureDns();
        String m = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=to; bh=AAAA; b=AAAA\r\n"
                + "DKIM-Signature: garbage\r\n"
                + "DKIM-Signature:\r\n"
                + "dkim-signature: v=1; a=rsa-sha256; d=example.com; i=@evil.example; s=sel; h=from; bh=AAAA;"
                + " b=AAAA\r\n"
                + MESSAGE;
        DkimResults r = TestMessages.verify(dns, m);
        assertEquals(4, r.results().size());
        r.results().forEach(x -> assertEquals(AuthResult.NEUTRAL, x.result(), x.reason()));
        assertEquals("h= does not include From", r.results().get(0).reason());
        assertEquals("example.com", r.results().get(0).domain());
        assertEquals(0, dns.queries());
    }

    @Test
    void fiftySignaturesOnlyTheFirstFiveAreEvaluated() {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String signed = TestMessages.signed(MESSAGE, ED25519, "s" + i);
            m.append(signed, 0, signed.indexOf(MESSAGE)); // s0's field on top
        }
        FixtureDns dns = new FixtureDns().txt("s0._domainkey.example.com", ED25519.dnsRecord());
        DkimResults r = TestMessages.verify(dns, m + MESSAGE);
        assertEquals(5, r.results().size());
        assertEquals(45, r.ignored());
        assertEquals(5, dns.queries());
        // Each field signs only the message, not the other fields, so s0's passes among the rest.
        assertEquals("s0", r.results().get(0).selector());
        assertEquals(AuthResult.PASS, r.results().get(0).result());
        r.results().subList(1, 5).forEach(x -> assertEquals(AuthResult.PERMERROR, x.result())); // s1..s4: no key
        assertEquals("s4", r.results().get(4).selector());
        DkimResults none = new DkimVerifier(dns, Runnable::run, TestMessages.CLOCK, 0).verify(bytes(m + MESSAGE))
                .toCompletableFuture().join();
        assertEquals(0, none.results().size());
        assertEquals(50, none.ignored());
        assertTrue(none.signed());
    }

    @Test
    void oneLookupPerKeyName() {
        String m = TestMessages.signed(TestMessages.signed(MESSAGE, ED25519, "sel"), ED25519, "sel");
        FixtureDns dns = TestMessages.dnsFor(ED25519, "sel");
        TestMessages.verify(dns, m).results().forEach(x -> assertEquals(AuthResult.PASS, x.result()));
        assertEquals(1, dns.queries());
    }

    @Test
    void headerSectionOverTheBoundIsPermerror() {
        String filler = "X-Filler: " + "a".repeat(998) + "\r\n";
        String m = TestMessages.signed(MESSAGE, ED25519, "sel").replace("From: Joe",
                filler.repeat(DkimVerifier.MAX_HEADER_BYTES / filler.length() + 1) + "From: Joe");
        DkimResult r = TestMessages.only(TestMessages.dnsFor(ED25519, "sel"), m);
        assertEquals(AuthResult.PERMERROR, r.result());
        assertEquals("header section too big to verify", r.reason());
    }

    @Test
    void lookupsThatBreakAreTemperrors() {
        String m = TestMessages.signed(MESSAGE, ED25519, "sel");
        DnsLookup throwing = new BrokenDns(null);
        DnsLookup failing = new BrokenDns(CompletableFuture.failedFuture(new IllegalStateException("resolver closed")));
        DnsLookup nulls = new BrokenDns(CompletableFuture.completedFuture(null));
        for (DnsLookup dns : new DnsLookup[] {throwing, failing, nulls}) {
            assertEquals(AuthResult.TEMPERROR, TestMessages.only(dns, m).result());
        }
    }

    @Test
    void aRefusingWorkerPoolIsTemperror() {
        String m = TestMessages.signed(MESSAGE, RSA, "sel");
        DkimVerifier refusing = new DkimVerifier(TestMessages.dnsFor(RSA, "sel"), r -> {
            throw new RejectedExecutionException("shut down");
        }, TestMessages.CLOCK, 5);
        DkimResult r = refusing.verify(bytes(m)).toCompletableFuture().join().results().get(0);
        assertEquals(AuthResult.TEMPERROR, r.result());
        assertEquals("no worker to verify on", r.reason());
    }

    @Test
    void checksRunOnTheWorkersGiven() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "dkim-worker"));
        try {
            AtomicReference<String> ranOn = new AtomicReference<>();
            DkimVerifier v = new DkimVerifier(TestMessages.dnsFor(RSA, "sel"), r -> pool.execute(() -> {
                ranOn.set(Thread.currentThread().getName());
                r.run();
            }), TestMessages.CLOCK, 5);
            DkimResults r = v.verify(bytes(TestMessages.signed(MESSAGE, RSA, "sel"))).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(AuthResult.PASS, r.results().get(0).result());
            assertEquals("dkim-worker", ranOn.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyChunkingGivesTheSameVerdict() {
        byte[] m = bytes(TestMessages.signed(MESSAGE, RSA, "sel"));
        DkimVerifier v = TestMessages.verifier(TestMessages.dnsFor(RSA, "sel"));
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            DkimVerification run = v.start();
            for (int i = 0; i < m.length; ) {
                int n = Math.min(m.length - i, random.nextInt(round % 2 == 0 ? 4 : 300));
                run.update(m, i, n);
                i += n;
            }
            assertEquals(AuthResult.PASS, run.finish().toCompletableFuture().join().results().get(0).result());
        }
    }

    @Test
    void mangledMessagesNeverThrow() {
        byte[] good = bytes(TestMessages.signed(TestMessages.signed(MESSAGE, RSA, "sel"), ED25519, "ed"));
        DkimVerifier v = TestMessages.verifier(TestMessages.dnsFor(RSA, "sel")
                .txt("ed._domainkey.example.com", ED25519.dnsRecord()));
        Random random = new Random(7);
        byte[] alphabet = bytes("=;: \t\r\nab/+0\u00ff");
        for (int round = 0; round < 3000; round++) {
            byte[] m = good.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                m[random.nextInt(m.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            int length = random.nextInt(10) == 0 ? random.nextInt(m.length) : m.length;
            DkimResults r = v.verify(java.util.Arrays.copyOf(m, length)).toCompletableFuture().join();
            assertTrue(r.results().size() <= 2, "round " + round);
        }
    }

    /** A lookup that throws at once (given null), or answers with the stage given. */
    private record BrokenDns(CompletionStage<DnsResult<String>> answer) implements DnsLookup {
        @Override
        public CompletionStage<DnsResult<String>> txt(String name) {
            if (answer == null) {
                throw new IllegalStateException("no resolver");
            }
            return answer;
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<DnsResult<MxHost>> mx(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
            throw new UnsupportedOperationException();
        }
    }
}
