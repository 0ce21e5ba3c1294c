package dev.mta.mailauth.spf;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The processing limits of RFC 7208 4.6.4 for one check, includes and redirects together: DNS-querying terms, void
 * lookups, and whether the check's time is up. Counted from whichever thread a DNS answer arrives on.
 */
final class LookupLimits {
    /** Terms that query DNS (include, a, mx, ptr, exists, redirect; and %{p} in a target name). */
    static final int MAX_DNS_TERMS = 10;
    /** Terms whose query found nothing (NXDOMAIN or no records). */
    static final int MAX_VOID_LOOKUPS = 2;
    /** MX names one mx mechanism may look up; more is a permerror. */
    static final int MAX_MX_NAMES = 10;
    /** PTR names one ptr mechanism or %{p} looks at; the rest are ignored. */
    static final int MAX_PTR_NAMES = 10;

    private final AtomicInteger terms = new AtomicInteger();
    private final AtomicInteger voids = new AtomicInteger();
    private volatile boolean expired;

    /** Counts a DNS-querying term; the eleventh is a permerror. */
    void countTerm() {
        if (terms.incrementAndGet() > MAX_DNS_TERMS) {
            throw SpfAbort.permerror("more than " + MAX_DNS_TERMS + " DNS-querying terms");
        }
    }

    /** Counts a void lookup; the third is a permerror. */
    void countVoid() {
        if (voids.incrementAndGet() > MAX_VOID_LOOKUPS) {
            throw SpfAbort.permerror("more than " + MAX_VOID_LOOKUPS + " void lookups");
        }
    }

    /** The time budget is spent: no further query is sent. */
    void expire() {
        expired = true;
    }

    boolean expired() {
        return expired;
    }
}
