package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.DnsLookup;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Verifies messages' DKIM signatures (RFC 6376 6, RFC 8463, RFC 8301): key records fetched through a
 * {@link DnsLookup}, the signature arithmetic run on the executor given (never the caller's thread), verdicts as
 * {@link DkimResults}. At most {@code maxSignatures} signatures per message are evaluated, top to bottom; later ones
 * are counted as ignored. Thread-safe; each message gets its own {@link DkimVerification}.
 */
public final class DkimVerifier {
    /** Signatures evaluated per message unless told otherwise. */
    public static final int DEFAULT_MAX_SIGNATURES = 5;
    /** Header section kept per message: signatures in a longer one get permerror. */
    public static final int MAX_HEADER_BYTES = 256 * 1024;

    private final DnsLookup dns;
    private final Executor crypto;
    private final Clock clock;
    private final int maxSignatures;

    /**
     * @param crypto where signatures are checked (RSA and Ed25519 arithmetic, header canonicalization): a worker
     *               pool, not an event loop; a refusal to run a check makes that signature a temperror
     * @param clock  the time x= is compared with
     */
    public DkimVerifier(DnsLookup dns, Executor crypto, Clock clock, int maxSignatures) {
        if (maxSignatures < 0) {
            throw new IllegalArgumentException("maxSignatures " + maxSignatures);
        }
        this.dns = dns;
        this.crypto = crypto;
        this.clock = clock;
        this.maxSignatures = maxSignatures;
    }

    /** With the system clock and {@link #DEFAULT_MAX_SIGNATURES}. */
    public DkimVerifier(DnsLookup dns, Executor crypto) {
        this(dns, crypto, Clock.systemUTC(), DEFAULT_MAX_SIGNATURES);
    }

    /** A verification to feed one message into as it arrives. */
    public DkimVerification start() {
        return new DkimVerification(this, MAX_HEADER_BYTES);
    }

    /** Verifies a whole message held in memory. */
    public CompletionStage<DkimResults> verify(byte[] message) {
        DkimVerification v = start();
        v.update(message, 0, message.length);
        return v.finish();
    }

    VerificationPlan plan(List<HeaderField> headers, boolean overflowed) {
        return new VerificationPlan(headers, overflowed, dns, crypto, maxSignatures);
    }

    long now() {
        return clock.instant().getEpochSecond();
    }
}
