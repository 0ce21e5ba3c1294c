package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsLookup;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DMARC records of one evaluation, each name asked once: the walks from the author domain and from each
 * authenticated identifier mostly cross the same names (example.com, com).
 */
final class PolicyRecords {
    /** The longest name a query can carry (RFC 1035 2.3.4, in presentation form without the final dot). */
    private static final int MAX_QUERY_NAME = 253;
    private static final String PREFIX = "_dmarc.";

    private final DnsLookup dns;
    private final Map<String, CompletableFuture<RecordLookup>> asked = new ConcurrentHashMap<>();

    PolicyRecords(DnsLookup dns) {
        this.dns = dns;
    }

    /** The record at {@code _dmarc.<domain>}; a failed stage counts as a temporary DNS failure. */
    CompletionStage<RecordLookup> at(String domain) {
        return asked.computeIfAbsent(domain, this::query);
    }

    private CompletableFuture<RecordLookup> query(String domain) {
        String name = PREFIX + domain;
        if (name.length() > MAX_QUERY_NAME) {
            // No record can live at a name too long to exist.
            return CompletableFuture.completedFuture(RecordLookup.absent(domain));
        }
        try {
            return dns.txt(name)
                    .handle((answer, failure) -> failure == null && answer != null
                            ? RecordLookup.of(domain, answer)
                            : RecordLookup.tempError(domain))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RecordLookup.tempError(domain));
        }
    }
}
